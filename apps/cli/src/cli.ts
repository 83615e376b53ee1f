import { type Config, ConfigError, loadConfig } from '../../../libs/config';
import { Persistence } from '../../../libs/persistence';
import { VERSION } from '../../../libs/x';
import { CLEANUP_USAGE, runCleanupCommand } from './cleanup-command';
import { type RunningCourier, startCourierWatch } from './courier-watch';
import { REALMS_USAGE, runRealmsCommand } from './realms-command';
import { type RunningServer, startServer } from './server';

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called with the running server so `serve` can wire signals (the real main) or stop it (tests). */
  readonly onServe?: (server: RunningServer) => void;
  /** Called with the running dispatcher of `courier watch` (signals in the real main, stop in tests). */
  readonly onCourierWatch?: (watcher: RunningCourier) => void;
}

const USAGE = `Usage: tessera <command> [--config file.yaml ...] [--realm name]

Commands:
  serve                  start the public (4433) and admin (4434) apps
  migrate up             apply pending database migrations
  migrate down           revert the most recent migration
  migrate status         list migrations and whether each is applied
  courier watch [--realm name]
                         run the courier dispatcher alone (no listeners); with --realm, for that realm's messages only
  realms create <name> [--config realm.yaml]
                         store a realm (its realm configuration from the file; dsn etc. from the environment)
  realms list            print the stored realms, one JSON object per line
  realms delete <name>   delete a stored realm
  cleanup [--keep-last 24h] [--batch-size 1000] [--realm name]
                         delete expired flows, sessions, codes, errors, sent courier messages, OAuth2 tokens and
                         challenges (of every realm, or of --realm) in bounded chunks; prints the counts
  version                print the version`;

interface ParsedArgs {
  readonly command: string[];
  readonly configFiles: string[];
  /** `--realm <name>`: the one realm a command works on (`courier watch` and `cleanup` take one). */
  readonly realm?: string;
  /** `cleanup --keep-last <duration>`. */
  readonly keepLast?: string;
  /** `cleanup --batch-size <n>`. */
  readonly batchSize?: string;
}

function parseArgs(argv: readonly string[]): ParsedArgs {
  const command: string[] = [];
  const configFiles: string[] = [];
  let realm: string | undefined;
  const values: { keepLast?: string; batchSize?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const valued = VALUED_FLAGS.find(([flag]) => arg === flag || arg.startsWith(`${flag}=`));
    if (valued) {
      const [flag, key] = valued;
      const value = arg === flag ? argv[++i] : arg.slice(flag.length + 1);
      if (!value) throw new ConfigError(`${flag}: needs a value`);
      if (values[key] !== undefined) throw new ConfigError(`${flag}: given twice`);
      values[key] = value;
    } else if (arg === '--realm' || arg.startsWith('--realm=')) {
      const name = arg === '--realm' ? argv[++i] : arg.slice('--realm='.length);
      if (!name) throw new ConfigError('--realm: needs a realm name');
      if (realm !== undefined) throw new ConfigError('--realm: given twice');
      realm = name;
    } else if (arg === '--config' || arg === '-c') {
      const file = argv[++i];
      if (!file) throw new ConfigError(`${arg}: needs a file path`);
      configFiles.push(file);
    } else if (arg.startsWith('--config=')) {
      configFiles.push(arg.slice('--config='.length));
    } else if (arg.startsWith('-')) {
      throw new ConfigError(`unknown flag ${arg}`);
    } else {
      command.push(arg);
    }
  }
  return { command, configFiles, ...(realm !== undefined ? { realm } : {}), ...values };
}

/** Flags with a value that only `cleanup` takes (`--older-than` and `--batch` are issue 19's names for `--keep-last` and `--batch-size`, as in Hydra's janitor). */
const VALUED_FLAGS: readonly (readonly [string, 'keepLast' | 'batchSize'])[] = [
  ['--keep-last', 'keepLast'],
  ['--older-than', 'keepLast'],
  ['--batch-size', 'batchSize'],
  ['--batch', 'batchSize'],
];

/**
 * Runs one CLI command and returns the process exit code. `serve` resolves once listening (0),
 * `courier watch` once its dispatcher runs (0);
 * configuration and database errors print one line to stderr and return 1.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.err(`tessera: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [cmd, sub] = args.command;
  if (cmd === 'version') {
    io.out(`tessera ${VERSION}`);
    return 0;
  }
  if (cmd !== 'serve' && cmd !== 'migrate' && cmd !== 'courier' && cmd !== 'realms' && cmd !== 'cleanup') {
    io.err(USAGE);
    return cmd === undefined || cmd === 'help' ? 0 : 2;
  }
  if (cmd === 'courier' && sub !== 'watch') {
    io.err('Usage: tessera courier watch');
    return 2;
  }
  if (cmd === 'realms' && sub === undefined) {
    io.err(REALMS_USAGE);
    return 2;
  }
  if (cmd === 'cleanup' && sub !== undefined) {
    io.err(CLEANUP_USAGE);
    return 2;
  }
  if ((args.keepLast !== undefined || args.batchSize !== undefined) && cmd !== 'cleanup') {
    io.err('tessera: --keep-last and --batch-size apply to cleanup only');
    return 2;
  }
  if (args.realm !== undefined && cmd !== 'courier' && cmd !== 'cleanup') {
    // serve answers every realm (/realms/{name}/…), migrate changes the schema of all of them, realms names its realm.
    io.err(`tessera: --realm applies to courier watch and cleanup only: ${cmd} ${cmd === 'realms' ? 'takes the realm name as an argument' : 'works on every realm'}`);
    return 2;
  }
  let config: Config;
  try {
    // `realms create --config realm.yaml` names the realm's file: the process settings come from the environment.
    config = loadConfig({ files: cmd === 'realms' ? [] : args.configFiles, env: io.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`tessera: ${error.message}`);
      return 1;
    }
    throw error;
  }
  try {
    if (cmd === 'serve') {
      const server = await startServer(config);
      io.onServe?.(server);
      return 0;
    }
    if (cmd === 'courier') {
      io.onCourierWatch?.(await startCourierWatch(config, {}, args.realm));
      return 0;
    }
    if (cmd === 'realms') return await runRealmsCommand(config, args.command.slice(1), args.configFiles, io);
    if (cmd === 'cleanup') return await runCleanupCommand(config, { keepLast: args.keepLast, batchSize: args.batchSize, realm: args.realm }, io);
    return await migrate(config, sub, io);
  } catch (error) {
    io.err(`tessera: ${(error as Error).message}`);
    return 1;
  }
}

async function migrate(config: Config, sub: string | undefined, io: CliIo): Promise<number> {
  if (sub !== 'up' && sub !== 'down' && sub !== 'status') {
    io.err('Usage: tessera migrate up|down|status');
    return 2;
  }
  const persistence = new Persistence({ dsn: config.dsn, poolSize: 1 });
  await persistence.connect({ timeoutMs: config.database.connect_timeout });
  try {
    if (sub === 'up') {
      const applied = await persistence.migrateUp();
      io.out(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
    } else if (sub === 'down') {
      await persistence.migrateDown();
      io.out('reverted the most recent migration');
    } else {
      for (const m of await persistence.migrationStatus()) io.out(`${m.applied ? 'applied' : 'pending'}  ${m.name}`);
    }
    return 0;
  } finally {
    await persistence.close();
  }
}
