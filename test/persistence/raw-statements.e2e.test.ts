import { Persistence } from '../../libs/persistence';
import { databaseFactories, sharedPersistence } from '../helpers/databases';

/** `Persistence.read`/`execute`: the raw hot-path statements, in and outside transactions, on each dialect. */
for (const factory of databaseFactories()) {
  describe(`raw statements (${factory.label})`, () => {
    const open = sharedPersistence(factory);
    let p: Persistence;
    const id = () => `raw-${Math.random().toString(36).slice(2)}`;
    const insert = 'INSERT INTO oauth2_login_sessions (id, subject, remember, remember_for, authenticated_at, data, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?, ?, ?)';
    const at = (): unknown => (p.dialect === 'mysql' ? new Date() : new Date().toISOString().slice(0, 23).replace('T', ' '));

    beforeAll(async () => {
      p = await open();
    });

    it('reports affected rows outside and inside a transaction', async () => {
      const subject = id();
      const rows = [id(), id(), id()];
      for (const r of rows) expect(await p.execute(insert, [r, subject, true, at(), '{}', at(), at()])).toBe(1);
      const changed = await p.withTransaction((tx) => p.execute('UPDATE oauth2_login_sessions SET remember = ? WHERE subject = ?', [false, subject], tx));
      expect(changed).toBe(3);
      const read = await p.read('SELECT id, remember FROM oauth2_login_sessions WHERE subject = ? ORDER BY id', [subject]);
      expect(read.map((r) => Number(r.remember))).toEqual([0, 0, 0]);
      expect(await p.withTransaction((tx) => p.execute('DELETE FROM oauth2_login_sessions WHERE subject = ?', [subject], tx))).toBe(3);
    });

    it('rolls back writes made inside a failed transaction', async () => {
      const subject = id();
      await expect(
        p.withTransaction(async (tx) => {
          await p.execute(insert, [id(), subject, true, at(), '{}', at(), at()], tx);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await p.read('SELECT id FROM oauth2_login_sessions WHERE subject = ?', [subject])).toEqual([]);
    });

    it('keeps writes made outside a transaction that is open meanwhile and then rolls back', async () => {
      const subject = id();
      const outside = id();
      let entered!: () => void;
      let release!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const held = new Promise<void>((r) => (release = r));
      const failed = p.withTransaction(async (tx) => {
        await p.execute(insert, [id(), subject, true, at(), '{}', at(), at()], tx);
        entered();
        await held; // real I/O inside the transaction (e.g. hashing)
        throw new Error('abort');
      });
      await inside;
      const write = p.execute(insert, [outside, subject, true, at(), '{}', at(), at()]); // issued while the transaction is open
      await new Promise((r) => setTimeout(r, 30));
      release();
      await expect(failed).rejects.toThrow('abort');
      await expect(write).resolves.toBe(1);
      expect(await p.read('SELECT id FROM oauth2_login_sessions WHERE subject = ?', [subject])).toEqual([{ id: outside }]);
    });

    it('lets a transaction callback write without tx (it joins the transaction, no deadlock)', async () => {
      const subject = id();
      await expect(
        p.withTransaction(async () => {
          await p.execute(insert, [id(), subject, true, at(), '{}', at(), at()]);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const expected = p.dialect === 'mysql' ? 1 : 0; // MySQL: another pooled connection, not part of the transaction
      expect(await p.read('SELECT id FROM oauth2_login_sessions WHERE subject = ?', [subject])).toHaveLength(expected);
    });

    it('commits concurrent writes of one event-loop turn and rejects only the failing one', async () => {
      const subject = id();
      const dup = id();
      const outcomes = await Promise.allSettled([dup, dup, id(), id()].map((r) => p.execute(insert, [r, subject, true, at(), '{}', at(), at()])));
      const statuses = outcomes.map((o) => o.status);
      if (p.dialect === 'sqlite') expect(statuses).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']); // one batch, in order
      else expect([[...statuses.slice(0, 2)].sort(), statuses.slice(2)]).toEqual([['fulfilled', 'rejected'], ['fulfilled', 'fulfilled']]); // pooled connections: either duplicate may lose
      expect(await p.read('SELECT id FROM oauth2_login_sessions WHERE subject = ?', [subject])).toHaveLength(3);
    });
  });
}
