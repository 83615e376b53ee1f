/**
 * Keyset pagination, the part every list shares (Kratos `keysetpagination`): a list is ordered by a
 * key of one or more columns that is unique within a realm (the last column is the row's id), and a
 * page starts strictly after the key of the previous page's last row. Rows inserted or deleted between
 * two requests never make a page repeat or skip a row that existed throughout.
 */

/** What one key column holds, so a page token can be validated before it reaches SQL. */
export type KeyPart = 'uuid' | 'time' | 'text';

/** Which rows a list request wants: at most `size`, after `after` (a key) or, for legacy page requests, skipping `offset`. */
export interface KeysetWindow {
  readonly size: number;
  /** The key of the last row already seen; absent for the first page. Its parts match the list's {@link KeyPart}s. */
  readonly after?: readonly string[];
  /** Rows to skip (only for `?page=N` without a page token: the old Kratos parameters); ignored with `after`. */
  readonly offset?: number;
}

/** One page: the rows and, when more follow, the key to continue after. */
export interface KeysetPage<T> {
  readonly items: readonly T[];
  readonly next?: readonly string[];
}

/**
 * Cuts a result fetched with `LIMIT size + 1` down to `size` rows; the extra row only tells that a next
 * page exists, whose position is the key of the page's last row.
 */
export function keysetPage<T>(rows: readonly T[], size: number, keyOf: (row: T) => readonly string[]): KeysetPage<T> {
  if (rows.length <= size) return { items: rows };
  const items = rows.slice(0, size);
  return { items, next: keyOf(items[items.length - 1] as T) };
}

/** A time key part: the ISO-8601 string of a millisecond-precision timestamp. */
export const timeKey = (date: Date): string => date.toISOString();

/**
 * The keyset page of an in-memory list (the memory stores): `rows` ordered by `keyOf` in `direction`
 * (parts compared as strings, which orders ISO timestamps and lower-case UUIDs correctly), after
 * `window.after` or skipping `window.offset`, at most `window.size`.
 */
export function keysetPageOf<T>(rows: readonly T[], keyOf: (row: T) => readonly string[], direction: 'ASC' | 'DESC', window: KeysetWindow): KeysetPage<T> {
  const sign = direction === 'ASC' ? 1 : -1;
  const sorted = [...rows].sort((a, b) => sign * compareKeys(keyOf(a), keyOf(b)));
  const { after } = window;
  const rest = after ? sorted.filter((row) => sign * compareKeys(keyOf(row), after) > 0) : sorted.slice(window.offset ?? 0);
  return keysetPage(rest.slice(0, window.size + 1), window.size, keyOf);
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
