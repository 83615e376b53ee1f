/**
 * OAuth2 throughput of Tessera (SQLite file, its own process) against a bare oidc-provider baseline
 * (in-memory adapter, its own process), in the same run on the same machine:
 *   - client_credentials tokens/s, opaque and ES256 JWT (autocannon, 10 connections)
 *   - token introspection/s (Tessera: admin API; baseline: the engine's introspection endpoint)
 *   - full authorization-code journeys/s: authorize -> login accept -> consent accept -> code -> token
 *
 *   npm run bench:oauth2          (targets, issue 7: >= 1,500 client_credentials/s and >= 60% of the baseline)
 *   BENCH_SECONDS=10 JOURNEY_CONCURRENCY=8 npm run bench:oauth2
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" npm run bench:oauth2   (profiles Tessera's process)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort, startTessera as startTesseraProcess, waitFor } from './tessera-process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 2);
const JOURNEY_CONCURRENCY = Number(process.env.JOURNEY_CONCURRENCY ?? 8);
const RP = 'https://rp.example/cb';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** One server under test and how to drive it. */
interface Target {
  readonly name: string;
  readonly publicUrl: string;
  readonly cc: { auth: string; body: string };
  readonly ccJwt: { auth: string; body: string };
  introspect(token: string): { url: string; headers: Record<string, string>; body: string };
  readonly web: { clientId: string; auth: string };
  accept(kind: 'login' | 'consent', uiUrl: string): Promise<string>;
  readonly child: ChildProcess;
}

async function startTessera(dir: string): Promise<Target> {
  const { child, publicUrl, adminUrl } = await startTesseraProcess(dir, { URLS_LOGIN: 'https://ui.example/login', URLS_CONSENT: 'https://ui.example/consent' });
  const create = async (body: Record<string, unknown>) => {
    const res = await fetch(`${adminUrl}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`client create failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as { client_id: string; client_secret: string };
  };
  const cc = await create({ grant_types: ['client_credentials'], scope: 'api:read' });
  const jwt = await create({ grant_types: ['client_credentials'], scope: 'api:read', access_token_strategy: 'jwt' });
  const web = await create({ redirect_uris: [RP], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid offline' });
  return {
    name: 'tessera',
    publicUrl,
    child,
    cc: { auth: basic(cc.client_id, cc.client_secret), body: 'grant_type=client_credentials&scope=api%3Aread' },
    ccJwt: { auth: basic(jwt.client_id, jwt.client_secret), body: 'grant_type=client_credentials&scope=api%3Aread' },
    introspect: (token) => ({ url: `${adminUrl}/admin/oauth2/introspect`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}` }),
    web: { clientId: web.client_id, auth: basic(web.client_id, web.client_secret) },
    accept: async (kind, uiUrl) => {
      const challenge = new URL(uiUrl).searchParams.get(`${kind}_challenge`);
      const body = kind === 'login' ? { subject: 'bench-user' } : { grant_scope: ['openid', 'offline'], session: { id_token: { email: 'bench@example.com' } } };
      const res = await fetch(`${adminUrl}/admin/oauth2/auth/requests/${kind}/accept?${kind}_challenge=${challenge}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return ((await res.json()) as { redirect_to: string }).redirect_to;
    },
  };
}

async function startBaseline(): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(__dirname, 'oauth2-baseline.js')], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const publicUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${publicUrl}/.well-known/openid-configuration`, child);
  return {
    name: 'bare oidc-provider',
    publicUrl,
    child,
    cc: { auth: basic('cc', 'cc-secret'), body: 'grant_type=client_credentials&scope=api%3Aread' },
    ccJwt: { auth: basic('cc', 'cc-secret'), body: 'grant_type=client_credentials&scope=api%3Aread&resource=https%3A%2F%2Fapi.test' },
    introspect: (token) => ({
      url: `${publicUrl}/oauth2/introspect`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('cc', 'cc-secret') },
      body: `token=${token}`,
    }),
    web: { clientId: 'web', auth: basic('web', 'web-secret') },
    accept: async (kind, uiUrl) => {
      const res = await fetch(`${publicUrl}/bench/${kind}?challenge=${new URL(uiUrl).searchParams.get('challenge')}`, { method: 'PUT' });
      return ((await res.json()) as { redirect_to: string }).redirect_to;
    },
  };
}

/** requests/s of a POST for SECONDS with CONNECTIONS connections (after a warm-up); throws unless every answer is 200. */
async function load(url: string, headers: Record<string, string>, body: string): Promise<{ rps: number; p99: number }> {
  await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: WARMUP_SECONDS }); // JIT, caches, SQLite pages
  const result = await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function token(target: Target, cc: { auth: string; body: string }): Promise<string> {
  const res = await fetch(`${target.publicUrl}/oauth2/token`, { method: 'POST', headers: { authorization: cc.auth, 'content-type': 'application/x-www-form-urlencoded' }, body: cc.body });
  if (!res.ok) throw new Error(`${target.name} token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** One browser: a cookie jar over fetch that stops at the first redirect leaving the server. */
async function journey(target: Target): Promise<void> {
  const jar = new Map<string, string>();
  const get = async (url: string): Promise<string> => {
    let current = url;
    for (let i = 0; i < 10; i++) {
      if (!current.startsWith(target.publicUrl)) return current;
      const res = await fetch(current, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      await res.arrayBuffer();
      const location = res.headers.get('location');
      if (!location) throw new Error(`${target.name}: ${res.status} at ${current}`);
      current = new URL(location, current).href;
    }
    throw new Error('too many redirects');
  };
  const authorize = `${target.publicUrl}/oauth2/auth?${new URLSearchParams({ client_id: target.web.clientId, response_type: 'code', redirect_uri: RP, scope: 'openid offline', state: 'bench-state-1', nonce: 'bench-nonce-1' })}`;
  const login = await get(authorize);
  const consent = await get(await target.accept('login', login));
  const callback = await get(await target.accept('consent', consent));
  const code = new URL(callback).searchParams.get('code');
  const res = await fetch(`${target.publicUrl}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: target.web.auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code ?? '', redirect_uri: RP }).toString(),
  });
  if (!res.ok) throw new Error(`${target.name} code exchange: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

async function journeys(target: Target): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: JOURNEY_CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        await journey(target);
        done++;
      }
    }),
  );
  return done / SECONDS;
}

async function measure(target: Target): Promise<Record<string, { rps: number; p99?: number }>> {
  const headers = (auth: string) => ({ authorization: auth, 'content-type': 'application/x-www-form-urlencoded' });
  const tokenUrl = `${target.publicUrl}/oauth2/token`;
  await journey(target); // warm up the engine (keys, caches)
  const opaque = await load(tokenUrl, headers(target.cc.auth), target.cc.body);
  const jwt = await load(tokenUrl, headers(target.ccJwt.auth), target.ccJwt.body);
  const req = target.introspect(await token(target, target.cc));
  const introspection = await load(req.url, req.headers, req.body);
  return { 'client_credentials, opaque': opaque, 'client_credentials, ES256 JWT': jwt, introspection, 'auth-code journeys': { rps: await journeys(target) } };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const tessera = await startTessera(dir);
  const baseline = await startBaseline();
  try {
    const ours = await measure(tessera);
    const bare = await measure(baseline);
    process.stdout.write(`OAuth2 bench: ${SECONDS} s per scenario, ${CONNECTIONS} connections (journeys: ${JOURNEY_CONCURRENCY} concurrent browsers)\n`);
    process.stdout.write('| scenario | Tessera (SQLite) | bare oidc-provider (memory) | ratio |\n|---|---|---|---|\n');
    for (const [name, r] of Object.entries(ours)) {
      const b = bare[name];
      const p99 = (x: { p99?: number }) => (x.p99 === undefined ? '' : `, p99 ${x.p99} ms`);
      process.stdout.write(`| ${name} | ${r.rps.toFixed(0)}/s${p99(r)} | ${b.rps.toFixed(0)}/s${p99(b)} | ${((100 * r.rps) / b.rps).toFixed(0)}% |\n`);
    }
  } finally {
    for (const t of [tessera, baseline]) {
      t.child.kill('SIGTERM');
      await new Promise((resolve) => t.child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
