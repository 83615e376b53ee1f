import { resolve } from 'node:path';
import { type Config, readYamlFile } from '../../../libs/config';
import { isOryError } from '../../../libs/http';
import { type RegistryOptions, createRegistry, realmToWire } from '../../../libs/registry';
import { systemCtx } from '../../../libs/x';

export const REALMS_USAGE = 'Usage: tessera realms create <name> [--config realm.yaml] | tessera realms list | tessera realms delete <name>';

/**
 * `tessera realms create|list|delete` on the configured database (migrating first when
 * `database.auto_migrate`, as `serve` does). `create` prints the stored realm as JSON, `list` one JSON
 * realm per line, `delete` nothing. `realmFiles` (the `--config` file of `create`; the process settings such as `dsn` come from the environment) hold the realm part of
 * the configuration (one file); relative `file://` URLs in them are stored resolved against the file.
 * @returns the exit code: 0, 1 on a refused change (the reason on stderr), 2 on bad usage
 */
export async function runRealmsCommand(
  config: Config,
  args: readonly string[],
  realmFiles: readonly string[],
  io: { out: (line: string) => void; err: (line: string) => void },
  options: RegistryOptions = {},
): Promise<number> {
  const [sub, name, ...rest] = args;
  const usage = (sub === 'create' || sub === 'delete') && name !== undefined && rest.length === 0 ? false : !(sub === 'list' && name === undefined);
  if (usage || realmFiles.length > (sub === 'create' ? 1 : 0)) {
    io.err(REALMS_USAGE);
    return 2;
  }
  const overrides = realmFiles.length > 0 ? readYamlFile(resolve(realmFiles[0])) : {};
  const registry = await createRegistry(config, options).init();
  try {
    const ctx = systemCtx(registry.logger);
    const service = registry.realmConfigService;
    if (sub === 'create') io.out(JSON.stringify(realmToWire(await service.create(ctx, name, overrides))));
    else if (sub === 'delete') await service.delete(ctx, name);
    else for (const realm of await service.list(ctx)) io.out(JSON.stringify(realmToWire(realm)));
    return 0;
  } catch (error) {
    if (!isOryError(error)) throw error;
    io.err(`tessera: ${error.reason ?? error.message}`);
    return 1;
  } finally {
    await registry.close();
  }
}
