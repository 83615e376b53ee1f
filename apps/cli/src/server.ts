import { once } from 'node:events';
import { type RequestListener, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../../libs/config';
import { edgeMiddlewares, withMiddlewares } from '../../../libs/http';
import { type Registry, type RegistryOptions, createRegistry } from '../../../libs/registry';
import { systemCtx } from '../../../libs/x';
import { createAdminApp } from '../../admin/src/app';
import { createPublicApp } from '../../public/src/app';
import { createWaitingApp } from './waiting-app';

/** How often a server waiting for migrations checks the schema on its own (readiness probes check too). */
const SCHEMA_POLL_MS = 2_000;

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
 * With migrations pending (`database.auto_migrate: false`) both listen with the waiting app
 * ({@link createWaitingApp}) and switch to the real apps once someone has run `tessera migrate up`.
 */
export async function startServer(config: Config, options: RegistryOptions = {}): Promise<RunningServer> {
  const registry = await createRegistry(config, options).init({ requireSchema: false });
  let activating: Promise<boolean> | undefined;
  const activate = (): Promise<boolean> =>
    (activating ??= registry.completeInit().then(
      (done) => {
        if (!done) activating = undefined;
        else serveApps();
        return done;
      },
      (error: unknown) => {
        activating = undefined;
        throw error;
      },
    ));
  let handlers: [RequestListener, RequestListener] = [
    withMiddlewares(edgeMiddlewares(registry.logger, config.serve.public.cors), createWaitingApp(registry, activate)),
    withMiddlewares(edgeMiddlewares(registry.logger, config.serve.admin.cors, { kind: 'admin' }), createWaitingApp(registry, activate)),
  ];
  let cleanup: NodeJS.Timeout | undefined;
  const serveApps = (): void => {
    handlers = [createPublicApp(registry), createAdminApp(registry)];
    registry.dispatcher.start();
    cleanup = startCleanup(registry, config);
  };
  const servers: Server[] = [];
  try {
    if (registry.initialized) serveApps();
    servers.push(await listen((req, res) => handlers[0](req, res), config.serve.public.host, config.serve.public.port));
    servers.push(await listen((req, res) => handlers[1](req, res), config.serve.admin.host, config.serve.admin.port));
  } catch (error) {
    servers.forEach((s) => s.close());
    await registry.close();
    throw error;
  }
  const [pub, adm] = servers.map((s) => s.address() as AddressInfo);
  registry.logger.info({ public: pub.port, admin: adm.port }, 'tessera is listening');
  if (!registry.adminAuthenticator.required && !isLoopback(config.serve.admin.host)) {
    registry.logger.warn(
      { host: config.serve.admin.host, port: adm.port },
      'the admin API is open: no admin.api_keys are set (env ADMIN_API_KEYS) and serve.admin.host is not a loopback address. Set operator keys or bind the admin port to 127.0.0.1.',
    );
  }
  const poll = registry.initialized ? undefined : setInterval(() => activate().then((done) => done && clearInterval(poll), () => undefined), SCHEMA_POLL_MS);
  poll?.unref();
  let closing: Promise<void> | undefined;
  return {
    registry,
    publicUrl: `http://127.0.0.1:${pub.port}`,
    adminUrl: `http://127.0.0.1:${adm.port}`,
    close: () => {
      clearInterval(poll);
      clearInterval(cleanup);
      return (closing ??= Promise.all([drain(servers, config.serve.shutdown_timeout), registry.initialized && registry.dispatcher.stop()]).then(() => registry.close()));
    },
  };
}

/**
 * The background cleanup (`database.cleanup.interval`, 0: none): one janitor run every interval, the first one
 * interval after boot (nothing at boot: cold start). A run deletes in bounded chunks and yields between them, so
 * requests are served while it runs; a failed run is logged and the next one tries again.
 */
function startCleanup(registry: Registry, config: Config): NodeJS.Timeout | undefined {
  const { interval, keep_last: keepLastMs, batch_size: batchSize } = config.database.cleanup;
  if (interval <= 0) return undefined;
  const ctx = systemCtx(registry.logger);
  const timer = setInterval(() => {
    registry.janitor.run(ctx, { keepLastMs, batchSize }).then(
      (report) => report.total > 0 && registry.logger.info({ deleted: report.total, realms: report.realms }, 'cleanup deleted expired rows'),
      (error: unknown) => registry.logger.warn({ err: error }, 'cleanup failed'),
    );
  }, Math.min(interval, 2 ** 31 - 1));
  timer.unref();
  return timer;
}

/** True for an address only this machine reaches (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\./.test(h);
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
