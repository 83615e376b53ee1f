import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { parseDsn } from './dsn';
import { migrations } from './migrations';
import { entitySchemas } from './schemas';

export interface DataSourceOptions {
  readonly dsn: string;
  readonly poolSize?: number;
}

/**
 * Builds (does not connect) the TypeORM `DataSource` for a DSN. SQLite runs through better-sqlite3 with
 * WAL (synchronous=NORMAL) and foreign keys on; MySQL/MariaDB through mysql2 with UTC timestamps and utf8mb4.
 * Migrations are registered but never run implicitly; `synchronize` is always off.
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  const parsed = parseDsn(options.dsn);
  const common = {
    entities: entitySchemas,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (parsed.kind === 'sqlite') {
    if (!parsed.memory) mkdirSync(dirname(parsed.path), { recursive: true });
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: parsed.path,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        if (!parsed.memory) db.pragma('journal_mode = WAL');
        // WAL + NORMAL: commits do not fsync (checkpoints do). No corruption on any crash; after a power
        // loss the last commits may be lost. FULL made every token insert wait for the disk (~0.2–1 ms).
        if (!parsed.memory) db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
      },
    });
  }
  return new DataSource({
    ...common,
    type: 'mysql',
    url: parsed.url,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    poolSize: options.poolSize ?? 10,
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
}
