/**
 * Identifier search latency on a grown database: `GET /admin/identities?credentials_identifier=` (exact) and
 * `?preview_credentials_identifier_similar=` (prefix, page of 25) for identifiers sampled from the database.
 *
 * Usage: node -r ./test/helpers/ts-register.cjs bench/identifier-search.ts --dsn sqlite:///path/to/grown.db [--requests 2000]
 * (grow the database first, e.g. with bench/identities-import.ts --count 1000000 --keep /path/to/grown.db).
 * Target (issue 16 item 2): p99 < 10 ms. Requests are sequential, so latency is the server's, not a queue's.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startServer } from '../apps/cli/src/server';
import { loadConfig } from '../libs/config';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function testConfig(): string {
  for (const candidate of [resolve(__dirname, '../config/test.yaml'), resolve(__dirname, '../../config/test.yaml')]) if (existsSync(candidate)) return candidate;
  throw new Error('config/test.yaml not found');
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function main(): Promise<void> {
  const dsn = flag('dsn', '');
  if (!dsn) throw new Error('--dsn of a grown database is required');
  const requests = Number(flag('requests', '2000'));
  const config = loadConfig({
    files: [testConfig()],
    env: { DSN: dsn, SERVE_PUBLIC_PORT: '0', SERVE_ADMIN_PORT: '0', SERVE_PUBLIC_HOST: '127.0.0.1', SERVE_ADMIN_HOST: '127.0.0.1' },
  });
  const server = await startServer(config);
  const persistence = server.registry.persistence;
  const [{ n }] = await persistence.read('SELECT COUNT(*) AS n FROM identities', []);
  const sample = await persistence.read(
    persistence.dialect === 'mysql'
      ? 'SELECT identifier FROM identity_credential_identifiers ORDER BY RAND() LIMIT ?'
      : 'SELECT identifier FROM identity_credential_identifiers WHERE rowid IN (SELECT abs(random()) % (SELECT max(rowid) FROM identity_credential_identifiers) + 1 FROM identities LIMIT ?)',
    [requests],
  );
  const identifiers = sample.map((r) => String(r.identifier));
  for (const [name, param, value] of [
    ['exact', 'credentials_identifier', (s: string) => s],
    ['prefix (first 6 characters, page of 25)', 'preview_credentials_identifier_similar', (s: string) => s.slice(0, 6)],
  ] as const) {
    const times: number[] = [];
    let hits = 0;
    for (const identifier of identifiers) {
      const started = process.hrtime.bigint();
      const res = await fetch(`${server.adminUrl}/admin/identities?page_size=25&${param}=${encodeURIComponent(value(identifier))}`);
      const body = (await res.json()) as unknown[];
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.status === 200 && body.length > 0) hits++;
    }
    times.sort((a, b) => a - b);
    process.stdout.write(
      `identifier-search ${name}: ${times.length} requests over ${n} identities, ${hits} with results; p50 ${pct(times, 50).toFixed(2)} ms, p99 ${pct(times, 99).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms\n`,
    );
  }
  await server.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
