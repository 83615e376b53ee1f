import Database from 'better-sqlite3';
import { type SqliteConnection, SqliteWriteBatcher } from './sqlite-write-batcher';

function database(): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  return db;
}

/** Counts the transactions a connection opens. */
function counting(db: Database.Database): SqliteConnection & { begins: number } {
  const wrapper = {
    begins: 0,
    get inTransaction() {
      return db.inTransaction;
    },
    exec(sql: string) {
      if (sql.startsWith('BEGIN')) wrapper.begins++;
      return db.exec(sql);
    },
  };
  return wrapper;
}

describe('SqliteWriteBatcher', () => {
  it('commits the writes of one event-loop turn in one transaction and resolves each with its changes', async () => {
    const db = database();
    const conn = counting(db);
    const batcher = new SqliteWriteBatcher(conn);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.run(insert, [`v${i}`])));
    expect(results).toEqual(Array(20).fill(1));
    expect(conn.begins).toBe(1);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 20 });
    expect(db.inTransaction).toBe(false);
  });

  it('rejects only the statement that failed; the rest of the batch commits', async () => {
    const db = database();
    const batcher = new SqliteWriteBatcher(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const outcomes = await Promise.allSettled([batcher.run(insert, ['a']), batcher.run(insert, ['a']), batcher.run(insert, ['b'])]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 'a' }, { v: 'b' }]);
  });

  it('rejects every write of the batch when the commit fails, leaving no transaction open', async () => {
    const db = database();
    const failingCommit: SqliteConnection = {
      get inTransaction() {
        return db.inTransaction;
      },
      exec: (sql: string) => {
        if (sql === 'COMMIT') throw new Error('disk I/O error');
        return db.exec(sql);
      },
    };
    const batcher = new SqliteWriteBatcher(failingCommit);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const outcomes = await Promise.allSettled([batcher.run(insert, ['a']), batcher.run(insert, ['b'])]);
    expect(outcomes.every((o) => o.status === 'rejected' && (o.reason as Error).message === 'disk I/O error')).toBe(true);
    expect(db.inTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  });

  it('never writes inside a transaction someone else opened: waits until it ends, so its rollback cannot undo them', async () => {
    const db = database();
    const batcher = new SqliteWriteBatcher(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    db.exec('BEGIN');
    let settled = false;
    const writes = Promise.all([batcher.run(insert, ['a']), batcher.run(insert, ['b'])]).then((r) => ((settled = true), r));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    db.exec('ROLLBACK');
    await expect(writes).resolves.toEqual([1, 1]);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2 });
  });

  it('runNow commits what is queued and its own write before returning to the event loop', async () => {
    const db = database();
    const batcher = new SqliteWriteBatcher(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const queued = batcher.run(insert, ['a']);
    const now = batcher.runNow(db.prepare("UPDATE t SET v = 'z' WHERE v = ?"), ['a']);
    expect(db.prepare('SELECT v FROM t').all()).toEqual([{ v: 'z' }]);
    await expect(Promise.all([queued, now])).resolves.toEqual([1, 1]);
  });

  it('flush() commits queued writes at once (used on close)', async () => {
    const db = database();
    const batcher = new SqliteWriteBatcher(db);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const pending = batcher.run(insert, ['a']);
    batcher.flush();
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    await expect(pending).resolves.toBe(1);
  });
});
