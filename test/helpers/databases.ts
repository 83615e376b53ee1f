import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Persistence } from '../../libs/persistence';

/** A database made for one test file, and how to throw it away. */
export interface TestDatabase {
  readonly label: string;
  readonly dsn: string;
  drop(): Promise<void>;
}

/** A fresh database per call: a SQLite file always, and a MySQL database when TEST_MYSQL_DSN is set. */
export type DatabaseFactory = { readonly label: string; create(): Promise<TestDatabase> };

export const sqliteFactory: DatabaseFactory = {
  label: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-db-'));
    return { label: 'sqlite', dsn: `sqlite://${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const mysqlFactory = (baseDsn: string): DatabaseFactory => ({
  label: 'mysql',
  async create() {
    const name = `tessera_test_${randomBytes(6).toString('hex')}`;
    const url = new URL(baseDsn);
    const admin = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    url.pathname = `/${name}`;
    return {
      label: 'mysql',
      dsn: url.toString(),
      drop: async () => {
        const c = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await c.end();
      },
    };
  },
});

/** SQLite always; MySQL/MariaDB too when `TEST_MYSQL_DSN` is set (CI sets it). */
export function databaseFactories(): DatabaseFactory[] {
  const mysql = process.env.TEST_MYSQL_DSN;
  return mysql ? [sqliteFactory, mysqlFactory(mysql)] : [sqliteFactory];
}

/**
 * One migrated `Persistence` per factory for a whole test file, opened on first use and closed (and its
 * database dropped) after the file's tests. Contract suites share it; their tests use unique keys.
 */
export function sharedPersistence(factory: DatabaseFactory): () => Promise<Persistence> {
  let opened: Promise<{ db: TestDatabase; persistence: Persistence }> | undefined;
  afterAll(async () => {
    if (!opened) return;
    const { db, persistence } = await opened;
    await persistence.close();
    await db.drop();
  });
  return async () => {
    opened ??= (async () => {
      const db = await factory.create();
      const persistence = new Persistence({ dsn: db.dsn });
      await persistence.connect();
      await persistence.migrateUp();
      return { db, persistence };
    })();
    return (await opened).persistence;
  };
}
