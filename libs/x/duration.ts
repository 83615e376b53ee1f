const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The longest duration Go's `time.Duration` holds (2^63−1 ns, about 292 years), in whole milliseconds. */
export const MAX_DURATION_MS = 9_223_372_036_854;

/**
 * Parses a Go-style duration (`"1h"`, `"30m"`, `"1h30m"`, `"500ms"`, `"10s"`) into milliseconds.
 * Like Go, a duration longer than {@link MAX_DURATION_MS} is not a duration (it would not fit a `Date`
 * added to now, nor Go's clients).
 * @returns the duration in milliseconds, or `undefined` when the text is not a duration or too long.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, , unit] of trimmed.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(amount) * UNITS[unit];
  }
  return total <= MAX_DURATION_MS ? Math.round(total) : undefined;
}

/** Formats milliseconds the way Go prints a duration (`1h0m0s`), for messages. */
export function formatDuration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
