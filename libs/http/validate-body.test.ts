import { IsOptional, IsString } from 'class-validator';
import { validateArrayBody, validateBody } from './validate-body';

class Body {
  @IsString() name!: string;
  @IsOptional() @IsString() note?: string;
}

const reasonOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return `${(e as { code?: number }).code} ${(e as { reason?: string }).reason}`;
  }
  return undefined;
};

describe('validateBody', () => {
  it('returns a typed instance of a valid body', () => {
    const body = validateBody(Body, { name: 'a', note: 'b' });
    expect(body).toBeInstanceOf(Body);
    expect(body).toMatchObject({ name: 'a', note: 'b' });
  });

  it('refuses unknown keys and wrong types with 400', () => {
    expect(reasonOf(() => validateBody(Body, { name: 'a', other: 1 }))).toBe('400 property other is not allowed');
    expect(reasonOf(() => validateBody(Body, { name: 1 }))).toBe('400 name must be a string');
    expect(reasonOf(() => validateBody(Body, []))).toBe('400 The request body must be a JSON object.');
    expect(reasonOf(() => validateBody(Body, null))).toBe('400 The request body must be a JSON object.');
  });

  // Found by the fuzz suite (FUZZ_SEED=2236453666): `{"constructor": null}` replaced the instance's
  // constructor, class-validator could not find the DTO's rules and threw, a 500.
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('refuses the key %s that Object.prototype has, with 400', (key) => {
    const body = JSON.parse(`{"name": "a", "${key}": null}`) as unknown;
    expect(reasonOf(() => validateBody(Body, body))).toBe(`400 property ${key} is not allowed`);
  });

  it('names the failing item of an array body', () => {
    expect(reasonOf(() => validateArrayBody(Body, [{ name: 'a' }, { name: 'b', constructor: {} }]))).toBe('400 item 1: property constructor is not allowed');
  });
});
