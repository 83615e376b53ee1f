import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import type { RunningServer } from '../../apps/cli/src/server';
import { bootApps } from '../helpers/boot-apps';

jest.setTimeout(120_000);

interface LogLine {
  readonly msg: string;
  readonly realm?: string;
  readonly request_id?: string;
  readonly [key: string]: unknown;
}

/**
 * Issue 14: "Log lines written by domain code carry the request id and the realm". Requests in a stored
 * realm `a`, each with its own `X-Request-Id`, and the process's pino output captured as JSON lines.
 */
describe('log lines of a request in a realm carry its realm and request id', () => {
  let server: RunningServer;
  const lines: LogLine[] = [];
  const logged = (msg: string): LogLine[] => lines.filter((l) => l.msg === msg);

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    server = await bootApps({}, { logger: pino({ level: 'debug' }, stream) });
    await request(server.adminUrl)
      .post('/admin/realms')
      .send({ name: 'a', config: { selfservice: { methods: { lookup_secret: { enabled: true } } } } })
      .expect(201);
  });
  afterAll(() => server?.close());

  it('self-service (public) and admin domain lines, and client errors, name realm a and the request id', async () => {
    const pub = () => request(server.publicUrl);
    const { body: registration } = await pub().get('/realms/a/self-service/registration/api').expect(200);
    const { body: registered } = await pub()
      .post(`/realms/a/self-service/registration?flow=${registration.id}`)
      .send({ method: 'password', password: 'a realm logging passphrase', traits: { email: 'logs@a.example' } })
      .expect(200);
    const token = registered.session_token as string;
    const { body: settings } = await pub().get('/realms/a/self-service/settings/api').set('X-Session-Token', token).expect(200);
    const submit = (body: object, requestId: string) =>
      pub().post(`/realms/a/self-service/settings?flow=${settings.id}`).set('X-Session-Token', token).set('X-Request-Id', requestId).send(body);
    expect((await submit({ method: 'lookup_secret', lookup_secret_regenerate: true }, 'req-regenerate-a')).status).toBe(200);
    const confirmed = await submit({ method: 'lookup_secret', lookup_secret_confirm: true }, 'req-confirm-a');
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers['x-request-id']).toBe('req-confirm-a');
    expect(logged('backup recovery codes confirmed')).toEqual([expect.objectContaining({ realm: 'a', request_id: 'req-confirm-a', identity_id: registered.identity.id })]);

    const removed = await request(server.adminUrl)
      .delete(`/realms/a/admin/identities/${registered.identity.id}/credentials/lookup_secret`)
      .set('X-Request-Id', 'req-admin-a');
    expect(removed.status).toBe(204);
    expect(logged('admin removed a credential of an identity')).toEqual([expect.objectContaining({ realm: 'a', request_id: 'req-admin-a' })]);

    expect((await pub().get('/realms/a/sessions/whoami').set('X-Request-Id', 'req-401-a')).status).toBe(401);
    expect(logged('client error').filter((l) => l.request_id === 'req-401-a')).toEqual([expect.objectContaining({ realm: 'a', code: 401 })]);
    expect((await pub().get('/sessions/whoami').set('X-Request-Id', 'req-401-default')).status).toBe(401);
    expect(logged('client error').filter((l) => l.request_id === 'req-401-default')).toEqual([expect.objectContaining({ realm: 'default' })]);
  });
});
