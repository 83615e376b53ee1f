/**
 * Cold start and memory of `tessera serve` (issue 16, item 5: ready < 1 s on an existing database, idle RSS
 * < 150 MiB, no memory growth under a 10-minute mixed load).
 *
 * Prepares a SQLite file once (migrated, secrets and signing keys stored, a few hundred identities, OAuth2
 * clients, tokens), then starts `tessera serve` on it RUNS times in its own process and measures, per run:
 *   - wall time from spawn to `/health/ready` 200 on both the public and the admin port (polled every 10 ms),
 *   - the process's CPU time (user + system, /proc/<pid>/stat) spent up to that point — less sensitive than
 *     wall time to a busy box,
 *   - VmRSS (/proc/<pid>/status) after IDLE_MS of idling once ready.
 * Prints min/median/max.
 *
 *   npm run bench:cold-start                        (RUNS=5 IDLE_MS=2000)
 *   npm run bench:cold-start -- --soak 600          (after the runs: 600 s of mixed load, RSS every 10 s)
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" npm run bench:cold-start   (profiles each start)
 *   COMPARE=/path/to/other/dist/apps/cli/src/main.js npm run bench:cold-start
 *       (interleaves runs of another build on the same database — before/after figures on a busy box)
 *
 * The soak drives, CONCURRENCY at a time: API registration and login flows, whoami, client_credentials and
 * token introspection; it prints RSS every 10 s and the least-squares slope of RSS over the second half
 * of the run (after warm-up), in MiB per minute.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startTessera } from './tessera-process';

const RUNS = Number(process.env.RUNS ?? 5);
const IDLE_MS = Number(process.env.IDLE_MS ?? 2000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 6);
const USERS = 200;
const PASSWORD = 'correct horse battery staple';
const soakArg = process.argv.indexOf('--soak');
const SOAK_SECONDS = soakArg > 0 ? Number(process.argv[soakArg + 1] ?? 600) : 0;
const CLK_TCK = 100;
const THIS_BUILD = join(__dirname, '../apps/cli/src/main.js');

const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** Resident set of `pid` in MiB. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024;
}

/** User + system CPU time `pid` has used so far, in ms. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

async function ok(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).status === 200;
  } catch {
    return false;
  }
}

interface Started {
  readonly child: ChildProcess;
  readonly publicUrl: string;
  readonly adminUrl: string;
  readonly readyMs: number;
  readonly cpuMs: number;
}

/** Spawns `tessera serve` on `dir`'s database and waits for both readiness probes. */
async function coldStart(dir: string, env: Record<string, string>, main = THIS_BUILD): Promise<Started> {
  const [pub, adm] = [await freePort(), await freePort()];
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...nodeArgs, main, 'serve'], {
    env: { ...process.env, ...baseEnv(dir), SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm), ...env },
    // With BENCH_NODE_ARGS (e.g. --trace-gc) node writes to stdout: shown; the server's own log is silent.
    stdio: ['ignore', process.env.BENCH_NODE_ARGS ? 'inherit' : 'ignore', 'inherit'],
  });
  const publicUrl = `http://127.0.0.1:${pub}`;
  const adminUrl = `http://127.0.0.1:${adm}`;
  let publicReady = false;
  let adminReady = false;
  for (let i = 0; i < 3000 && !(publicReady && adminReady); i++) {
    if (child.exitCode !== null) throw new Error(`tessera serve exited with ${child.exitCode}`);
    [publicReady, adminReady] = await Promise.all([publicReady || ok(`${publicUrl}/health/ready`), adminReady || ok(`${adminUrl}/health/ready`)]);
    if (!(publicReady && adminReady)) await new Promise((r) => setTimeout(r, 10));
  }
  if (!(publicReady && adminReady)) throw new Error('tessera serve did not become ready in 30 s');
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { child, publicUrl, adminUrl, readyMs, cpuMs: cpuMs(child.pid!) };
}

function baseEnv(dir: string): Record<string, string> {
  return {
    DSN: `sqlite://${join(dir, 'bench.db')}`,
    LOG_LEVEL: 'silent',
    SERVE_PUBLIC_HOST: '127.0.0.1',
    SERVE_ADMIN_HOST: '127.0.0.1',
    HASHERS_ALGORITHM: 'bcrypt',
    HASHERS_BCRYPT_COST: '4',
    URLS_LOGIN: 'https://ui.example/login',
    URLS_CONSENT: 'https://ui.example/consent',
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

async function json<T>(res: Response, expect: number): Promise<T> {
  if (res.status !== expect) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Fixtures {
  readonly cc: { auth: string };
}

/** First boot: migrates, generates secrets, stores identities and clients, issues a token (signing keys). */
async function prepare(dir: string): Promise<Fixtures> {
  const server = await startTessera(dir, baseEnv(dir));
  try {
    for (let b = 0; b < USERS; b += 100) {
      const identities = Array.from({ length: 100 }, (_, i) => ({ traits: { email: `bench${b + i}@example.com` }, credentials: { password: { config: { password: PASSWORD } } } }));
      await json(await fetch(`${server.adminUrl}/admin/identities`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identities }) }), 200);
    }
    const client = await json<{ client_id: string; client_secret: string }>(
      await fetch(`${server.adminUrl}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_types: ['client_credentials'], scope: 'api:read' }) }),
      201,
    );
    const cc = { auth: basic(client.client_id, client.client_secret) };
    await clientCredentials(server.publicUrl, cc);
    return { cc };
  } finally {
    await stop(server.child);
  }
}

async function clientCredentials(publicUrl: string, cc: { auth: string }): Promise<string> {
  const res = await fetch(`${publicUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: cc.auth },
    body: 'grant_type=client_credentials&scope=api%3Aread',
  });
  return (await json<{ access_token: string }>(res, 200)).access_token;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs: number[], unit: string, digits = 0): string =>
  `min ${Math.min(...xs).toFixed(digits)} ${unit}, median ${median(xs).toFixed(digits)} ${unit}, max ${Math.max(...xs).toFixed(digits)} ${unit}`;

/** Mixed load for `seconds`; RSS every 10 s; returns the slope (MiB/min) over the second half. */
async function soak(server: Started, fx: Fixtures, seconds: number): Promise<void> {
  const pid = server.child.pid!;
  const deadline = Date.now() + seconds * 1000;
  const counts = { registration: 0, login: 0, whoami: 0, client_credentials: 0, introspect: 0, errors: 0 };
  let token = '';
  let n = 0;
  const json_ = { 'content-type': 'application/json', accept: 'application/json' };
  const step = async (): Promise<void> => {
    const k = n++ % 10;
    if (k === 0) {
      const flow = await json<{ id: string }>(await fetch(`${server.publicUrl}/self-service/registration/api`, { headers: { accept: 'application/json' } }), 200);
      const email = `soak-${process.pid}-${n}@example.com`;
      const body = JSON.stringify({ method: 'password', traits: { email }, password: PASSWORD });
      await json(await fetch(`${server.publicUrl}/self-service/registration?flow=${flow.id}`, { method: 'POST', headers: json_, body }), 200);
      counts.registration++;
    } else if (k === 1) {
      const flow = await json<{ id: string }>(await fetch(`${server.publicUrl}/self-service/login/api`, { headers: { accept: 'application/json' } }), 200);
      const body = JSON.stringify({ method: 'password', identifier: `bench${n % USERS}@example.com`, password: PASSWORD });
      token = (await json<{ session_token: string }>(await fetch(`${server.publicUrl}/self-service/login?flow=${flow.id}`, { method: 'POST', headers: json_, body }), 200)).session_token;
      counts.login++;
    } else if (k <= 4 && token) {
      await json(await fetch(`${server.publicUrl}/sessions/whoami`, { headers: { 'X-Session-Token': token } }), 200);
      counts.whoami++;
    } else if (k <= 7) {
      await clientCredentials(server.publicUrl, fx.cc);
      counts.client_credentials++;
    } else {
      const access = await clientCredentials(server.publicUrl, fx.cc);
      const res = await fetch(`${server.adminUrl}/admin/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${access}` });
      if (!(await json<{ active: boolean }>(res, 200)).active) throw new Error('introspection: token inactive');
      counts.introspect++;
    }
  };
  const samples: Array<[number, number]> = [];
  const t0 = Date.now();
  const sample = (): void => {
    const s = (Date.now() - t0) / 1000;
    const rss = rssMiB(pid);
    samples.push([s, rss]);
    process.stdout.write(`  t=${s.toFixed(0).padStart(4)} s  RSS ${rss.toFixed(1)} MiB  ${JSON.stringify(counts)}\n`);
  };
  sample();
  const timer = setInterval(sample, 10_000);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        try {
          await step();
        } catch (e) {
          counts.errors++;
          if (counts.errors < 5) process.stderr.write(`soak: ${(e as Error).message}\n`);
        }
      }
    }),
  );
  clearInterval(timer);
  sample();
  const tail = samples.filter(([s]) => s >= seconds / 2);
  const mx = tail.reduce((a, [s]) => a + s, 0) / tail.length;
  const my = tail.reduce((a, [, r]) => a + r, 0) / tail.length;
  const slope = tail.reduce((a, [s, r]) => a + (s - mx) * (r - my), 0) / tail.reduce((a, [s]) => a + (s - mx) ** 2, 0);
  const rss = samples.map(([, r]) => r);
  process.stdout.write(
    `soak ${seconds} s, concurrency ${CONCURRENCY}: ${JSON.stringify(counts)}\n` +
      `  RSS start ${rss[0].toFixed(1)} MiB, peak ${Math.max(...rss).toFixed(1)} MiB, end ${rss[rss.length - 1].toFixed(1)} MiB; ` +
      `slope over the second half ${(slope * 60).toFixed(2)} MiB/min\n`,
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cold-'));
  try {
    const fx = await prepare(dir);
    const builds = [THIS_BUILD, ...(process.env.COMPARE ? [process.env.COMPARE] : [])];
    const results = builds.map(() => ({ ready: [] as number[], cpu: [] as number[], rss: [] as number[] }));
    for (let i = 0; i < RUNS; i++) {
      for (const [b, main] of builds.entries()) {
        const server = await coldStart(dir, {}, main);
        await new Promise((r) => setTimeout(r, IDLE_MS));
        const idle = rssMiB(server.child.pid!);
        results[b].ready.push(server.readyMs);
        results[b].cpu.push(server.cpuMs);
        results[b].rss.push(idle);
        const name = b === 0 ? 'this build' : 'COMPARE';
        process.stdout.write(`run ${i + 1} (${name}): ready ${server.readyMs.toFixed(0)} ms (cpu ${server.cpuMs.toFixed(0)} ms), idle RSS ${idle.toFixed(1)} MiB\n`);
        // The first requests after a cold start must work (lazily built parts included).
        await clientCredentials(server.publicUrl, fx.cc);
        if (b === 0 && i === RUNS - 1 && SOAK_SECONDS > 0) await soak(server, fx, SOAK_SECONDS);
        await stop(server.child);
      }
    }
    for (const [b, main] of builds.entries()) {
      const r = results[b];
      process.stdout.write(
        `${b === 0 ? 'this build' : `COMPARE (${main})`}: cold start to ready (${RUNS} runs): ${summary(r.ready, 'ms')}\n` +
          `  CPU time to ready: ${summary(r.cpu, 'ms')}\n` +
          `  idle RSS (${IDLE_MS} ms after ready): ${summary(r.rss, 'MiB', 1)}\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
