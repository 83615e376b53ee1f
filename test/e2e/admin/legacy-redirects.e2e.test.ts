import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';

describe("admin legacy redirects (Hydra v2's 307 from the un-prefixed admin paths, hydra-api.md §1)", () => {
  let server: RunningServer;
  let admin: string;
  beforeAll(async () => {
    server = await bootApps();
    admin = server.registry.config.serve.admin.base_url;
  });
  afterAll(() => server.close());

  it('redirects GET /clients to <admin>/admin/clients with 307, keeping the query string', async () => {
    const res = await request(server.adminUrl).get('/clients?page_size=1');
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe(`${admin}admin/clients?page_size=1`);
  });

  it('redirects PUT /oauth2/auth/requests/login/accept to the /admin path', async () => {
    const res = await request(server.adminUrl).put('/oauth2/auth/requests/login/accept?login_challenge=x').send({ subject: 'alice' });
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe(`${admin}admin/oauth2/auth/requests/login/accept?login_challenge=x`);
  });

  it('redirects POST /oauth2/introspect', async () => {
    const res = await request(server.adminUrl).post('/oauth2/introspect').type('form').send({ token: 'abc' });
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe(`${admin}admin/oauth2/introspect`);
  });

  it.each([
    ['DELETE', '/clients/some-id', 'admin/clients/some-id'],
    ['GET', '/keys/hydra.openid.id-token', 'admin/keys/hydra.openid.id-token'],
    ['GET', '/trust/grants/jwt-bearer/issuers?issuer=x', 'admin/trust/grants/jwt-bearer/issuers?issuer=x'],
    ['GET', '/oauth2/auth/requests/consent?consent_challenge=c', 'admin/oauth2/auth/requests/consent?consent_challenge=c'],
    ['DELETE', '/oauth2/auth/sessions/login?subject=s', 'admin/oauth2/auth/sessions/login?subject=s'],
    ['DELETE', '/oauth2/tokens?client_id=a%20b', 'admin/oauth2/tokens?client_id=a%20b'],
    ['POST', '/oauth2/flush', 'admin/oauth2/flush'],
  ])('redirects %s %s', async (method, path, target) => {
    const res = await request(server.adminUrl)[method.toLowerCase() as 'get'](path);
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe(`${admin}${target}`);
  });

  it('follows to a working endpoint with a real client (GET /clients → 200 array)', async () => {
    const created = await request(server.adminUrl).post('/admin/clients').send({ client_name: 'legacy-redirect' });
    expect(created.status).toBe(201);
    const res = await fetch(`${server.adminUrl}/clients?client_name=legacy-redirect`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    expect(res.redirected).toBe(true);
    expect(res.url).toBe(`${admin}admin/clients?client_name=legacy-redirect`);
    const body = (await res.json()) as Array<{ client_id: string }>;
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((c) => c.client_id)).toEqual([created.body.client_id]);
  });

  it('keeps the method and body when a client follows the 307 (POST /oauth2/introspect)', async () => {
    const res = await fetch(`${server.adminUrl}/oauth2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=not-a-token',
      redirect: 'follow',
    });
    expect(res.status).toBe(200);
    expect(res.redirected).toBe(true);
    expect(await res.json()).toEqual({ active: false });
  });

  it('does not redirect Kratos paths: GET /identities is served in place', async () => {
    const res = await request(server.adminUrl).get('/identities');
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(Array.isArray(res.body)).toBe(true);
  });

  it.each(['/nothing', '/clientsx', '/oauth2/auth', '/keys', '/clients/../identities'])('leaves %s to the 404 handler', async (path) => {
    const res = await request(server.adminUrl).get(path);
    expect(res.status).toBe(404);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toMatchObject({ error: { code: 404 } });
  });

  it('does not touch the /admin routes themselves', async () => {
    const res = await request(server.adminUrl).get('/admin/clients');
    expect(res.status).toBe(200);
  });
});

describe('admin legacy redirects with urls.self.admin set', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootApps({ URLS_SELF_ADMIN: 'https://hydra-admin.example/' });
  });
  afterAll(() => server.close());

  it('builds the Location from urls.self.admin', async () => {
    const res = await request(server.adminUrl).get('/clients?page_size=1&page_token=abc');
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe('https://hydra-admin.example/admin/clients?page_size=1&page_token=abc');
  });
});

describe('admin legacy redirects under an admin URL with a path and no trailing slash', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootApps({ URLS_SELF_ADMIN: 'https://gw.example/hydra' });
  });
  afterAll(() => server.close());

  it('appends admin/<path> without a double slash', async () => {
    const res = await request(server.adminUrl).put('/oauth2/auth/requests/logout/accept?logout_challenge=l');
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe('https://gw.example/hydra/admin/oauth2/auth/requests/logout/accept?logout_challenge=l');
  });
});
