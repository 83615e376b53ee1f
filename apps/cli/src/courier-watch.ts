import type { Config } from '../../../libs/config';
import { type Registry, type RegistryOptions, createRegistry } from '../../../libs/registry';

/** A running `tessera courier watch`: the dispatcher alone, without listeners. */
export interface RunningCourier {
  readonly registry: Registry;
  /** Stops polling, lets the running pass finish, closes the DB pool. */
  close(): Promise<void>;
}

/**
 * Starts the courier dispatcher on its own (Kratos `courier watch`): it shares the queue with any
 * `tessera serve` on the same database, and each message is still sent by one dispatcher only.
 * Applies pending migrations first when `database.auto_migrate` is true, as `serve` does.
 */
export async function startCourierWatch(config: Config, options: RegistryOptions = {}): Promise<RunningCourier> {
  const registry = await createRegistry(config, options).init();
  registry.dispatcher.start();
  registry.logger.info({ worker: registry.dispatcher.workerId }, 'courier: watching for queued messages');
  let closing: Promise<void> | undefined;
  return { registry, close: () => (closing ??= registry.dispatcher.stop().then(() => registry.close())) };
}
