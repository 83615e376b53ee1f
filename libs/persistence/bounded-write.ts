import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Transaction } from '../x';
import type { Persistence } from './persistence';

/** Rows one chunked statement touches at most (issue 16: no statement holds the database for long). */
export const DEFAULT_CHUNK_SIZE = 1000;

/** A `DELETE` (no `set`) or `UPDATE … SET set` of the rows of `table` that match `where` (with `params`). */
export interface BoundedWrite {
  readonly table: string;
  /** The condition, `?` placeholders bound from `params`; must lead with the indexed columns (`nid = ? AND …`). */
  readonly where: string;
  readonly params: readonly unknown[];
  /** `UPDATE`: the assignments (`active = 0`, placeholders bound from `setParams` first). Must make the row stop matching `where`. */
  readonly set?: string;
  readonly setParams?: readonly unknown[];
  /**
   * SQLite only: the index the row sub-select must use (`INDEXED BY`). Without statistics SQLite may pick any
   * index matching `nid = ?` alone and walk the realm; naming the selective one keeps each chunk small.
   */
  readonly sqliteIndex?: string;
}

/**
 * One statement of a chunked write: at most `limit` rows. MySQL/MariaDB take `DELETE|UPDATE … LIMIT n`;
 * SQLite (built without `SQLITE_ENABLE_UPDATE_DELETE_LIMIT`) picks the rows by `rowid IN (SELECT rowid … LIMIT n)`.
 */
export function boundedWriteSql(dialect: 'sqlite' | 'mysql', write: BoundedWrite, limit: number): string {
  const n = Math.max(1, Math.floor(limit));
  const head = write.set ? `UPDATE ${write.table} SET ${write.set}` : `DELETE FROM ${write.table}`;
  return dialect === 'mysql'
    ? `${head} WHERE ${write.where} LIMIT ${n}`
    : `${head} WHERE rowid IN (SELECT rowid FROM ${write.table}${write.sqliteIndex ? ` INDEXED BY ${write.sqliteIndex}` : ''} WHERE ${write.where} LIMIT ${n})`;
}

/**
 * Runs `write` in statements of at most `chunkSize` rows until one touches fewer, and returns how many rows
 * were touched in all. Outside a transaction each statement is its own short autocommit write (group-committed
 * on SQLite) and the event loop runs other requests between two of them (`setImmediate`), so a revocation of
 * 245,000 tokens never holds SQLite's one connection, nor MySQL's row locks, for more than one chunk.
 * Inside `tx` the chunks run in that transaction (all or nothing, as the caller asked).
 * Invariant: `where` stops matching a row once it was written (a deleted row; an update that changes a column
 * `where` tests), otherwise this would not end.
 */
export async function runBounded(persistence: Persistence, write: BoundedWrite, tx?: Transaction, chunkSize = DEFAULT_CHUNK_SIZE): Promise<number> {
  const sql = boundedWriteSql(persistence.dialect, write, chunkSize);
  const params = [...(write.setParams ?? []), ...write.params];
  let total = 0;
  for (;;) {
    const n = await persistence.execute(sql, params, tx);
    total += n;
    if (n < chunkSize) return total;
    if (!tx) await yieldToEventLoop();
  }
}
