/**
 * Decoders for rows read with raw SQL (the hot paths skip TypeORM's query builder): SQLite returns
 * datetimes as `YYYY-MM-DD HH:MM:SS.SSS` text in UTC, booleans as 0/1 and JSON as text; mysql2 returns
 * Date objects and numbers.
 */
export function rawDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

export function rawOptionalDate(value: unknown): Date | undefined {
  return value === null || value === undefined ? undefined : rawDate(value);
}

export function rawBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

export function rawJson<T>(value: unknown): T {
  if (typeof value !== 'string') return (value ?? null) as T;
  return JSON.parse(value) as T;
}

/**
 * A datetime parameter for raw SQL, written the way TypeORM writes it: UTC `YYYY-MM-DD HH:MM:SS.mmm`
 * text on SQLite, a Date for mysql2; `null` for no date.
 */
export function rawTimeParam(dialect: 'sqlite' | 'mysql', date: Date | null | undefined): unknown {
  if (!date) return null;
  if (dialect === 'mysql') return date;
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
