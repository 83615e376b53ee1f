/**
 * This build against another build of Tessera (e.g. a worktree of an older commit, built with
 * `npm run build`), on a machine that may be busy: both servers run at once (each its own process and
 * SQLite file; the idle one costs nothing) and short rounds alternate between them — A B, then B A, … —
 * so that a slow minute of the machine hits both sides alike. Per scenario it prints each side's
 * min/median/max and the median of the per-round ratios A/B, for throughput and for the server's CPU time
 * per request (user + system from /proc, all threads: on a shared machine the steadier figure, since it
 * counts the work done, not the share of the processors the server was given).
 * Scenarios: client_credentials (opaque, 10 connections), whoami (X-Session-Token, 32 connections),
 * password logins (API flow init + submit, CONCURRENCY browsers, bcrypt cost HASHERS_BCRYPT_COST or 12).
 *
 *   npm run build && node dist/bench/compare.js ../before/dist
 *   ROUNDS=10 ROUND_SECONDS=3 SCENARIOS=cc,whoami node dist/bench/compare.js ../before/dist
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { type TesseraProcess, startTessera } from './tessera-process';

const ROUNDS = Number(process.env.ROUNDS ?? 8);
const ROUND_SECONDS = Number(process.env.ROUND_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const SCENARIOS = (process.env.SCENARIOS ?? 'cc,whoami,login').split(',');
const USERS = 50;
const PASSWORD = 'correct horse battery staple';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

interface Side {
  readonly label: string;
  readonly server: TesseraProcess;
  readonly dir: string;
  ccAuth: string;
  sessionToken: string;
}

async function login(side: Side, n: number): Promise<string> {
  const flow = (await (await fetch(`${side.server.publicUrl}/self-service/login/api`, { headers: { accept: 'application/json' } })).json()) as { id: string };
  const res = await fetch(`${side.server.publicUrl}/self-service/login?flow=${flow.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ method: 'password', identifier: `bench${n % USERS}@example.com`, password: PASSWORD }),
  });
  const body = (await res.json()) as { session_token?: string };
  if (res.status !== 200 || !body.session_token) throw new Error(`${side.label} login failed with ${res.status}`);
  return body.session_token;
}

async function start(label: string, distDir: string): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-compare-'));
  const server = await startTessera(dir, {}, distDir);
  const res = await fetch(`${server.adminUrl}/admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_types: ['client_credentials'], scope: 'api:read' }),
  });
  if (res.status !== 201) throw new Error(`${label} client create failed: ${res.status}`);
  const client = (await res.json()) as { client_id: string; client_secret: string };
  const imported = await fetch(`${server.adminUrl}/admin/identities`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identities: Array.from({ length: USERS }, (_, i) => ({ traits: { email: `bench${i}@example.com` }, credentials: { password: { config: { password: PASSWORD } } } })) }),
  });
  if (!imported.ok) throw new Error(`${label} import failed with ${imported.status}`);
  const side: Side = { label, server, dir, ccAuth: basic(client.client_id, client.client_secret), sessionToken: '' };
  side.sessionToken = await login(side, 0);
  return side;
}

/** CPU time (user + system, every thread) a process has used, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One round of `scenario` against `side`, for `seconds`: requests (or logins) per second, and server CPU ms per request. */
async function round(side: Side, scenario: string, seconds: number): Promise<{ rps: number; cpu: number }> {
  const pid = side.server.child.pid as number;
  const cpuBefore = cpuMs(pid);
  const { rps, total } = await requests(side, scenario, seconds);
  return { rps, cpu: (cpuMs(pid) - cpuBefore) / total };
}

async function requests(side: Side, scenario: string, seconds: number): Promise<{ rps: number; total: number }> {
  if (scenario === 'login') {
    const deadline = Date.now() + seconds * 1000;
    let done = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < deadline) await login(side, done++);
      }),
    );
    return { rps: done / seconds, total: done };
  }
  const options =
    scenario === 'cc'
      ? { url: `${side.server.publicUrl}/oauth2/token`, method: 'POST' as const, connections: 10, headers: { authorization: side.ccAuth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&scope=api%3Aread' }
      : { url: `${side.server.publicUrl}/sessions/whoami`, connections: 32, headers: { 'X-Session-Token': side.sessionToken } };
  const result = await autocannon({ ...options, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${side.label} ${scenario}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, total: result.requests.total };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[], digits = 0) => `${Math.min(...xs).toFixed(digits)} / ${median(xs).toFixed(digits)} / ${Math.max(...xs).toFixed(digits)}`;

async function main(): Promise<void> {
  const other = process.argv[2];
  if (!other) throw new Error('usage: node dist/bench/compare.js <dist directory of the other build>');
  const a = await start('A (this build)', join(__dirname, '..'));
  const b = await start(`B (${resolve(other)})`, resolve(other));
  try {
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`${ROUNDS} rounds of ${ROUND_SECONDS} s per side and scenario, alternating A B / B A; A = this build, ${b.label}`);
    out('| scenario | figure | A min / median / max | B min / median / max | A/B median of rounds (min–max) |\n|---|---|---|---|---|');
    for (const scenario of SCENARIOS) {
      for (const side of [a, b]) await round(side, scenario, 1); // warm-up
      const results = { a: [] as { rps: number; cpu: number }[], b: [] as { rps: number; cpu: number }[] };
      for (let r = 0; r < ROUNDS; r++) {
        const order = r % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
        for (const key of order) results[key].push(await round(key === 'a' ? a : b, scenario, ROUND_SECONDS));
      }
      for (const [figure, pick, digits] of [['per s', (x: { rps: number }) => x.rps, 0], ['CPU ms per request', (x: { cpu: number }) => x.cpu, 3]] as const) {
        const [as, bs] = [results.a.map(pick), results.b.map(pick)];
        const ratios = as.map((x, i) => x / bs[i]);
        out(`| ${scenario} | ${figure} | ${spread(as, digits)} | ${spread(bs, digits)} | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`);
      }
    }
  } finally {
    for (const side of [a, b]) {
      side.server.child.kill('SIGTERM');
      await new Promise((done) => side.server.child.once('exit', done));
      rmSync(side.dir, { recursive: true, force: true });
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
