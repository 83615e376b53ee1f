import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, QueryRunner } from 'typeorm';

const LOCK_PREFIX = 'tessera_migrations';

/**
 * Runs `work` on one dedicated connection while holding the database's migration lock, so processes that
 * boot at once on one database never run migrations side by side. Invariant: `work` must read the applied
 * migrations itself, after the lock is taken (another process may have applied them meanwhile).
 *
 * - MySQL/MariaDB: `GET_LOCK('tessera_migrations:<database>', …)` on this connection, `RELEASE_LOCK` after
 *   (the server drops it too if the connection dies). DDL commits implicitly; the lock is not affected.
 * - SQLite: `BEGIN IMMEDIATE` (the file's write lock) on the single connection; `work` runs inside that one
 *   transaction (all of it commits or none) and must not open transactions of its own.
 *
 * @throws Error when the lock is not granted within `waitMs`.
 */
export async function withMigrationLock<T>(dataSource: DataSource, waitMs: number, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    if (dataSource.options.type === 'mysql') return await withMysqlLock(runner, waitMs, work);
    return await withSqliteLock(runner, waitMs, work);
  } finally {
    await runner.release();
  }
}

async function withMysqlLock<T>(runner: QueryRunner, waitMs: number, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const [{ db }] = (await runner.query('SELECT DATABASE() AS db')) as { db: string }[];
  const name = lockName(db);
  const [{ granted }] = (await runner.query('SELECT GET_LOCK(?, ?) AS granted', [name, Math.max(1, Math.ceil(waitMs / 1000))])) as { granted: number | string | null }[];
  if (Number(granted) !== 1) throw new Error(`another process held the migration lock (${name}) for longer than ${Math.round(waitMs / 1000)}s`);
  try {
    return await work(runner);
  } finally {
    await runner.query('SELECT RELEASE_LOCK(?)', [name]);
  }
}

async function withSqliteLock<T>(runner: QueryRunner, waitMs: number, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  // foreign_keys is a no-op inside a transaction: switch it off first, as TypeORM does around each migration.
  await runner.beforeMigration();
  try {
    // Wait without blocking the event loop: no busy handler while polling, the connection's own after.
    const [{ timeout }] = (await runner.query('PRAGMA busy_timeout')) as { timeout: number }[];
    await runner.query('PRAGMA busy_timeout = 0');
    try {
      const deadline = Date.now() + waitMs;
      for (;;) {
        try {
          await runner.query('BEGIN IMMEDIATE');
          break;
        } catch (error) {
          if (!isBusy(error) || Date.now() >= deadline) throw error;
          await sleep(50);
        }
      }
    } finally {
      await runner.query(`PRAGMA busy_timeout = ${Number(timeout)}`);
    }
    try {
      const result = await work(runner);
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.afterMigration();
  }
}

/** GET_LOCK names are server-wide (one per database here) and at most 64 characters. */
function lockName(database: string): string {
  const name = `${LOCK_PREFIX}:${database}`;
  return name.length <= 64 ? name : `${LOCK_PREFIX}:${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
}

function isBusy(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  return code.startsWith('SQLITE_BUSY');
}
