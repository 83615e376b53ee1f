import type { Config } from '../../../libs/config';
import { Dispatcher } from '../../../libs/courier';
import { DEFAULT_REALM, type Registry, type RegistryOptions, createRegistry } from '../../../libs/registry';

/** A running `tessera courier watch`: the dispatcher alone, without listeners. */
export interface RunningCourier {
  readonly registry: Registry;
  /** The running dispatcher (the registry's, or one for a single realm with `--realm`). */
  readonly dispatcher: Dispatcher;
  /** Stops polling, lets the running pass finish, closes the DB pool. */
  close(): Promise<void>;
}

/**
 * Starts the courier dispatcher on its own (Kratos `courier watch`): it shares the queue with any
 * `tessera serve` on the same database, and each message is still sent by one dispatcher only.
 * With `realm`, it claims that realm's messages only (a worker dedicated to a large realm; the
 * dispatchers of `serve` still send every realm's). Applies pending migrations first when
 * `database.auto_migrate` is true, as `serve` does.
 * @throws Error naming the realm when `realm` is neither `default` nor a stored realm (the pool is closed).
 */
export async function startCourierWatch(config: Config, options: RegistryOptions = {}, realm?: string): Promise<RunningCourier> {
  const registry = await createRegistry(config, options).init();
  if (realm !== undefined && realm !== DEFAULT_REALM && !(await registry.forRealm(realm))) {
    await registry.close();
    throw new Error(`realm "${realm}" does not exist (tessera realms list shows the stored realms)`);
  }
  const dispatcher = realm === undefined ? registry.dispatcher : new Dispatcher(registry.platform, { realm });
  dispatcher.start();
  registry.logger.info({ worker: dispatcher.workerId, ...(realm !== undefined ? { realm } : {}) }, 'courier: watching for queued messages');
  let closing: Promise<void> | undefined;
  return { registry, dispatcher, close: () => (closing ??= dispatcher.stop().then(() => registry.close())) };
}
