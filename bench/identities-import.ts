/**
 * Bulk import throughput curve: PATCH /admin/identities with pre-hashed bcrypt passwords, batches of 1,000,
 * reporting the rate of every `--every` identities so a slowdown with size shows (issue 16 item 3).
 *
 * Usage: npm run bench:identities-import -- [--count 10000] [--every 100000] [--batch 1000] [--dsn <dsn> | --keep <sqlite file>] [--pragma <sqlite pragma>]…
 *        (or without a build: node -r ./test/helpers/ts-register.cjs bench/identities-import.ts --count 1000000)
 * Default: 10,000 identities into a fresh SQLite file. `--count 10000000` is the long manual mode;
 * `--dsn mysql://…/db` imports into an existing (empty, migrated or not) MariaDB database.
 * Targets: >= 5,000 identities/s sustained on SQLite, >= 3,000/s on MariaDB, on a 2-core machine.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer } from '../apps/cli/src/server';
import { loadConfig } from '../libs/config';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** config/test.yaml from the source tree or from dist/. */
function testConfig(): string {
  for (const candidate of [resolve(__dirname, '../config/test.yaml'), resolve(__dirname, '../../config/test.yaml')]) if (existsSync(candidate)) return candidate;
  throw new Error('config/test.yaml not found');
}

async function main(): Promise<void> {
  const positional = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : undefined;
  const count = Number(flag('count', positional ?? '10000'));
  const every = Number(flag('every', String(Math.min(100_000, count))));
  const batch = Number(flag('batch', '1000'));
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  // --keep <file>: import into that SQLite file and keep it (e.g. for bench/identifier-search.ts).
  const keep = flag('keep', '');
  const dsn = flag('dsn', `sqlite://${keep ? resolve(keep) : join(dir, 'bench.db')}`);
  const config = loadConfig({
    files: [testConfig()],
    env: { DSN: dsn, SERVE_PUBLIC_PORT: '0', SERVE_ADMIN_PORT: '0', SERVE_PUBLIC_HOST: '127.0.0.1', SERVE_ADMIN_HOST: '127.0.0.1' },
  });
  const server = await startServer(config);
  // --pragma 'cache_size=-65536' (repeatable): SQLite tuning experiments on the server's connection.
  const pragmas = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--pragma' ? [a] : []));
  const sqlite = (server.registry.persistence.dataSource.driver as unknown as { databaseConnection?: { pragma(sql: string): unknown } }).databaseConnection;
  for (const pragma of pragmas) process.stdout.write(`  pragma ${pragma}: ${JSON.stringify(sqlite?.pragma(pragma))}\n`);
  // Pre-hashed bcrypt, as exported from another system (cost from config/test.yaml; import never re-hashes).
  const hash = await server.registry.passwordHasher.hash('correct horse battery staple');
  const run = Date.now().toString(36);
  const started = process.hrtime.bigint();
  let intervalStart = started;
  let created = 0;
  let intervalCreated = 0;
  const rates: number[] = [];
  for (let offset = 0; offset < count; offset += batch) {
    const identities = Array.from({ length: Math.min(batch, count - offset) }, (_, i) => ({
      traits: { email: `user${offset + i}.${run}@bench.example` },
      credentials: { password: { config: { hashed_password: hash } } },
    }));
    const res = await fetch(`${server.adminUrl}/admin/identities`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identities }),
    });
    const body = (await res.json()) as { identities: { action: string }[] };
    const ok = body.identities.filter((r) => r.action === 'create').length;
    created += ok;
    intervalCreated += ok;
    const done = offset + identities.length;
    if (done % every === 0 || done === count) {
      const now = process.hrtime.bigint();
      const rate = Math.round(intervalCreated / (Number(now - intervalStart) / 1e9));
      rates.push(rate);
      process.stdout.write(`  ${String(done).padStart(9)} identities: ${rate} identities/s over the last ${intervalCreated}\n`);
      intervalStart = now;
      intervalCreated = 0;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const kind = dsn.startsWith('mysql') ? 'MariaDB' : 'SQLite file';
  process.stdout.write(
    `identities-import: ${created}/${count} identities in ${seconds.toFixed(2)} s = ${Math.round(created / seconds)} identities/s ` +
      `(${kind}, batches of ${batch}; per ${every}: min ${Math.min(...rates)}, last ${rates[rates.length - 1]})\n`,
  );
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  if (created !== count) process.exit(1);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
