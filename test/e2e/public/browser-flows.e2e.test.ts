import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { testCtx } from '../../../libs/x/testing';

const ctx = testCtx();

interface Node {
  attributes: { name: string; value?: unknown };
}
const csrfOf = (flow: { ui: { nodes: Node[] } }): string => flow.ui.nodes.find((n) => n.attributes.name === 'csrf_token')?.attributes.value as string;

describe('browser-mode flows with a cookie jar', () => {
  let server: RunningServer;
  const email = 'browser@example.com';
  const password = 'a browser passphrase';
  beforeAll(async () => {
    server = await bootApps({ SELFSERVICE_ALLOWED_RETURN_URLS: 'http://127.0.0.1:3000/' });
  });
  afterAll(() => server.close());

  it('sets the CSRF cookie on JSON init and demands the token on submit', async () => {
    const agent = request.agent(server.publicUrl);
    const init = await agent.get('/self-service/registration/browser').set('Accept', 'application/json');
    expect(init.status).toBe(200);
    const cookies = ([] as string[]).concat(init.headers['set-cookie'] ?? []);
    const csrfCookie = cookies.find((c) => c.startsWith('csrf_token_'));
    expect(csrfCookie).toMatch(/^csrf_token_[0-9a-f]{64}=[A-Za-z0-9+/]{43}=; /);
    expect(csrfCookie).toMatch(/HttpOnly/);
    expect(csrfCookie).toMatch(/SameSite=Lax/);
    const flow = init.body;
    expect(flow.type).toBe('browser');
    const token = csrfOf(flow);
    expect(Buffer.from(token, 'base64')).toHaveLength(64);

    const without = await agent.post(`/self-service/registration?flow=${flow.id}`).set('Accept', 'application/json').send({ method: 'password', password, traits: { email } });
    expect(without.status).toBe(403);
    expect(without.body.error.id).toBe('security_csrf_violation');

    const wrong = await agent
      .post(`/self-service/registration?flow=${flow.id}`)
      .set('Accept', 'application/json')
      .send({ method: 'password', password, traits: { email }, csrf_token: Buffer.alloc(64, 1).toString('base64') });
    expect(wrong.status).toBe(403);

    const ok = await agent.post(`/self-service/registration?flow=${flow.id}`).set('Accept', 'application/json').send({ method: 'password', password, traits: { email }, csrf_token: token });
    expect(ok.status).toBe(200);
    expect(ok.body.identity.traits.email).toBe(email);
    expect(ok.body.session_token).toBeUndefined();
    const sessionCookie = ([] as string[]).concat(ok.headers['set-cookie'] ?? []).find((c) => c.startsWith('ory_kratos_session='));
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/Max-Age=86(399|400);/);
    expect(sessionCookie).not.toMatch(/Secure/);
  });

  it('a cookie from another browser does not satisfy the CSRF check', async () => {
    const victim = request.agent(server.publicUrl);
    const { body: flow } = await victim.get('/self-service/login/browser').set('Accept', 'application/json');
    const attacker = request.agent(server.publicUrl);
    await attacker.get('/self-service/login/browser').set('Accept', 'application/json');
    const res = await attacker.post(`/self-service/login?flow=${flow.id}`).set('Accept', 'application/json').send({ method: 'password', identifier: email, password, csrf_token: csrfOf(flow) });
    expect(res.status).toBe(403);
    const fetched = await attacker.get(`/self-service/login/flows?id=${flow.id}`);
    expect(fetched.status).toBe(403);
    expect((await victim.get(`/self-service/login/flows?id=${flow.id}`)).status).toBe(200);
  });

  it('redirects HTML init to the UI URL with ?flow=', async () => {
    const res = await request(server.publicUrl).get('/self-service/login/browser').set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:4455\/login\?flow=[0-9a-f-]{36}$/);
    const reg = await request(server.publicUrl).get('/self-service/registration/browser');
    expect(reg.status).toBe(303);
    expect(reg.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:4455\/registration\?flow=/);
  });

  it('logs in with a form post, sets the session cookie and redirects to return_to', async () => {
    const agent = request.agent(server.publicUrl);
    const init = await agent.get('/self-service/login/browser?return_to=http://127.0.0.1:3000/dashboard').set('Accept', 'application/json');
    expect(init.body.return_to).toBe('http://127.0.0.1:3000/dashboard');
    const res = await agent
      .post(`/self-service/login?flow=${init.body.id}`)
      .type('form')
      .send({ method: 'password', identifier: email, password, csrf_token: csrfOf(init.body) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('http://127.0.0.1:3000/dashboard');
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).some((c) => c.startsWith('ory_kratos_session='))).toBe(true);

    // Signed in: an HTML login init goes straight back, a JSON one says session_already_available.
    const again = await agent.get('/self-service/login/browser').set('Accept', 'text/html');
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('http://127.0.0.1:4455/');
    const json = await agent.get('/self-service/login/browser').set('Accept', 'application/json');
    expect(json.status).toBe(400);
    expect(json.body.error.id).toBe('session_already_available');
  });

  it('sends a failed form login back to the UI with the messages stored on the flow', async () => {
    const agent = request.agent(server.publicUrl);
    const init = await agent.get('/self-service/login/browser').set('Accept', 'application/json');
    const res = await agent.post(`/self-service/login?flow=${init.body.id}`).type('form').send({ method: 'password', identifier: email, password: 'nope nope nope', csrf_token: csrfOf(init.body) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`http://127.0.0.1:4455/login?flow=${init.body.id}`);
    const flow = await agent.get(`/self-service/login/flows?id=${init.body.id}`);
    expect(flow.body.ui.messages.map((m: { id: number }) => m.id)).toEqual([4000006]);
    expect(csrfOf(flow.body)).not.toBe(csrfOf(init.body));
  });

  it('sends a form CSRF failure to the error UI with the error stored', async () => {
    const agent = request.agent(server.publicUrl);
    const init = await agent.get('/self-service/login/browser').set('Accept', 'application/json');
    const res = await agent.post(`/self-service/login?flow=${init.body.id}`).type('form').send({ method: 'password', identifier: email, password });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:4455/error');
    const stored = await server.registry.errorStore.read(ctx, location.searchParams.get('id') as string);
    expect(stored?.error).toMatchObject({ id: 'security_csrf_violation', code: 403 });
  });

  it('refuses a return_to outside the allow-list', async () => {
    const res = await request(server.publicUrl).get('/self-service/login/browser?return_to=https://evil.example/').set('Accept', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error.id).toBe('self_service_flow_return_to_forbidden');
  });
});
