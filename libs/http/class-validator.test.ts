import * as ClassValidator from 'class-validator';
import { IsString, validateSync } from './class-validator';
import * as Local from './class-validator';

describe('class-validator without its index', () => {
  it.each(Object.keys(Local).filter((name) => name !== 'validateSync'))('%s is the function class-validator exports', (name) => {
    expect((Local as Record<string, unknown>)[name]).toBe((ClassValidator as Record<string, unknown>)[name]);
  });

  it('validateSync checks the decorators registered through these exports', () => {
    class Body {
      @IsString()
      name!: unknown;
    }
    const body = Object.assign(new Body(), { name: 42 });
    expect(validateSync(body).map((e) => e.property)).toEqual(['name']);
    expect(ClassValidator.validateSync(body).map((e) => e.property)).toEqual(['name']);
    expect(validateSync(Object.assign(new Body(), { name: 'x' }))).toEqual([]);
  });
});
