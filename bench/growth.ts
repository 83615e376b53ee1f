/**
 * Growth does not degrade (issue 16, item 6): client_credentials, token introspection and /sessions/whoami
 * throughput on a database grown by N OAuth2 tokens and N sessions, against a fresh database, in the same run:
 *   - fresh:   a new SQLite file (Tessera in its own process, autocannon with CONNECTIONS connections)
 *   - grown:   a second file with N ClientCredentials token rows and N sessions written beside the bench's own
 *              (EXPIRED_SHARE of them expired two days ago, the rest live), measured before any cleanup
 *   - cleaned: the same file after `tessera cleanup --keep-last 0s` (run while serving) removed the expired rows
 * Both servers run side by side and are measured in alternation (ROUNDS rounds, median), and each grown figure
 * is printed as a share of the fresh one measured in the same rounds (target: within 10 %).
 *
 *   npm run bench:growth                      (N = 1,000,000)
 *   GROWTH_ROWS=100000 BENCH_SECONDS=3 ROUNDS=3 npm run bench:growth
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { type TesseraProcess, startTessera } from './tessera-process';

const ROWS = Number(process.env.GROWTH_ROWS ?? 1_000_000);
const EXPIRED_SHARE = Number(process.env.EXPIRED_SHARE ?? 0.9);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const PASSWORD = 'correct horse battery staple';

type Figures = Record<'client_credentials' | 'introspection' | 'whoami', { rps: number; p99: number }>;

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** requests/s for SECONDS after a warm-up; throws unless every answer is 2xx. */
async function load(options: autocannon.Options): Promise<{ rps: number; p99: number }> {
  await autocannon({ ...options, connections: CONNECTIONS, duration: WARMUP_SECONDS });
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function json(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', accept: 'application/json', ...init.headers } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** A client_credentials client, a token of it, an identity and a session token of it. */
async function setUp(server: TesseraProcess): Promise<{ clientId: string; cc: string; token: string; session: string; identityId: string }> {
  const client = await json(`${server.adminUrl}/admin/clients`, { method: 'POST', body: JSON.stringify({ grant_types: ['client_credentials'], scope: 'api:read' }) });
  const cc = basic(String(client.client_id), String(client.client_secret));
  const tokenRes = await fetch(`${server.publicUrl}/oauth2/token`, { method: 'POST', headers: { authorization: cc, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=api%3Aread' });
  const token = String(((await tokenRes.json()) as { access_token: string }).access_token);
  const email = `growth-${randomUUID()}@example.com`;
  const identity = await json(`${server.adminUrl}/admin/identities`, { method: 'POST', body: JSON.stringify({ schema_id: 'default', traits: { email }, credentials: { password: { config: { password: PASSWORD } } } }) });
  const flow = await json(`${server.publicUrl}/self-service/login/api`);
  const login = await json(`${server.publicUrl}/self-service/login?flow=${String(flow.id)}`, { method: 'POST', body: JSON.stringify({ method: 'password', identifier: email, password: PASSWORD }) });
  return { clientId: String(client.client_id), cc, token, session: String(login.session_token), identityId: String(identity.id) };
}

async function measure(server: TesseraProcess, s: { cc: string; token: string; session: string }): Promise<Figures> {
  return {
    client_credentials: await load({ url: `${server.publicUrl}/oauth2/token`, method: 'POST', headers: { authorization: s.cc, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=api%3Aread' }),
    introspection: await load({ url: `${server.adminUrl}/admin/oauth2/introspect`, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${s.token}` }),
    whoami: await load({ url: `${server.publicUrl}/sessions/whoami`, method: 'GET', headers: { 'x-session-token': s.session } }),
  };
}

/** SQLite's UTC datetime text, as TypeORM writes it. */
const sqlTime = (d: Date): string => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)}`;

/**
 * Writes `ROWS` ClientCredentials token rows of `clientId` and `ROWS` sessions of `identityId` straight into the
 * SQLite file (one transaction per 50,000 rows), as the engine and the session store would: the same columns,
 * indexes and payload sizes. `EXPIRED_SHARE` of each expired two days ago; the rest expire in a day.
 */
function grow(file: string, clientId: string, identityId: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const token = db.prepare('INSERT INTO oauth2_oidc_payloads (nid, model, id, payload, client_id, expires_at) VALUES (?, ?, ?, ?, ?, ?)');
  const session = db.prepare(
    'INSERT INTO sessions (nid, id, identity_id, token_hash, active, aal, authenticated_at, issued_at, expires_at, authentication_methods, devices, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const now = Date.now();
  const chunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const expired = i < ROWS * EXPIRED_SHARE;
      const issued = new Date(expired ? now - 3 * 86_400_000 : now - 3_600_000);
      const expires = sqlTime(new Date(expired ? now - 2 * 86_400_000 : now + 86_400_000));
      const jti = randomBytes(32).toString('base64url');
      const payload = JSON.stringify({ iat: Math.floor(issued.getTime() / 1000), exp: Math.floor(Date.parse(`${expires.replace(' ', 'T')}Z`) / 1000), accountId: undefined, clientId, kind: 'ClientCredentials', jti, scope: 'api:read', extra: {} });
      token.run('default', 'ClientCredentials', jti, payload, clientId, expires);
      const at = sqlTime(issued);
      session.run('default', randomUUID(), identityId, randomBytes(32).toString('hex'), 'aal1', at, at, expires, JSON.stringify([{ method: 'password', aal: 'aal1', completed_at: issued.toISOString() }]), JSON.stringify([{ id: randomUUID(), ip_address: '127.0.0.1', user_agent: 'bench', location: '' }]), at, at);
    }
  });
  for (let i = 0; i < ROWS; i += 50_000) chunk(i, Math.min(ROWS, i + 50_000));
  db.close();
}

/**
 * Measures `a` and `b` in alternation, ROUNDS times each, and keeps the median per metric: on a shared, busy
 * machine a load spike then hits both sides instead of whichever phase it fell in.
 */
async function compare(a: { server: TesseraProcess; s: Session }, b: { server: TesseraProcess; s: Session }): Promise<[Figures, Figures]> {
  const runs: [Figures[], Figures[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    runs[0].push(await measure(a.server, a.s));
    runs[1].push(await measure(b.server, b.s));
  }
  const median = (figures: Figures[]): Figures => {
    const pick = (name: keyof Figures) => {
      const sorted = [...figures].sort((x, y) => x[name].rps - y[name].rps);
      return sorted[Math.floor(sorted.length / 2)][name];
    };
    return { client_credentials: pick('client_credentials'), introspection: pick('introspection'), whoami: pick('whoami') };
  };
  return [median(runs[0]), median(runs[1])];
}

type Session = Awaited<ReturnType<typeof setUp>>;

async function main(): Promise<void> {
  const dirs = [mkdtempSync(join(tmpdir(), 'tessera-growth-fresh-')), mkdtempSync(join(tmpdir(), 'tessera-growth-grown-'))];
  const results: Record<string, Figures> = {};
  const servers: TesseraProcess[] = [];
  try {
    const fresh = await startTessera(dirs[0], { DATABASE_CLEANUP_INTERVAL: '0s' });
    servers.push(fresh);
    const freshSession = await setUp(fresh);

    const seeding = await startTessera(dirs[1], { DATABASE_CLEANUP_INTERVAL: '0s' });
    const s = await setUp(seeding);
    seeding.child.kill();
    const file = join(dirs[1], 'bench.db');
    let started = Date.now();
    grow(file, s.clientId, s.identityId);
    process.stdout.write(`grew the database by ${ROWS} tokens and ${ROWS} sessions (${(EXPIRED_SHARE * 100).toFixed(0)} % expired) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const grown = await startTessera(dirs[1], { DATABASE_CLEANUP_INTERVAL: '0s' });
    servers.push(grown);

    [results.fresh, results.grown] = await compare({ server: fresh, s: freshSession }, { server: grown, s });
    started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '../apps/cli/src/main.js'), 'cleanup', '--keep-last', '0s'], { env: { ...process.env, DSN: `sqlite://${file}`, LOG_LEVEL: 'silent' } });
    process.stdout.write(`tessera cleanup (while serving) took ${((Date.now() - started) / 1000).toFixed(1)} s: ${stdout.trim().split('\n').at(-1)}\n`);
    [results.fresh2, results.cleaned] = await compare({ server: fresh, s: freshSession }, { server: grown, s });
  } finally {
    servers.forEach((server) => server.child.kill());
    dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  }
  process.stdout.write(`\n| median of ${ROUNDS} alternating runs, ${CONNECTIONS} connections, ${SECONDS} s | fresh | grown (${ROWS} tokens + ${ROWS} sessions) | fresh (again) | after cleanup |\n|---|---|---|---|---|\n`);
  const cell = (r: { rps: number; p99: number }, base?: { rps: number }) => `${r.rps.toFixed(0)}/s, p99 ${r.p99} ms${base ? ` (${((100 * r.rps) / base.rps).toFixed(0)} %)` : ''}`;
  for (const name of ['client_credentials', 'introspection', 'whoami'] as const) {
    process.stdout.write(`| ${name} | ${cell(results.fresh[name])} | ${cell(results.grown[name], results.fresh[name])} | ${cell(results.fresh2[name])} | ${cell(results.cleaned[name], results.fresh2[name])} |\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
