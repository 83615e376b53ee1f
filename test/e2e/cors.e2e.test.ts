import request from 'supertest';
import { runCli } from '../../apps/cli/src/cli';
import type { RunningServer } from '../../apps/cli/src/server';
import { bootApps } from '../helpers/boot-apps';

/** A preflight and an actual request from `origin`, as a browser sends them. */
async function fromOrigin(server: RunningServer, origin: string) {
  const preflight = await request(server.publicUrl)
    .options('/sessions/whoami')
    .set('Origin', origin)
    .set('Access-Control-Request-Method', 'GET')
    .set('Access-Control-Request-Headers', 'X-Session-Token');
  const actual = await request(server.publicUrl).get('/sessions/whoami').set('Origin', origin);
  return { preflight, actual };
}

describe('CORS: a bare * never carries credentials', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootApps({ SERVE_PUBLIC_CORS_ENABLED: 'true' });
  });
  afterAll(() => server.close());

  it('boots with CORS enabled alone and answers any origin with a literal * and no credentials', async () => {
    const { preflight, actual } = await fromOrigin(server, 'https://evil.example');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toContain('GET');
    expect(actual.status).toBe(401);
    expect(actual.headers['access-control-allow-origin']).toBe('*');
    expect(actual.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('CORS: listed origins are echoed with credentials', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootApps({
      SERVE_PUBLIC_CORS_ENABLED: 'true',
      SERVE_PUBLIC_CORS_ALLOW_CREDENTIALS: 'true',
      SERVE_PUBLIC_CORS_ALLOWED_ORIGINS: 'https://app.example.org,https://*.example.com',
    });
  });
  afterAll(() => server.close());

  it.each(['https://app.example.org', 'https://shop.example.com', 'https://a.b.example.com'])('echoes %s with credentials', async (origin) => {
    const { preflight, actual } = await fromOrigin(server, origin);
    for (const res of [preflight, actual]) {
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers.vary).toMatch(/Origin/);
    }
    expect(preflight.status).toBe(204);
  });

  it.each(['https://evil.example', 'https://example.com', 'https://evil.example.com.attacker.test', 'http://shop.example.com', 'null'])(
    'answers %s without any CORS header',
    async (origin) => {
      const { preflight, actual } = await fromOrigin(server, origin);
      for (const res of [preflight, actual]) {
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      }
    },
  );
});

describe('CORS: credentials with a bare * refuse to boot', () => {
  it.each([
    ['serve.public.cors.allow_credentials', { SERVE_PUBLIC_CORS_ENABLED: 'true', SERVE_PUBLIC_CORS_ALLOW_CREDENTIALS: 'true' }],
    ['serve.admin.cors.allow_credentials', { SERVE_ADMIN_CORS_ALLOW_CREDENTIALS: 'true', SERVE_ADMIN_CORS_ALLOWED_ORIGINS: 'https://a.example,*' }],
  ])('names %s', async (key, env) => {
    const err: string[] = [];
    let served: RunningServer | undefined;
    const env2 = { DSN: 'memory', LOG_LEVEL: 'silent', SERVE_PUBLIC_PORT: '0', SERVE_ADMIN_PORT: '0', ...env };
    const code = await runCli(['serve'], { out: () => undefined, err: (l) => err.push(l), env: env2, onServe: (s) => (served = s) });
    await served?.close();
    expect(code).toBe(1);
    expect(served).toBeUndefined();
    expect(err.join('\n')).toContain(key);
  });
});
