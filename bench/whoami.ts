/**
 * `/sessions/whoami` throughput and latency (autocannon) against `tessera serve` on a SQLite file, in its
 * own process, with the load generator beside it: the `X-Session-Token`, `Authorization: Bearer` and
 * session cookie forms.
 *
 *   npm run bench:whoami                        (target, issue 16: >= 5,000 req/s, p99 < 10 ms on 2 cores)
 *   BENCH_COMPARE_MAIN=/path/to/other/dist/apps/cli/src/main.js npm run bench:whoami
 *       runs another build in the same run, interleaved (other, this, other, this, …), to compare
 *       before/after on a machine whose load changes
 *   BENCH_RUNS=3 BENCH_SECONDS=10 CONNECTIONS=10 npm run bench:whoami
 *   BENCH_ENV="CACHE_WHOAMI_TTL=0s" npm run bench:whoami     (extra environment for the servers: here, no cache)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { encodeSessionCookie } from '../libs/session';
import { type TesseraProcess, startTessera } from './tessera-process';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The servers' cookie secret, so the bench can build a session cookie as a browser would hold it. */
const COOKIE_SECRET = 'bench-cookie-secret-0123456789abcdef';
const COMPARE = process.env.BENCH_COMPARE_MAIN;
const EXTRA_ENV: Record<string, string> = Object.fromEntries(
  (process.env.BENCH_ENV ?? '')
    .split(/\s+/)
    .filter((kv) => kv.includes('='))
    .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
);

interface Result {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

/** Imports one identity (email + recovery/verifiable address), signs it in through an API login flow and returns the session token. */
async function signIn(server: TesseraProcess): Promise<string> {
  const password = 'correct horse battery staple';
  const created = await fetch(`${server.adminUrl}/admin/identities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ schema_id: 'default', traits: { email: 'bench@example.com' }, credentials: { password: { config: { password } } } }),
  });
  if (created.status !== 201) throw new Error(`identity create failed: ${created.status} ${await created.text()}`);
  const flow = (await (await fetch(`${server.publicUrl}/self-service/login/api`, { headers: { accept: 'application/json' } })).json()) as { id: string };
  const res = await fetch(`${server.publicUrl}/self-service/login?flow=${flow.id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ method: 'password', identifier: 'bench@example.com', password }),
  });
  const body = (await res.json()) as { session_token?: string };
  if (res.status !== 200 || !body.session_token) throw new Error(`login failed with ${res.status}`);
  return body.session_token;
}

/** Requests/s and latency of whoami with `headers` for SECONDS (after a warm-up); throws unless every answer is 200. */
async function load(url: string, headers: Record<string, string>): Promise<Result> {
  await autocannon({ url, headers, connections: CONNECTIONS, duration: WARMUP_SECONDS });
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: SECONDS });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

/** One fresh process and database of the build at `main`: token and cookie forms. */
async function measure(main: string | undefined): Promise<Record<string, Result>> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const server = await startTessera(dir, { HASHERS_BCRYPT_COST: '4', SECRETS_COOKIE: COOKIE_SECRET, ...EXTRA_ENV }, main === undefined ? undefined : join(dirname(main), '../../..'));
  try {
    const token = await signIn(server);
    const url = `${server.publicUrl}/sessions/whoami`;
    const session = (await (await fetch(url, { headers: { 'X-Session-Token': token } })).json()) as { expires_at: string };
    const cookie = `ory_kratos_session=${encodeSessionCookie(token, new Date(session.expires_at), [COOKIE_SECRET])}`;
    return {
      'X-Session-Token': await load(url, { 'X-Session-Token': token }),
      'Authorization: Bearer': await load(url, { authorization: `Bearer ${token}` }),
      'session cookie': await load(url, { cookie }),
    };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const builds: [string, string | undefined][] = COMPARE ? [['other build', COMPARE], ['this build', undefined]] : [['this build', undefined]];
  const rows: string[] = [];
  for (let run = 1; run <= RUNS; run++) {
    for (const [name, main] of builds) {
      for (const [form, r] of Object.entries(await measure(main))) {
        const row = `| ${run} | ${name} | ${form} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} |`;
        rows.push(row);
        process.stderr.write(`${row}\n`);
      }
    }
  }
  const env = Object.keys(EXTRA_ENV).length ? `, env ${JSON.stringify(EXTRA_ENV)}` : '';
  process.stdout.write(`whoami bench: ${SECONDS} s per scenario after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections, SQLite file${env}\n`);
  process.stdout.write(`| run | build | credential | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
