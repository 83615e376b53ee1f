import { once } from 'node:events';
import { type RequestListener, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../../libs/config';
import { type Registry, type RegistryOptions, createRegistry } from '../../../libs/registry';
import { createAdminApp } from '../../admin/src/app';
import { createPublicApp } from '../../public/src/app';

/** A running Tessera: both listeners and the registry behind them. */
export interface RunningServer {
  readonly registry: Registry;
  readonly publicUrl: string;
  readonly adminUrl: string;
  /**
   * Stops accepting, lets in-flight requests finish (up to `serve.shutdown_timeout`) while the courier
   * dispatcher finishes its pass, then closes the DB pool.
   */
  close(): Promise<void>;
}

/**
 * Boots one process with two listeners: the public app on `serve.public.port` and the admin app on
 * `serve.admin.port`, sharing one registry. The courier dispatcher runs in-process once both listen.
 */
export async function startServer(config: Config, options: RegistryOptions = {}): Promise<RunningServer> {
  const registry = await createRegistry(config, options).init();
  const servers: Server[] = [];
  try {
    servers.push(await listen(createPublicApp(registry), config.serve.public.host, config.serve.public.port));
    servers.push(await listen(createAdminApp(registry), config.serve.admin.host, config.serve.admin.port));
  } catch (error) {
    servers.forEach((s) => s.close());
    await registry.close();
    throw error;
  }
  const [pub, adm] = servers.map((s) => s.address() as AddressInfo);
  registry.logger.info({ public: pub.port, admin: adm.port }, 'tessera is listening');
  registry.dispatcher.start();
  let closing: Promise<void> | undefined;
  return {
    registry,
    publicUrl: `http://127.0.0.1:${pub.port}`,
    adminUrl: `http://127.0.0.1:${adm.port}`,
    close: () => (closing ??= Promise.all([drain(servers, config.serve.shutdown_timeout), registry.dispatcher.stop()]).then(() => registry.close())),
  };
}

async function listen(app: RequestListener, host: string, port: number): Promise<Server> {
  const server = createServer(app);
  server.keepAliveTimeout = 5_000;
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}

/** Stops accepting connections, waits for in-flight requests, and cuts what remains after `timeoutMs`. */
async function drain(servers: Server[], timeoutMs: number): Promise<void> {
  await Promise.all(
    servers.map(async (server) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
      await closed;
      clearTimeout(timer);
    }),
  );
}
