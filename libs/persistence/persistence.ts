import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DataSource, type EntityManager, MigrationExecutor, type QueryRunner } from 'typeorm';
import { type Ctx, type Transaction, type TransactionRunner, TransactionRetriesExhaustedError, withTx } from '../x';
import { createDataSource, type DataSourceOptions } from './data-source';
import { withMigrationLock } from './migration-lock';
import { type SqliteConnection, SqliteWriteBatcher, type SqliteWriteStatement } from './sqlite-write-batcher';

/** One migration and whether it has been applied. */
export interface MigrationStatus {
  readonly name: string;
  readonly applied: boolean;
}

export interface ConnectOptions {
  /** Keep retrying (with backoff, 100 ms doubling up to 2 s) until this many ms have passed; 0: one attempt. */
  readonly timeoutMs?: number;
  /** Called before each wait, e.g. to log that the database is not reachable yet. */
  readonly onRetry?: (error: Error, delayMs: number) => void;
}

/** How long `migrateUp`/`migrateDown` wait for another process's migration run by default. */
const MIGRATION_LOCK_WAIT_MS = 10 * 60_000;

/**
 * Owns the database connection: connect/close, readiness ping, migrations and transactions.
 * Invariant: a `Transaction` handed out by `withTransaction` is only valid inside its callback.
 */
export class Persistence implements TransactionRunner {
  readonly dataSource: DataSource;
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private readonly statements = new Map<string, { all(...p: unknown[]): unknown[] }>();
  private readonly writes = new Map<string, SqliteWriteStatement>();
  private batcher?: SqliteWriteBatcher;
  private readonly insideTransaction = new AsyncLocalStorage<true>();
  private readonly afterTx = new WeakMap<object, (() => void)[]>();

  constructor(options: DataSourceOptions) {
    this.dataSource = createDataSource(options);
  }

  get dialect(): 'sqlite' | 'mysql' {
    return this.dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  /**
   * Connects; with `timeoutMs`, a database that is not reachable yet (starting, still being created) is
   * retried with backoff until the deadline.
   * @throws Error naming the last failure once `timeoutMs` has passed.
   */
  async connect(options: ConnectOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 0;
    const deadline = Date.now() + timeoutMs;
    for (let delay = 100; !this.dataSource.isInitialized; delay = Math.min(delay * 2, 2_000)) {
      try {
        await this.dataSource.initialize();
      } catch (error) {
        const left = deadline - Date.now();
        if (left <= 0) {
          if (timeoutMs === 0) throw error;
          throw new Error(`cannot connect to the database within ${Math.round(timeoutMs / 1000)}s: ${(error as Error).message}`, { cause: error });
        }
        options.onRetry?.(error as Error, Math.min(delay, left));
        await sleep(Math.min(delay, left));
      }
    }
  }

  async close(): Promise<void> {
    this.batcher?.flush();
    this.batcher = undefined;
    this.statements.clear();
    this.writes.clear();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /** Resolves when the database answers a trivial query. */
  async ping(): Promise<void> {
    if (!this.dataSource.isInitialized) throw new Error('database is not connected');
    await this.dataSource.query('SELECT 1');
  }

  /**
   * Applies pending migrations under the migration lock ({@link withMigrationLock}): of processes that boot
   * at once, one applies them and the others find none pending. Returns the names this call applied.
   */
  async migrateUp(lockWaitMs = MIGRATION_LOCK_WAIT_MS): Promise<string[]> {
    const applied = await withMigrationLock(this.dataSource, lockWaitMs, (runner) => this.executor(runner).executePendingMigrations());
    return applied.map((m) => m.name);
  }

  /** Reverts the most recent migration, under the migration lock. */
  async migrateDown(lockWaitMs = MIGRATION_LOCK_WAIT_MS): Promise<void> {
    await withMigrationLock(this.dataSource, lockWaitMs, (runner) => this.executor(runner).undoLastMigration());
  }

  /**
   * The migrations not applied yet, in order (empty once the schema is current): one query, cheap enough
   * for every readiness probe.
   * @throws Error when the database does not answer.
   */
  async pendingMigrations(): Promise<string[]> {
    if (!this.dataSource.isInitialized) throw new Error('database is not connected');
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    let rows: { name: string }[];
    try {
      rows = await this.dataSource.query(`SELECT name FROM ${table}`);
    } catch (error) {
      const qr = this.dataSource.createQueryRunner();
      const exists = await qr.hasTable(table).finally(() => qr.release());
      if (exists) throw error;
      rows = [];
    }
    const done = new Set(rows.map((r) => r.name));
    return this.dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !done.has(name));
  }

  /** On SQLite the lock's transaction holds every migration; on MySQL each runs in its own (DDL commits anyway). */
  private executor(runner: QueryRunner): MigrationExecutor {
    const executor = new MigrationExecutor(this.dataSource, runner);
    executor.transaction = this.dialect === 'mysql' ? 'each' : 'none';
    return executor;
  }

  /** Every known migration with whether it is applied. */
  async migrationStatus(): Promise<MigrationStatus[]> {
    const table = this.dataSource.options.migrationsTableName ?? 'migrations';
    const qr = this.dataSource.createQueryRunner();
    try {
      const exists = await qr.hasTable(table);
      const rows: { name: string }[] = exists ? await qr.query(`SELECT name FROM ${table}`) : [];
      const done = new Set(rows.map((r) => r.name));
      return this.dataSource.migrations.map((m) => ({ name: m.name ?? m.constructor.name, applied: done.has(m.name ?? '') }));
    } finally {
      await qr.release();
    }
  }

  /**
   * Runs `work` in one transaction: it all commits or none of it does. On SQLite (one connection)
   * transactions are queued so two requests never interleave inside one. On MySQL/MariaDB a transaction
   * the server aborts as a deadlock victim, after a lock wait timeout or as a serialization failure
   * ({@link isTransientTransactionError}) is rolled back and `work` runs again, up to
   * {@link TRANSACTION_ATTEMPTS} times in all, after a short jittered pause; then it throws
   * `TransactionRetriesExhaustedError` (HTTP 503).
   * `work` receives `ctx` carrying the transaction (`ctx.tx`), valid only inside the callback.
   * Invariant: `work` is re-runnable — it has no effect outside `tx` (no mail sent, no shared state
   * mutated; mails are courier rows written in `tx`), and it re-reads what it checks inside `tx`.
   */
  async withTransaction<T>(ctx: Ctx, work: (ctx: Ctx) => Promise<T>): Promise<T> {
    if (this.dialect === 'mysql') {
      for (let attempt = 1; ; attempt++) {
        let open: object | undefined;
        try {
          return await this.dataSource.transaction((manager) => work(withTx(ctx, (open = manager) as unknown as Transaction)));
        } catch (error) {
          if (!isTransientTransactionError(error)) throw error;
          if (attempt >= TRANSACTION_ATTEMPTS) throw new TransactionRetriesExhaustedError(attempt, { cause: error });
          await sleep(attempt * 10 + Math.random() * 20 * attempt);
        } finally {
          this.settled(open);
        }
      }
    }
    // The callback runs in `insideTransaction`, so a raw write it makes without `tx` joins this transaction at once
    // instead of waiting (forever) in the group-commit queue for this transaction to end.
    const run = (): Promise<T> => {
      let open: object | undefined;
      return this.dataSource
        .transaction((manager) => this.insideTransaction.run(true, () => work(withTx(ctx, (open = manager) as unknown as Transaction))))
        .finally(() => this.settled(open));
    };
    const next = this.sqliteQueue.then(run, run);
    this.sqliteQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs `callback` once the transaction `tx` has ended (committed or rolled back), right after
   * `withTransaction`'s commit and before its promise settles: for caches that must drop what a write
   * replaced only once other connections can read the new state. Outside a transaction, call it yourself.
   */
  afterTransaction(tx: Transaction, callback: () => void): void {
    const list = this.afterTx.get(tx);
    if (list) list.push(callback);
    else this.afterTx.set(tx, [callback]);
  }

  private settled(tx: object | undefined): void {
    if (!tx) return;
    const list = this.afterTx.get(tx);
    this.afterTx.delete(tx);
    for (const callback of list ?? []) callback();
  }

  /**
   * A read-only raw query for hot paths. Outside a transaction on SQLite it runs a cached prepared
   * statement on better-sqlite3 directly (no query runner, no events); otherwise it goes through TypeORM.
   */
  async read(sql: string, params: readonly unknown[], tx?: Transaction): Promise<Record<string, unknown>[]> {
    if (tx || this.dialect === 'mysql') return this.manager(tx).query(sql, [...params]);
    let stmt = this.statements.get(sql);
    if (!stmt) {
      const db = (this.dataSource.driver as unknown as { databaseConnection: { prepare(sql: string): { all(...p: unknown[]): unknown[] } } }).databaseConnection;
      stmt = db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt.all(...params.map((p) => (typeof p === 'boolean' ? Number(p) : p))) as Record<string, unknown>[];
  }

  /**
   * A raw write for hot paths (INSERT/UPDATE/DELETE); returns the number of affected rows. On SQLite it
   * runs a cached prepared statement on better-sqlite3's single connection: inside `tx` at once (the
   * transaction is open on that connection), outside group-committed with the other writes of the same
   * event-loop turn ({@link SqliteWriteBatcher}).
   */
  async execute(sql: string, params: readonly unknown[], tx?: Transaction): Promise<number> {
    return this.write(sql, params, tx, false);
  }

  /**
   * Like {@link execute}, but on SQLite the write is committed before this resolves and before any other
   * request's next read — for compare-and-set writes that guard one-time use (consuming a code).
   */
  async executeNow(sql: string, params: readonly unknown[], tx?: Transaction): Promise<number> {
    return this.write(sql, params, tx, true);
  }

  private async write(sql: string, params: readonly unknown[], tx: Transaction | undefined, now: boolean): Promise<number> {
    if (this.dialect === 'mysql') {
      const result = (await this.manager(tx).query(sql, [...params])) as { affectedRows?: number } | unknown[];
      return Array.isArray(result) ? 0 : (result.affectedRows ?? 0);
    }
    const db = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection & { prepare(sql: string): SqliteWriteStatement } }).databaseConnection;
    let stmt = this.writes.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      this.writes.set(sql, stmt);
    }
    const args = params.map((p) => (typeof p === 'boolean' ? Number(p) : p));
    // Inside a transaction: the same single connection, so the statement runs in it (and reports its changes).
    if (tx || this.insideTransaction.getStore()) return stmt.run(...args).changes;
    this.batcher ??= new SqliteWriteBatcher(db);
    return now ? this.batcher.runNow(stmt, args) : this.batcher.run(stmt, args);
  }

  /**
   * The transaction a locking read (`getForUpdate`) runs in.
   * @throws Error outside a transaction: the lock would end with its own statement and protect nothing.
   */
  lockingTx(tx: Transaction | undefined, what: string): Transaction {
    if (!tx) throw new Error(`${what} must run inside a transaction (withTransaction)`);
    return tx;
  }

  /** The entity manager for `tx`, or the default one outside a transaction. */
  manager(tx?: Transaction): EntityManager {
    return tx ? (tx as unknown as EntityManager) : this.dataSource.manager;
  }
}

/** How often {@link Persistence.withTransaction} runs a MySQL transaction that keeps failing transiently. */
export const TRANSACTION_ATTEMPTS = 5;

/**
 * True when MySQL/MariaDB aborted a statement or transaction for a reason a retry can cure:
 * deadlock (1213 `ER_LOCK_DEADLOCK`), lock wait timeout (1205 `ER_LOCK_WAIT_TIMEOUT`), MariaDB's
 * snapshot-isolation conflict (1020 `ER_CHECKREAD`) or any SQLSTATE 40001 serialization failure.
 */
export function isTransientTransactionError(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; sqlState?: string; driverError?: { code?: string; errno?: number; sqlState?: string } };
  const errno = e?.driverError?.errno ?? e?.errno;
  const code = e?.driverError?.code ?? e?.code;
  const sqlState = e?.driverError?.sqlState ?? e?.sqlState;
  return errno === 1213 || errno === 1205 || errno === 1020 || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'ER_CHECKREAD' || sqlState === '40001';
}

/** True when `error` is a unique-constraint violation on either database. */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const code = e?.driverError?.code ?? e?.code;
  const errno = e?.driverError?.errno ?? e?.errno;
  return (
    code === 'ER_DUP_ENTRY' ||
    errno === 1062 ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
