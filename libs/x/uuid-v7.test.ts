import { isUuid } from './random';
import { newTimeOrderedId, uuidV7Time } from './uuid-v7';

describe('newTimeOrderedId (UUIDv7, RFC 9562)', () => {
  it('is a canonical UUID with version 7 and variant 10', () => {
    const ids = Array.from({ length: 1000 }, () => newTimeOrderedId());
    expect(ids.filter((id) => !isUuid(id) || id[14] !== '7' || !'89ab'.includes(id[19]))).toEqual([]);
  });

  it('carries the timestamp in its first 48 bits', () => {
    const at = Date.UTC(2030, 0, 1, 12, 0, 0, 123);
    const id = newTimeOrderedId(at);
    expect(uuidV7Time(id)).toBe(at);
    expect(id.startsWith(at.toString(16).padStart(12, '0').replace(/^(.{8})/, '$1-'))).toBe(true);
  });

  it('is strictly increasing within one millisecond, as strings and bytes', () => {
    const at = Date.UTC(2031, 5, 1);
    const ids = Array.from({ length: 10_000 }, () => newTimeOrderedId(at));
    expect(ids.findIndex((id, i) => i > 0 && id <= ids[i - 1])).toBe(-1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => uuidV7Time(id) === at)).toBe(true);
  });

  it('stays increasing when the clock goes back', () => {
    const later = Date.UTC(2032, 0, 1);
    const a = newTimeOrderedId(later);
    const b = newTimeOrderedId(later - 5_000);
    expect(b > a).toBe(true);
    expect(uuidV7Time(b)).toBe(later);
  });

  it('increases across milliseconds and differs in its random tail', () => {
    const t = Date.UTC(2033, 0, 1);
    const a = newTimeOrderedId(t);
    const b = newTimeOrderedId(t + 1);
    expect(b > a).toBe(true);
    const tails = new Set(Array.from({ length: 100 }, () => newTimeOrderedId(t + 2).slice(-8)));
    expect(tails.size).toBeGreaterThan(90);
  });
});
