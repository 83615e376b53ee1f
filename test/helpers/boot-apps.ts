import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { type RunningServer, startServer } from '../../apps/cli/src/server';
import { loadConfig } from '../../libs/config';
import type { RegistryOptions } from '../../libs/registry';

/** Finds a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

/** Attempts of {@link bootApps} when a port it picked was taken before it could listen. */
const BOOT_ATTEMPTS = 5;

/**
 * Boots both apps in this process on free loopback ports with `config/test.yaml` (in-memory SQLite,
 * silent logs, cheap hashes) plus `env`-style overrides; `options` reach the registry (e.g. a `FixedClock`).
 * A port {@link freePort} found is free only until it is closed: another test worker's socket (an outgoing
 * connection takes an ephemeral port too) may take it before the server listens, so an `EADDRINUSE` boots
 * again on new ports (`startServer` has closed what it opened).
 */
export async function bootApps(env: Record<string, string> = {}, options: RegistryOptions = {}): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    const [pub, adm] = [await freePort(), await freePort()];
    const config = loadConfig({
      files: [resolve(__dirname, '../../config/test.yaml')],
      env: {
        SERVE_PUBLIC_PORT: String(pub),
        SERVE_ADMIN_PORT: String(adm),
        SERVE_PUBLIC_HOST: '127.0.0.1',
        SERVE_ADMIN_HOST: '127.0.0.1',
        SERVE_PUBLIC_BASE_URL: `http://127.0.0.1:${pub}/`,
        SERVE_ADMIN_BASE_URL: `http://127.0.0.1:${adm}/`,
        ...env,
      },
    });
    try {
      return await startServer(config, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= BOOT_ATTEMPTS) throw error;
    }
  }
}
