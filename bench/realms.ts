/**
 * Many realms in one process (issue 14): Tessera (`tessera serve`, SQLite file, its own process)
 *   1. creates REALMS realms through the admin API (`POST /admin/realms`, CREATE_CONCURRENCY at a time),
 *      as an operator or the projects API would, and reports the creation rate;
 *   2. creates one client_credentials client in each of ACTIVE of them (`POST /realms/{name}/admin/clients`);
 *   3. runs client_credentials for SECONDS (autocannon, CONNECTIONS connections) against one stored realm,
 *      then ROUNDS times in turn against the default realm (the single-realm figure) and round-robin across
 *      the ACTIVE realms (each request goes to the next realm: `/realms/{name}/oauth2/token`), and reports
 *      the medians of tokens/s and of the server's CPU ms per token (steadier on a shared machine), their
 *      ratios, and the server's RSS (now and peak, from /proc) after each step.
 * The server runs with the realm cache settings of config/default.yaml unless REALMS_* variables are set
 * (they reach the server's environment: REALMS_CAPACITY, REALMS_IDLE_TIMEOUT, REALMS_REFRESH_INTERVAL).
 *
 *   npm run bench:realms        (targets, issue 14: round-robin >= 70% of single-realm tokens/s, RSS < 1 GB)
 *   REALMS=200 ACTIVE=20 BENCH_SECONDS=5 npm run bench:realms
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" npm run bench:realms   (profiles Tessera's process)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startTessera } from './tessera-process';

const REALMS = Number(process.env.REALMS ?? 1_000);
const ACTIVE = Number(process.env.ACTIVE ?? 100);
const CREATE_CONCURRENCY = Number(process.env.CREATE_CONCURRENCY ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const BODY = 'grant_type=client_credentials&scope=api%3Aread';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const realmName = (i: number) => `bench-${String(i).padStart(4, '0')}`;

/** Resident and peak resident memory of a process, in MiB (Linux /proc). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** CPU time (user + system, every thread) a process has used, in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs `task(i)` for i in [0, count), `concurrency` at a time. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Tokens/s of client_credentials for SECONDS after a warm-up, and the server's CPU ms per token (steadier
 * than tokens/s on a shared machine); each request is `next()`'s path and authorization.
 */
async function load(origin: string, pid: number, next: () => { path: string; auth: string }): Promise<{ rps: number; p99: number; cpu: number }> {
  const run = (duration: number) =>
    autocannon({
      url: origin,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          setupRequest: (req) => {
            const { path, auth } = next();
            return { ...req, method: 'POST', path, body: BODY, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth } };
          },
        },
      ],
    });
  await run(WARMUP_SECONDS);
  const cpuBefore = cpuMs(pid);
  const result = await run(SECONDS);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99, cpu: (cpuMs(pid) - cpuBefore) / result.requests.total };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const server = await startTessera(dir);
  const pid = server.child.pid as number;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const mib = () => {
    const m = memory(pid);
    return `RSS ${m.rss.toFixed(0)} MiB (peak ${m.peak.toFixed(0)} MiB)`;
  };
  try {
    out(`Realms bench: ${REALMS} realms, client_credentials across ${ACTIVE}; ${SECONDS} s per scenario, ${CONNECTIONS} connections`);
    const realmEnv = Object.entries(process.env).filter(([k]) => k.startsWith('REALMS_'));
    out(`server realm settings: ${realmEnv.length ? realmEnv.map(([k, v]) => `${k}=${v}`).join(' ') : 'defaults (realms.capacity 100, realms.idle_timeout 15m, realms.refresh_interval 5s)'}`);
    out(`started: ${mib()}`);

    let started = process.hrtime.bigint();
    await pool(REALMS, CREATE_CONCURRENCY, async (i) => void (await post(`${server.adminUrl}/admin/realms`, { name: realmName(i) })));
    const createSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    out(`created ${REALMS} realms (POST /admin/realms, ${CREATE_CONCURRENCY} concurrent) in ${createSeconds.toFixed(1)} s: ${(REALMS / createSeconds).toFixed(0)} realms/s; ${mib()}`);

    const client = { grant_types: ['client_credentials'], scope: 'api:read' };
    const single = await post(`${server.adminUrl}/admin/clients`, client);
    const singleAuth = basic(single.client_id as string, single.client_secret as string);
    const stride = Math.max(1, Math.floor(REALMS / ACTIVE));
    const active: { path: string; auth: string }[] = [];
    started = process.hrtime.bigint();
    for (let i = 0; i < ACTIVE; i++) {
      const name = realmName(i * stride);
      const c = await post(`${server.adminUrl}/realms/${name}/admin/clients`, client);
      active.push({ path: `/realms/${name}/oauth2/token`, auth: basic(c.client_id as string, c.client_secret as string) });
    }
    const clientSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    out(`one client in each of ${ACTIVE} realms (first use of each realm's admin side) in ${clientSeconds.toFixed(1)} s; ${mib()}`);

    // Single realm and round-robin alternate (ROUNDS each), so JIT warm-up and a busy minute hit both alike.
    const first = active[0];
    const stored = await load(server.publicUrl, pid, () => first);
    out(`one stored realm (${first.path}): ${stored.rps.toFixed(0)} tokens/s, p99 ${stored.p99} ms, server CPU ${stored.cpu.toFixed(3)} ms/token`);
    let turn = 0;
    const ones: Awaited<ReturnType<typeof load>>[] = [];
    const manys: Awaited<ReturnType<typeof load>>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ones.push(await load(server.publicUrl, pid, () => ({ path: '/oauth2/token', auth: singleAuth })));
      manys.push(await load(server.publicUrl, pid, () => active[turn++ % active.length]));
    }
    const one = { rps: median(ones.map((x) => x.rps)), p99: median(ones.map((x) => x.p99)), cpu: median(ones.map((x) => x.cpu)) };
    const many = { rps: median(manys.map((x) => x.rps)), p99: median(manys.map((x) => x.p99)), cpu: median(manys.map((x) => x.cpu)) };
    const list = (xs: { rps: number }[]) => xs.map((x) => x.rps.toFixed(0)).join(', ');
    out(`single realm (default), median of ${ROUNDS}: ${one.rps.toFixed(0)} tokens/s (${list(ones)}), p99 ${one.p99} ms, server CPU ${one.cpu.toFixed(3)} ms/token`);
    out(`round-robin across ${ACTIVE} realms, median of ${ROUNDS}: ${many.rps.toFixed(0)} tokens/s (${list(manys)}), p99 ${many.p99} ms, server CPU ${many.cpu.toFixed(3)} ms/token; ${mib()}`);
    out(`ratio: ${((100 * many.rps) / one.rps).toFixed(0)}% of the single-realm tokens/s, ${((100 * one.cpu) / many.cpu).toFixed(0)}% by server CPU per token (target >= 70%); RSS target < 1024 MiB`);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
