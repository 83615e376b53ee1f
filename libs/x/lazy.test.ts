import { lazy } from './lazy';

describe('lazy', () => {
  it('builds the value on the first call only and returns the same value after', () => {
    let built = 0;
    const value = lazy(() => ({ n: ++built }));
    expect(built).toBe(0);
    const first = value();
    expect(value()).toBe(first);
    expect(built).toBe(1);
  });

  it('tries again after a failed build', () => {
    let calls = 0;
    const value = lazy(() => {
      if (++calls === 1) throw new Error('first');
      return calls;
    });
    expect(() => value()).toThrow('first');
    expect(value()).toBe(2);
    expect(value()).toBe(2);
  });
});
