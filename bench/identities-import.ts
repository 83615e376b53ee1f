/**
 * Bulk import throughput: PATCH /admin/identities with pre-hashed bcrypt passwords against a SQLite file.
 * Usage: npm run bench:identities-import [-- <count>]   (default 10,000 identities, batches of 1,000)
 * Target (issue 4): >= 2,000 identities/s on a 2-core machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve } from 'node:path';
import { startServer } from '../apps/cli/src/server';
import { loadConfig } from '../libs/config';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  const batch = 1_000;
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const config = loadConfig({
    files: [resolve(__dirname, '../../config/test.yaml')],
    env: { DSN: `sqlite://${join(dir, 'bench.db')}`, SERVE_PUBLIC_PORT: '0', SERVE_ADMIN_PORT: '0', SERVE_PUBLIC_HOST: '127.0.0.1', SERVE_ADMIN_HOST: '127.0.0.1' },
  });
  const server = await startServer(config);
  // Pre-hashed bcrypt, as exported from another system (cost from config/test.yaml; import never re-hashes).
  const hash = await server.registry.passwordHasher.hash('correct horse battery staple');
  const started = process.hrtime.bigint();
  let created = 0;
  for (let offset = 0; offset < count; offset += batch) {
    const identities = Array.from({ length: Math.min(batch, count - offset) }, (_, i) => ({
      traits: { email: `user${offset + i}@bench.example` },
      credentials: { password: { config: { hashed_password: hash } } },
    }));
    const res = await fetch(`${server.adminUrl}/admin/identities`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identities }),
    });
    const body = (await res.json()) as { identities: { action: string }[] };
    created += body.identities.filter((r) => r.action === 'create').length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `identities-import: ${created}/${count} identities in ${seconds.toFixed(2)} s = ${Math.round(created / seconds)} identities/s (SQLite file, batches of ${batch})\n`,
  );
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  if (created !== count) process.exit(1);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
