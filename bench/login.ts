/**
 * Password login throughput and whoami throughput against a SQLite file, at the bcrypt cost in
 * config/default.yaml (12) unless HASHERS_BCRYPT_COST is set.
 *
 *   npm run bench:login            (targets, issue 5: whoami >= 3,000 req/s with p99 < 20 ms on 2 cores)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startTessera } from './tessera-process';

const LOGIN_SECONDS = Number(process.env.LOGIN_SECONDS ?? 10);
const WHOAMI_SECONDS = Number(process.env.WHOAMI_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const server = await startTessera(dir);
  const cost = process.env.HASHERS_BCRYPT_COST ?? '12';
  const users = 200;
  const password = 'correct horse battery staple';
  const imported = await fetch(`${server.adminUrl}/admin/identities`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identities: Array.from({ length: users }, (_, i) => ({ traits: { email: `bench${i}@example.com` }, credentials: { password: { config: { password } } } })) }),
  });
  if (!imported.ok) throw new Error(`import failed with ${imported.status}`);

  // Password logins: init an API flow and submit it, CONCURRENCY at a time, for LOGIN_SECONDS.
  const latencies: number[] = [];
  let token = '';
  const deadline = Date.now() + LOGIN_SECONDS * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const started = process.hrtime.bigint();
        const flow = (await (await fetch(`${server.publicUrl}/self-service/login/api`, { headers: { accept: 'application/json' } })).json()) as { id: string };
        const res = await fetch(`${server.publicUrl}/self-service/login?flow=${flow.id}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ method: 'password', identifier: `bench${n++ % users}@example.com`, password }),
        });
        const body = (await res.json()) as { session_token?: string };
        if (res.status !== 200 || !body.session_token) throw new Error(`login failed with ${res.status}`);
        token = body.session_token;
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  process.stdout.write(
    `login (bcrypt cost ${cost}, concurrency ${CONCURRENCY}): ${(latencies.length / LOGIN_SECONDS).toFixed(1)} logins/s, ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms\n`,
  );

  const result = await autocannon({
    url: `${server.publicUrl}/sessions/whoami`,
    headers: { 'X-Session-Token': token },
    connections: 32,
    duration: WHOAMI_SECONDS,
  });
  process.stdout.write(
    `whoami (32 connections): ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}\n`,
  );
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
