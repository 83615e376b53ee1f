import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx (60 s at most: a busy machine starts slowly); kills `child` and throws otherwise. */
export async function waitFor(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`${url} did not come up`);
}

/** A `tessera serve` process under test. */
export interface TesseraProcess {
  readonly child: ChildProcess;
  readonly publicUrl: string;
  readonly adminUrl: string;
}

/**
 * Starts `tessera serve` (from dist/, or from the build whose `dist` directory is `distDir`) in its own
 * process on a SQLite file in `dir`, so the load generator does not share its event loop.
 * `BENCH_NODE_ARGS` (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`) go to node.
 */
export async function startTessera(dir: string, env: Record<string, string> = {}, distDir = join(__dirname, '..')): Promise<TesseraProcess> {
  const [pub, adm] = [await freePort(), await freePort()];
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, join(distDir, 'apps/cli/src/main.js'), 'serve'], {
    env: {
      ...process.env,
      DSN: `sqlite://${join(dir, 'bench.db')}`,
      LOG_LEVEL: 'silent',
      SERVE_PUBLIC_PORT: String(pub),
      SERVE_ADMIN_PORT: String(adm),
      SERVE_PUBLIC_HOST: '127.0.0.1',
      SERVE_ADMIN_HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const publicUrl = `http://127.0.0.1:${pub}`;
  await waitFor(`${publicUrl}/health/ready`, child);
  return { child, publicUrl, adminUrl: `http://127.0.0.1:${adm}` };
}
