import { retryDelay } from './retry-delay';

describe('retryDelay', () => {
  it('doubles from the base per failed send', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(n, 1000, 600_000))).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('never exceeds the cap, even for huge counts', () => {
    expect(retryDelay(20, 1000, 600_000)).toBe(600_000);
    expect(retryDelay(10_000, 1000, 600_000)).toBe(600_000);
  });

  it('treats a count below one as the first retry', () => {
    expect(retryDelay(0, 10, 1000)).toBe(10);
  });
});
