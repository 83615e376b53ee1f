import { MAX_DURATION_MS, formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['1h', 3_600_000],
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['10s', 10_000],
    ['1.5s', 1_500],
    ['2d', 172_800_000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('accepts up to Go\'s longest duration and refuses longer ones', () => {
    expect(parseDuration('2562047h')).toBe(2_562_047 * 3_600_000);
    expect(parseDuration(`${MAX_DURATION_MS}ms`)).toBe(MAX_DURATION_MS);
    expect(parseDuration(`${MAX_DURATION_MS + 1}ms`)).toBeUndefined();
    expect(parseDuration('2562048h')).toBeUndefined();
    expect(parseDuration(`${'9'.repeat(400)}h`)).toBeUndefined();
  });

  it.each(['', 'abc', '10', '1x', 'h1', '-1s'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats like Go', () => {
    expect(formatDuration(3_661_000)).toBe('1h1m1s');
    expect(formatDuration(150_000)).toBe('2m30s');
  });
});
