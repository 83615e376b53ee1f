/**
 * Exponential backoff: the wait before the next attempt after `failedSends` failed sends is
 * `baseMs · 2^(failedSends − 1)`, never more than `maxMs` (1s, 2s, 4s, … with the defaults).
 * @param failedSends 1 or more.
 */
export function retryDelay(failedSends: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, Math.min(failedSends - 1, 52));
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
