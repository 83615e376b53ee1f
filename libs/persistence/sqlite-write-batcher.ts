/** The part of a better-sqlite3 connection the batcher uses. */
export interface SqliteConnection {
  readonly inTransaction: boolean;
  exec(sql: string): unknown;
}

/** A prepared write statement. */
export interface SqliteWriteStatement {
  run(...params: unknown[]): { changes: number };
}

interface PendingWrite {
  readonly statement: SqliteWriteStatement;
  readonly params: readonly unknown[];
  resolve(changes: number): void;
  reject(error: unknown): void;
}

/**
 * Group commit for SQLite: hot-path writes issued within two turns of the event loop (one token
 * insert per concurrent token request) are committed together in one `BEGIN IMMEDIATE … COMMIT`,
 * so the WAL gets each touched page once per batch instead of once per write.
 *
 * Invariants:
 * - A write's promise settles only after its batch committed (or failed): a resolved write is durable
 *   to the same degree as an autocommit write.
 * - A statement that fails on its own (a constraint) rejects alone; the rest of the batch commits.
 *   A failure that ends the transaction (or the COMMIT itself) rejects every write of the batch.
 * - Never inside another transaction: while one is open on the connection (TypeORM's, between two of
 *   its awaits), the flush waits for it to end. Code running inside `Persistence.withTransaction`
 *   never queues here (its writes without `tx` run at once, as part of that transaction).
 * - A batch of one runs as a plain autocommit statement.
 */
export class SqliteWriteBatcher {
  private pending: PendingWrite[] = [];
  private retry?: NodeJS.Timeout;

  constructor(private readonly db: SqliteConnection) {}

  /** Queues a write for the next flush; resolves with the number of rows it changed. */
  run(statement: SqliteWriteStatement, params: readonly unknown[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (this.pending.length === 0) this.schedule();
      this.pending.push({ statement, params, resolve, reject });
    });
  }

  /**
   * Commits what is queued, then runs this write at once (for compare-and-set writes whose result
   * other requests must see immediately, like consuming a one-time code). While another transaction
   * is open it waits in the queue like any write.
   */
  runNow(statement: SqliteWriteStatement, params: readonly unknown[]): Promise<number> {
    this.flush();
    if (this.db.inTransaction) return this.run(statement, params);
    try {
      return Promise.resolve(statement.run(...params).changes);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Commits everything queued so far in one transaction. While another transaction is open on the
   * connection (a `withTransaction` between two of its awaits, or TypeORM's own), it waits for that
   * one to end instead: run inside it, the writes would be rolled back with it after being reported done.
   */
  flush(): void {
    if (this.pending.length === 0) return;
    if (this.db.inTransaction) {
      if (!this.retry) {
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.flush();
        }, 1);
        this.retry.unref();
      }
      return;
    }
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 1) {
      settle(batch[0], () => batch[0].statement.run(...batch[0].params).changes);
      return;
    }
    const outcomes: ({ changes: number } | { error: unknown })[] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const write of batch) {
        try {
          outcomes.push({ changes: write.statement.run(...write.params).changes });
        } catch (error) {
          if (!this.db.inTransaction) throw error;
          outcomes.push({ error });
        }
      }
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) write.reject(outcome.error);
      else write.resolve(outcome.changes);
    });
  }

  // Two event-loop turns: writes of requests whose previous step (a signature on the thread pool, a
  // read) completes in the next turn still join; idle, it costs microseconds.
  private schedule(): void {
    setImmediate(() => setImmediate(() => this.flush()));
  }
}

function settle(write: PendingWrite, work: () => number): void {
  try {
    write.resolve(work());
  } catch (error) {
    write.reject(error);
  }
}
