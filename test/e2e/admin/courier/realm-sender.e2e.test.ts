import request from 'supertest';
import type { RunningServer } from '../../../../apps/cli/src/server';
import { makeMessage } from '../../../../libs/courier/testing/courier-message-store.contract';
import { testCtx } from '../../../../libs/x/testing';
import { bootApps } from '../../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../../helpers/databases';
import { eventually } from '../../../helpers/eventually';
import { oryClient } from '../../../helpers/ory-client';
import { type SmtpSink, startSmtpSink } from '../../../helpers/smtp-sink';

jest.setTimeout(120_000);

/** A verification code mail in `realm` (the prefix; '' is the default realm) to an address nobody has. */
async function triggerVerificationMail(server: RunningServer, prefix: string, email: string): Promise<void> {
  const { data: flow } = await oryClient(`${server.publicUrl}${prefix}`).initializeSelfServiceVerificationFlowWithoutBrowser();
  const res = await request(server.publicUrl).post(`${prefix}/self-service/verification?flow=${flow.id}`).send({ method: 'code', email });
  expect(res.status).toBe(200);
}

describe.each(databaseFactories().map((f) => [f.label, f] as const))('courier: each realm mails with its own sender on %s', (_label, factory) => {
  let db: TestDatabase;
  let sink: SmtpSink;
  let server: RunningServer;

  beforeAll(async () => {
    db = await factory.create();
    sink = await startSmtpSink();
    server = await bootApps({
      DSN: db.dsn,
      COURIER_SMTP_CONNECTION_URI: sink.uri(),
      COURIER_SMTP_FROM_ADDRESS: 'accounts@default.example',
      COURIER_SMTP_FROM_NAME: 'Default Accounts',
      COURIER_WORKER_POLL_INTERVAL: '50ms',
      SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
      REALMS_REFRESH_INTERVAL: '200ms',
    });
    const realm = (from: Record<string, string>) => ({ selfservice: { flows: { verification: { enabled: true } } }, courier: { smtp: from } });
    await request(server.adminUrl).post('/admin/realms').send({ name: 'a', config: realm({ from_address: 'hello@a.example', from_name: 'Realm A' }) }).expect(201);
    await request(server.adminUrl).post('/admin/realms').send({ name: 'b', config: realm({ from_address: 'hello@b.example' }) }).expect(201);
  });
  afterAll(async () => {
    await server?.close();
    await sink?.close();
    await db?.drop();
  });

  const mailTo = (to: string) => eventually(async () => sink.mails.find((m) => m.envelopeTo.includes(to)));

  it("sends a realm's mail from that realm's courier.smtp.from_*, and the default realm's from the file's", async () => {
    await triggerVerificationMail(server, '/realms/a', 'ann@a.example');
    await triggerVerificationMail(server, '/realms/b', 'bob@b.example');
    await triggerVerificationMail(server, '', 'dan@default.example');
    expect((await mailTo('ann@a.example')).from).toBe('Realm A <hello@a.example>');
    expect((await mailTo('bob@b.example')).from).toBe('hello@b.example');
    expect((await mailTo('dan@default.example')).from).toBe('Default Accounts <accounts@default.example>');
  });

  it('a changed sender applies to the next mail of that realm', async () => {
    await request(server.adminUrl)
      .put('/admin/realms/b')
      .send({ config: { selfservice: { flows: { verification: { enabled: true } } }, courier: { smtp: { from_address: 'news@b.example', from_name: 'B News' } } } })
      .expect(200);
    await triggerVerificationMail(server, '/realms/b', 'bea@b.example');
    expect((await mailTo('bea@b.example')).from).toBe('B News <news@b.example>');
  });

  it('abandons a message whose realm no longer exists and goes on sending the others', async () => {
    // A message left behind by a realm deleted while the dispatcher held it (deleting a realm deletes its messages).
    const ghost = testCtx({ realm: 'ghost' });
    const orphan = makeMessage({ recipient: 'orphan@ghost.example', nextAttemptAt: new Date() });
    await server.registry.courierMessageStore.create(ghost, orphan);
    await eventually(async () => ((await server.registry.courierMessageStore.get(ghost, orphan.id))?.status === 'abandoned' ? true : undefined));
    expect(sink.mails.some((m) => m.envelopeTo.includes('orphan@ghost.example'))).toBe(false);

    await triggerVerificationMail(server, '/realms/a', 'amy@a.example');
    expect((await mailTo('amy@a.example')).from).toBe('Realm A <hello@a.example>');
  });
});
