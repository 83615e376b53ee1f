import net from 'node:net';
import request from 'supertest';
import pkg from '../../package.json';
import type { RunningServer } from '../../apps/cli/src/server';
import { bootApps } from '../helpers/boot-apps';
import { testCtx } from '../../libs/x/testing';

const ctx = testCtx();

describe('platform: both apps in one process', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootApps();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(['publicUrl', 'adminUrl'] as const)('GET /health/alive and /health/ready answer ok on %s', async (which) => {
    const alive = await request(server[which]).get('/health/alive');
    expect(alive.status).toBe(200);
    expect(alive.body).toEqual({ status: 'ok' });
    const ready = await request(server[which]).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok' });
  });

  it.each(['publicUrl', 'adminUrl'] as const)('GET /version answers the package version on %s', async (which) => {
    const res = await request(server[which]).get('/version');
    expect(res.body).toEqual({ version: pkg.version });
  });

  it('sets no-cache and a request id on every response, echoing a given one', async () => {
    const res = await request(server.publicUrl).get('/health/alive').set('X-Request-Id', 'trace-42');
    expect(res.headers['cache-control']).toBe('private, no-cache, no-store, must-revalidate');
    expect(res.headers['x-request-id']).toBe('trace-42');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('gives the OAuth2 engine paths (served outside express) the same request id', async () => {
    const token = await request(server.publicUrl).post('/oauth2/token').set('X-Request-Id', 'trace-43').type('form').send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(400);
    expect(token.body.error).toBe('invalid_request');
    expect(token.headers['x-request-id']).toBe('trace-43');
    const discovery = await request(server.publicUrl).get('/.well-known/openid-configuration');
    expect(discovery.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers RFC 6749 server_error when the engine cannot be built', async () => {
    const provider = server.registry.oauth2Provider;
    const handle = jest.spyOn(provider as unknown as { build(): Promise<unknown> }, 'build').mockRejectedValueOnce(new Error('keys unreadable'));
    (provider as unknown as { ready?: unknown }).ready = undefined;
    try {
      const res = await request(server.publicUrl).get('/.well-known/jwks.json');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'server_error', error_description: 'The authorization server encountered an unexpected condition.' });
      expect(JSON.stringify(res.body)).not.toContain('keys unreadable');
    } finally {
      handle.mockRestore();
    }
  });

  it('answers an unknown admin route with malformed JSON as a 404 envelope, never 500 or HTML', async () => {
    const res = await request(server.adminUrl).post('/anything').set('content-type', 'application/json').send('{bad');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error).toMatchObject({ code: 404, status: 'Not Found', message: 'The requested resource could not be found' });
    expect(res.body.error.request).toBe(res.headers['x-request-id']);
  });

  it('answers unknown Hydra admin routes in the OAuth2 shape', async () => {
    const res = await request(server.adminUrl).get('/admin/clients/x/unknown');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'Not Found', status_code: 404 });
  });

  it('answers an unknown public route as a 404 envelope', async () => {
    const res = await request(server.publicUrl).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe(404);
  });

  it('keeps CORS off by default', async () => {
    const res = await request(server.publicUrl).options('/health/alive').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('stores generated secrets in the database', async () => {
    const secrets = server.registry.secrets;
    expect(secrets.default[0].length).toBeGreaterThanOrEqual(32);
    expect(await server.registry.secretStore.get(ctx, 'default')).toEqual(secrets.default);
  });
});

describe('platform: CORS when enabled', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootApps({ SERVE_PUBLIC_CORS_ENABLED: 'true', SERVE_PUBLIC_CORS_ALLOW_CREDENTIALS: 'true', SERVE_PUBLIC_CORS_ALLOWED_ORIGINS: 'https://*.example.com' });
  });
  afterAll(() => server.close());

  it('allows a matching origin and refuses another', async () => {
    const ok = await request(server.publicUrl).options('/health/alive').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'GET');
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    const no = await request(server.publicUrl).options('/health/alive').set('Origin', 'https://evil.test').set('Access-Control-Request-Method', 'GET');
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('applies to the OAuth2 engine paths too (served outside express)', async () => {
    const preflight = await request(server.publicUrl).options('/oauth2/token').set('Origin', 'https://app.example.com').set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const discovery = await request(server.publicUrl).get('/.well-known/openid-configuration').set('Origin', 'https://app.example.com');
    expect(discovery.status).toBe(200);
    expect(discovery.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('leaves the admin app without CORS', async () => {
    const res = await request(server.adminUrl).get('/health/alive').set('Origin', 'https://app.example.com');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('platform: readiness and shutdown', () => {
  it('reports 503 with errors when the database is gone, and close() frees the ports', async () => {
    const server = await bootApps();
    await server.registry.persistence.close();
    const res = await request(server.adminUrl).get('/health/ready');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ errors: { database: 'database is not ready' } });
    const alive = await request(server.adminUrl).get('/health/alive');
    expect(alive.status).toBe(200);
    await server.close();
    await expect(request(server.publicUrl).get('/health/alive')).rejects.toThrow();
  });

  it('drains an in-flight request before closing', async () => {
    const server = await bootApps();
    const { port } = new URL(server.publicUrl);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString()));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    // The request is on its way (headers half sent) when shutdown starts.
    socket.write('GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = server.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write('Connection: close\r\n\r\n');
    await ended;
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('{"status":"ok"}');
  });
});
