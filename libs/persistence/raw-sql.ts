/** Statements for the raw hot paths (`Persistence.read`/`execute`), written once for both dialects. */

/** `INSERT INTO table (columns) VALUES (?, …)`. */
export function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/**
 * An insert of `keys` + `update` (parameters in that order) that overwrites the `update` columns of an
 * existing row with the same `keys`: `ON DUPLICATE KEY UPDATE` on MySQL, `ON CONFLICT … DO UPDATE` on SQLite.
 * Columns in neither list keep their value on an update (and their default on an insert).
 */
export function upsertSql(dialect: 'sqlite' | 'mysql', table: string, keys: readonly string[], update: readonly string[]): string {
  const insert = insertSql(table, [...keys, ...update]);
  return dialect === 'mysql'
    ? `${insert} ON DUPLICATE KEY UPDATE ${update.map((c) => `${c} = VALUES(${c})`).join(', ')}`
    : `${insert} ON CONFLICT(${keys.join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}`;
}

/** `INSERT INTO table (columns) VALUES (?, …), (?, …)` with `rows` row groups (one statement text per row count). */
export function insertManySql(table: string, columns: readonly string[], rows: number): string {
  const group = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => group).join(', ')}`;
}
