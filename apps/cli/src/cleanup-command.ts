import type { Config } from '../../../libs/config';
import type { CleanupReport } from '../../../libs/persistence';
import { type Registry, type RegistryOptions, createRegistry } from '../../../libs/registry';
import { parseDuration, systemCtx } from '../../../libs/x';

export const CLEANUP_USAGE = 'Usage: tessera cleanup [--keep-last 24h] [--batch-size 1000] [--realm name]';

/** The flags of `tessera cleanup` (defaults: `database.cleanup.keep_last` and `.batch_size`). */
export interface CleanupFlags {
  readonly keepLast?: string;
  readonly batchSize?: string;
  readonly realm?: string;
}

/**
 * `tessera cleanup`: one run of the janitor on the configured database (migrating first when
 * `database.auto_migrate`), printing one `realm table count` line per table it deleted from and a total.
 * @returns the exit code: 0 done, 1 for an unknown realm, 2 on bad flags
 */
export async function runCleanupCommand(config: Config, flags: CleanupFlags, io: { out: (line: string) => void; err: (line: string) => void }, options: RegistryOptions = {}): Promise<number> {
  const keepLastMs = flags.keepLast === undefined ? config.database.cleanup.keep_last : parseDuration(flags.keepLast);
  const batchSize = flags.batchSize === undefined ? config.database.cleanup.batch_size : Number(flags.batchSize);
  if (keepLastMs === undefined || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    io.err(`tessera: ${keepLastMs === undefined ? '--keep-last must be a duration such as "24h" or "0s"' : '--batch-size must be an integer from 1 to 100000'}\n${CLEANUP_USAGE}`);
    return 2;
  }
  const registry = await createRegistry(config, options).init();
  try {
    const ctx = systemCtx(registry.logger);
    if (flags.realm !== undefined && !(await knownRealm(registry, flags.realm))) {
      io.err(`tessera: there is no realm "${flags.realm}"`);
      return 1;
    }
    printReport(await registry.janitor.run(ctx, { keepLastMs, batchSize, ...(flags.realm !== undefined ? { realm: flags.realm } : {}) }), io.out);
    return 0;
  } finally {
    await registry.close();
  }
}

async function knownRealm(registry: Registry, name: string): Promise<boolean> {
  return name === 'default' || (await registry.realmConfigService.list(systemCtx(registry.logger))).some((r) => r.name === name);
}

/** `realm table count` per table with deleted rows, then `deleted N rows`. */
export function printReport(report: CleanupReport, out: (line: string) => void): void {
  for (const [realm, tables] of Object.entries(report.realms)) {
    for (const [table, n] of Object.entries(tables)) out(`${realm}\t${table}\t${n}`);
  }
  out(`deleted ${report.total} rows`);
}
