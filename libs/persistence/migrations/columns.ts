import type { QueryRunner, TableColumnOptions } from 'typeorm';

/** True when the migration runs on MySQL/MariaDB. */
export function isMysql(qr: QueryRunner): boolean {
  return qr.connection.driver.options.type === 'mysql';
}

/** A UUID column (36 characters). */
export const uuidColumn = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  ...extra,
});

/** A millisecond-precision UTC timestamp. */
export const timestampColumn = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});

/** A JSON document stored as text (portable between SQLite and MySQL; TypeORM `simple-json`). */
export const jsonColumn = (qr: QueryRunner, name: string, nullable = true): TableColumnOptions => ({
  name,
  type: isMysql(qr) ? 'longtext' : 'text',
  isNullable: nullable,
});

/** A short indexed string. */
export const varcharColumn = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});

/** Free text (TEXT on SQLite, LONGTEXT on MySQL). */
export const textColumn = (qr: QueryRunner, name: string, nullable = false): TableColumnOptions => ({
  name,
  type: isMysql(qr) ? 'longtext' : 'text',
  isNullable: nullable,
});
