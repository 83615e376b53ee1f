import { Writable } from 'node:stream';
import type { Message, V0alpha2Api } from '@ory/client';
import pino from 'pino';
import request from 'supertest';
import type { RunningServer } from '../../../../apps/cli/src/server';
import { linksOf, pathOf } from '../../../helpers/links';
import { bootApps } from '../../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../../helpers/ory-client';
import { type SmtpSink, startSmtpSink } from '../../../helpers/smtp-sink';
import { testCtx } from '../../../../libs/x/testing';
import { eventually } from '../../../helpers/eventually';

const ctx = testCtx();

const PASSWORD = 'sup3r-secret-smtp-pw';


describe('courier: retries, abandonment and GET /admin/courier/messages', () => {
  let sink: SmtpSink;
  let server: RunningServer;
  let admin: V0alpha2Api;
  const logs: string[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink({ refuse: (rcpt) => rcpt.startsWith('bounce'), auth: { user: 'courier', pass: PASSWORD }, starttls: true });
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    server = await bootApps(
      {
        COURIER_SMTP_CONNECTION_URI: sink.uri('?skip_ssl_verify=true', `courier:${PASSWORD}`),
        COURIER_SMTP_FROM_ADDRESS: 'accounts@example.org',
        COURIER_SMTP_FROM_NAME: 'Example Accounts',
        COURIER_MESSAGE_RETRIES: '3',
        COURIER_WORKER_POLL_INTERVAL: '50ms',
        COURIER_WORKER_BACKOFF_BASE: '10ms',
        COURIER_WORKER_BACKOFF_MAX: '40ms',
      },
      { logger: pino({ level: 'trace' }, logStream) },
    );
    admin = oryClient(server.adminUrl);
  });
  afterAll(async () => {
    await server?.close();
    await sink?.close();
  });

  it('abandons a message the server refuses after courier.message_retries sends, while another is delivered', async () => {
    const courier = server.registry.courier;
    const bounceId = await courier.queueEmail(ctx, 'recovery_code_valid', { to: 'bounce@example.org', recovery_code: '99999999' });
    const goodId = await courier.queueEmail(ctx, 'recovery_code_valid', { to: 'ann@example.org', recovery_code: '12345678' });

    const abandoned = await eventually(async () => {
      const res = await request(server.adminUrl).get('/admin/courier/messages?status=abandoned');
      expect(res.status).toBe(200);
      return res.body.length > 0 ? (res.body as Message[]) : undefined;
    });
    expect(abandoned).toEqual([
      {
        id: bounceId,
        status: 'abandoned',
        type: 'email',
        recipient: 'bounce@example.org',
        body: '<redacted-unless-dev-mode>',
        subject: 'Recover access to your account',
        template_type: 'recovery_code_valid',
        send_count: 3,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);

    const sent = await request(server.adminUrl).get('/admin/courier/messages').query({ status: 'sent' });
    expect(sent.body.map((m: Message) => m.id)).toEqual([goodId]);
    expect(sent.body[0]).toMatchObject({ recipient: 'ann@example.org', send_count: 1 });
    expect(sink.mails.map((m) => m.envelopeTo)).toEqual([['ann@example.org']]);
    expect(sink.mails[0]).toMatchObject({ secure: true, user: 'courier', subject: 'Recover access to your account' });
    expect(sink.mails[0].from).toBe('Example Accounts <accounts@example.org>');
    expect(sink.mails[0].text).toContain('12345678');
    expect(sink.mails[0].html).toContain('<strong>12345678</strong>');
  });

  it('never writes the SMTP password to the log', () => {
    const all = logs.join('');
    expect(all).toContain('courier: send failed, will retry');
    expect(all).toContain('courier: message abandoned after 3 failed sends');
    expect(all).not.toContain(PASSWORD);
  });

  it('lists through @ory/client with status and recipient filters', async () => {
    const abandoned = await admin.adminListCourierMessages(250, 0, 'abandoned');
    expect(abandoned.status).toBe(200);
    expect(abandoned.data.map((m) => m.recipient)).toEqual(['bounce@example.org']);
    const forAnn = await admin.adminListCourierMessages(undefined, undefined, undefined, 'ann@example.org');
    expect(forAnn.data).toHaveLength(1);
    expect(forAnn.data[0]).toMatchObject({ status: 'sent', type: 'email', template_type: 'recovery_code_valid' });
    expect(forAnn.headers['x-total-count']).toBeUndefined();
    const none = await admin.adminListCourierMessages(250, 0, 'queued', 'ann@example.org');
    expect(none.data).toEqual([]);
  });

  it('answers 400 in the Ory envelope for an unknown status', async () => {
    const failure = await oryFailure(admin.adminListCourierMessages(250, 0, 'lost' as never));
    expect(failure.status).toBe(400);
    expect(failure.data).toMatchObject({ error: { code: 400, status: 'Bad Request', reason: 'Message status is not valid' } });
    const legacy = await request(server.adminUrl).get('/courier/messages?status=delivered');
    expect(legacy.status).toBe(400);
    expect(legacy.body.error.request).toBe(legacy.headers['x-request-id']);
  });

  it('paginates newest first by page_token and by the old page/per_page (also at /courier/messages)', async () => {
    const courier = server.registry.courier;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(await courier.queueEmail(ctx, 'login_code_valid', { to: 'pager@example.org', login_code: String(i) }));
      await new Promise((r) => setTimeout(r, 5));
    }
    const base = `${server.registry.config.serve.admin.base_url}courier/messages`;
    const first = await request(server.adminUrl).get('/admin/courier/messages?recipient=pager@example.org&per_page=2&page=0');
    expect(first.headers['x-total-count']).toBeUndefined();
    const links = linksOf(first.headers.link);
    expect(Object.keys(links)).toEqual(['first', 'next']);
    expect(links.first).toBe(`${base}?page=0&per_page=2&recipient=pager%40example.org`);
    expect(first.body.map((m: Message) => m.id)).toEqual([ids[2], ids[1]]);
    const followed = await request(server.adminUrl).get(pathOf(links.next as string, server.adminUrl));
    expect(followed.body.map((m: Message) => m.id)).toEqual([ids[0]]);
    expect(Object.keys(linksOf(followed.headers.link))).toEqual(['first', 'prev']);
    const second = await request(server.adminUrl).get('/courier/messages?recipient=pager@example.org&per_page=2&page=1');
    expect(second.body.map((m: Message) => m.id)).toEqual([ids[0]]);
    expect(first.headers['cache-control']).toBe('private, no-cache, no-store, must-revalidate');

    const byToken = await request(server.adminUrl).get('/admin/courier/messages?recipient=pager@example.org&page_size=2');
    expect(byToken.body.map((m: Message) => m.id)).toEqual([ids[2], ids[1]]);
    const tokenLinks = linksOf(byToken.headers.link);
    expect(tokenLinks.next).toMatch(/^\/admin\/courier\/messages\?page_size=2&page_token=[\w-]+&recipient=pager%40example.org$/);
    const rest = await request(server.adminUrl).get(tokenLinks.next as string);
    expect(rest.body.map((m: Message) => m.id)).toEqual([ids[0]]);
    expect(Object.keys(linksOf(rest.headers.link))).toEqual(['first']);
    const bad = await request(server.adminUrl).get('/admin/courier/messages?page_token=nope!');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 400, status: 'Bad Request', reason: 'The page_token query parameter is invalid.' });
  });
});

describe('courier: message bodies in dev mode', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootApps({ DEV: 'true' });
  });
  afterAll(() => server.close());

  it('shows the plain-text body when dev is true (no SMTP configured: the message stays queued)', async () => {
    const id = await server.registry.courier.queueEmail(ctx, 'verification_code_valid', { to: 'dev@example.org', verification_code: '13572468' });
    const res = await oryClient(server.adminUrl).adminListCourierMessages(250, 0, 'queued');
    expect(res.data).toEqual([expect.objectContaining({ id, status: 'queued', send_count: 0, body: expect.stringContaining('13572468') })]);
  });
});
