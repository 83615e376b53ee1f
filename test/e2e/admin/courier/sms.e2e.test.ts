import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { RunningServer } from '../../../../apps/cli/src/server';
import { SmsChannel } from '../../../../libs/courier';
import { makeMessage } from '../../../../libs/courier/testing/courier-message-store.contract';
import { bootApps } from '../../../helpers/boot-apps';
import { testCtx } from '../../../../libs/x/testing';
import { eventually } from '../../../helpers/eventually';

const ctx = testCtx();

interface GatewayCall {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A local SMS gateway: answers each call with the next status from `plan(to)` and records it. */
async function startGateway(plan: (to: string, attempt: number) => number): Promise<{ server: Server; url: string; calls: GatewayCall[] }> {
  const calls: GatewayCall[] = [];
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const to = String((JSON.parse(body) as { to?: string }).to);
      const attempt = (attempts.get(to) ?? 0) + 1;
      attempts.set(to, attempt);
      res.statusCode = plan(to, attempt);
      res.end(res.statusCode < 300 ? '{"sid":"SM1"}' : '{"error":"try later"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/2010-04-01/Messages.json`, calls };
}


describe('courier: SMS through an HTTP gateway', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let server: RunningServer;
  beforeAll(async () => {
    // +15550001 succeeds on the third try; +15550009 at once; +15550002 always fails.
    gateway = await startGateway((to, attempt) => (to === '+15550001' ? (attempt < 3 ? 500 : 201) : to === '+15550009' ? 201 : 503));
    server = await bootApps({
      COURIER_SMS_ENABLED: 'true',
      COURIER_SMS_FROM: 'Example',
      COURIER_SMS_REQUEST_CONFIG_URL: gateway.url,
      COURIER_SMS_REQUEST_CONFIG_AUTH_TYPE: 'basic_auth',
      COURIER_SMS_REQUEST_CONFIG_AUTH_CONFIG_USER: 'AC123',
      COURIER_SMS_REQUEST_CONFIG_AUTH_CONFIG_PASSWORD: 'gateway-pw',
      COURIER_MESSAGE_RETRIES: '3',
      COURIER_WORKER_POLL_INTERVAL: '30ms',
      COURIER_WORKER_BACKOFF_BASE: '10ms',
    });
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((r) => gateway?.server.close(r));
  });

  it('retries failed gateway calls with backoff until one succeeds, and abandons a number that keeps failing', async () => {
    const okId = await server.registry.courier.queueSms(ctx, 'verification_code_valid', { to: '+15550001', verification_code: '"481516"' });
    const failId = await server.registry.courier.queueSms(ctx, 'login_code_valid', { to: '+15550002', login_code: '2342' });
    const list = await eventually(async () => {
      const res = await request(server.adminUrl).get('/admin/courier/messages');
      const done = (res.body as { status: string }[]).every((m) => m.status === 'sent' || m.status === 'abandoned');
      return done ? (res.body as Record<string, unknown>[]) : undefined;
    });
    expect(list.find((m) => m.id === okId)).toMatchObject({ status: 'sent', type: 'phone', recipient: '+15550001', subject: '', send_count: 3 });
    expect(list.find((m) => m.id === failId)).toMatchObject({ status: 'abandoned', type: 'phone', send_count: 3 });

    const okCalls = gateway.calls.filter((c) => c.body.includes('+15550001'));
    expect(okCalls).toHaveLength(3);
    expect(gateway.calls.filter((c) => c.body.includes('+15550002'))).toHaveLength(3);
    const call = okCalls[2];
    expect(call.method).toBe('POST');
    expect(call.url).toBe('/2010-04-01/Messages.json');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers.authorization).toBe(`Basic ${Buffer.from('AC123:gateway-pw').toString('base64')}`);
    expect(JSON.parse(call.body)).toEqual({ to: '+15550001', from: 'Example', body: 'Your verification code is: "481516"' });
  });

  it("sends a stored realm's SMS with that realm's courier.sms.from", async () => {
    await request(server.adminUrl).post('/admin/realms').send({ name: 'texts', config: { courier: { sms: { from: 'TextsRealm' } } } }).expect(201);
    const realm = (await server.registry.realms.get('texts'))!;
    await realm.courier.queueSms(testCtx({ realm: 'texts' }), 'login_code_valid', { to: '+15550009', login_code: '777' });
    const call = await eventually(async () => gateway.calls.find((c) => c.body.includes('+15550009')));
    expect(JSON.parse(call.body)).toMatchObject({ to: '+15550009', from: 'TextsRealm' });
  });
});

describe('SmsChannel', () => {
  it('rejects when the gateway cannot be reached, without naming the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/send?api_key=secret-key`;
    await new Promise((r) => closed.close(r));
    const sms = { enabled: true, from: 'X', request_config: { url, method: 'POST', body: '{"to":"{{ .To }}"}', headers: {} } };
    const error = await new SmsChannel(sms).send(makeMessage({ type: 'sms', recipient: '+15550003' })).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^SMS gateway unreachable/);
    expect((error as Error).message).not.toContain('secret-key');
  });
});
