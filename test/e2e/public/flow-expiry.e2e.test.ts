import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { FixedClock } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';

describe('flow expiry (injected clock, no sleeping)', () => {
  let server: RunningServer;
  const clock = new FixedClock(new Date());
  beforeAll(async () => {
    server = await bootApps({ SELFSERVICE_FLOWS_LOGIN_LIFESPAN: '10m' }, { clock });
  });
  afterAll(() => server.close());

  it('answers an expired API login submit with 410 and a replacement flow', async () => {
    const { body: flow } = await request(server.publicUrl).get('/self-service/login/api');
    expect(new Date(flow.expires_at).getTime() - new Date(flow.issued_at).getTime()).toBe(10 * 60 * 1000);
    clock.advance(10 * 60 * 1000 + 150_000);
    const res = await request(server.publicUrl).post(`/self-service/login?flow=${flow.id}`).send({ method: 'password', identifier: 'a@b.co', password: 'whatever123' });
    expect(res.status).toBe(410);
    expect(res.body.error).toMatchObject({ id: 'self_service_flow_expired', code: 410, status: 'Gone' });
    expect(res.body.since).toBe(150_000 * 1_000_000);
    expect(res.body.expired_at).toBe(flow.expires_at);
    expect(res.body.use_flow_id).not.toBe(flow.id);
    const replacement = await request(server.publicUrl).get(`/self-service/login/flows?id=${res.body.use_flow_id}`);
    expect(replacement.status).toBe(200);
    expect(replacement.body.type).toBe('api');
    expect(replacement.body.ui.messages).toEqual([expect.objectContaining({ id: 4010001, type: 'error' })]);
    expect(replacement.body.ui.messages[0].text).toContain('2.50 minutes ago');
  });

  it('answers GET of an expired API flow with 410 and where to start again', async () => {
    const { body: flow } = await request(server.publicUrl).get('/self-service/registration/api');
    clock.advance(60 * 60 * 1000 + 1);
    const res = await request(server.publicUrl).get(`/self-service/registration/flows?id=${flow.id}`);
    expect(res.status).toBe(410);
    expect(res.body.error.details).toEqual({ api: `${server.registry.config.serve.public.base_url}self-service/registration/api` });
  });

  it('redirects a browser form submit of an expired flow to the replacement in the UI', async () => {
    const agent = request.agent(server.publicUrl);
    const { body: flow } = await agent.get('/self-service/login/browser').set('Accept', 'application/json');
    clock.advance(11 * 60 * 1000);
    const res = await agent.post(`/self-service/login?flow=${flow.id}`).type('form').send({ method: 'password', identifier: 'a@b.co', password: 'whatever123' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:4455\/login\?flow=[0-9a-f-]{36}$/);
    expect(res.headers.location).not.toContain(flow.id);
  });

  it('expires sessions by the same clock', async () => {
    const email = 'expiry@example.com';
    const { body: reg } = await request(server.publicUrl).get('/self-service/registration/api');
    const done = await request(server.publicUrl).post(`/self-service/registration?flow=${reg.id}`).send({ method: 'password', password: 'an expiry passphrase', traits: { email } });
    expect(done.status).toBe(200);
    const token = done.body.session_token;
    expect((await request(server.publicUrl).get('/sessions/whoami').set('X-Session-Token', token)).status).toBe(200);
    clock.advance(24 * 3600 * 1000 + 1);
    expect((await request(server.publicUrl).get('/sessions/whoami').set('X-Session-Token', token)).status).toBe(401);
  });
});
