import { resolve } from 'node:path';
import { loadConfig } from '../../../../libs/config';
import { type Registry, createRegistry } from '../../../../libs/registry';
import { databaseFactories, type TestDatabase } from '../../../helpers/databases';
import { type SmtpSink, startSmtpSink } from '../../../helpers/smtp-sink';
import { testCtx } from '../../../../libs/x/testing';

const ctx = testCtx();

const N = 40;

/**
 * Two Tessera processes' worth of courier (two registries, each with its own connection pool and
 * dispatcher) share one database. Every message must reach the SMTP server exactly once.
 */
for (const factory of databaseFactories()) {
  describe(`courier: two dispatchers on one ${factory.label} database`, () => {
    let db: TestDatabase;
    let sink: SmtpSink;
    const registries: Registry[] = [];

    beforeAll(async () => {
      db = await factory.create();
      sink = await startSmtpSink();
      for (let i = 0; i < 2; i++) {
        const config = loadConfig({
          files: [resolve(__dirname, '../../../../config/test.yaml')],
          env: { DSN: db.dsn, COURIER_SMTP_CONNECTION_URI: sink.uri(), COURIER_WORKER_BATCH_SIZE: '5', COURIER_WORKER_POLL_INTERVAL: '20ms' },
        });
        registries.push(await createRegistry(config).init());
      }
    });
    afterAll(async () => {
      for (const r of registries) await r.close();
      await sink?.close();
      await db?.drop();
    });

    it('delivers N queued messages exactly once between them (dispatchOnce in parallel)', async () => {
      const [a, b] = registries;
      const recipients = Array.from({ length: N }, (_, i) => `user${i}@example.com`);
      for (const [i, to] of recipients.entries()) await (i % 2 ? a : b).courier.queueEmail(ctx, 'login_code_valid', { to, login_code: String(100000 + i) });

      let sent = 0;
      for (let round = 0; round < 4 * N && sent < N; round++) {
        const summaries = await Promise.all([a.dispatcher.dispatchOnce(), b.dispatcher.dispatchOnce(), a.dispatcher.dispatchOnce(), b.dispatcher.dispatchOnce()]);
        sent += summaries.reduce((n, s) => n + s.sent, 0);
      }
      expect(sent).toBe(N);
      await new Promise((r) => setTimeout(r, 100));
      const delivered = sink.mails.flatMap((m) => m.envelopeTo);
      expect(delivered).toHaveLength(N);
      expect(new Set(delivered)).toEqual(new Set(recipients));

      const list = await a.courierMessageStore.list(ctx, { size: 1000, status: 'sent' });
      expect(list.items).toHaveLength(N);
      expect(list.items.every((m) => m.sendCount === 1)).toBe(true);
      const senders = new Set(list.items.map((m) => m.claimedBy));
      expect(senders).toEqual(new Set([a.dispatcher.workerId, b.dispatcher.workerId]));
    });

    it('delivers exactly once with both dispatchers polling on their own', async () => {
      const [a, b] = registries;
      const before = sink.mails.length;
      const recipients = Array.from({ length: N }, (_, i) => `poll${i}@example.com`);
      for (const to of recipients) await a.courier.queueEmail(ctx, 'registration_code_valid', { to, registration_code: '424242' });
      a.dispatcher.start();
      b.dispatcher.start();
      await sink.waitFor(before + N, 45_000);
      await a.dispatcher.stop();
      await b.dispatcher.stop();
      await new Promise((r) => setTimeout(r, 100));
      const delivered = sink.mails.slice(before).flatMap((m) => m.envelopeTo);
      expect(delivered.sort()).toEqual([...recipients].sort());
      expect((await b.courierMessageStore.list(ctx, { size: 1, status: 'queued' })).items).toHaveLength(0);
    });
  });
}
