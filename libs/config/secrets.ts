import type { Ctx } from '../x';
import type { ProcessConfig } from './config';

/** The secret kinds (`secrets.<kind>` in config). Each list is newest first. */
export type SecretKind = 'default' | 'cookie' | 'cipher' | 'system';

/** Secrets in effect after boot: never empty; index 0 signs/encrypts, all entries verify/decrypt. */
export type Secrets = Readonly<Record<SecretKind, readonly string[]>>;

/** Gives the service the secrets in effect. */
export interface SecretsProvider {
  readonly secrets: Secrets;
}

/** Persists generated secrets so every process and every restart uses the same ones. */
export interface SecretStore {
  /** The stored values for `kind`, or `undefined`. */
  get(ctx: Ctx, kind: SecretKind): Promise<readonly string[] | undefined>;
  /** Stores `values` for `kind` unless a value exists already; returns what is stored afterwards. */
  putIfAbsent(ctx: Ctx, kind: SecretKind, values: readonly string[]): Promise<readonly string[]>;
}

export interface ResolveSecretsResult {
  readonly secrets: Secrets;
  /** The kinds that came from the database (generated on some first boot) rather than config. */
  readonly generated: readonly SecretKind[];
}

/**
 * Secrets from config win; a kind left empty falls back to `secrets.default`; when that is empty too,
 * a strong random secret is generated once and persisted, so no fixed secret ever ships.
 */
export async function resolveSecrets(
  ctx: Ctx,
  config: Pick<ProcessConfig, 'secrets'>,
  store: SecretStore,
  generate: () => string,
): Promise<ResolveSecretsResult> {
  const generated: SecretKind[] = [];
  const fromStore = async (ctx: Ctx, kind: SecretKind): Promise<readonly string[]> => {
    generated.push(kind);
    return (await store.get(ctx, kind)) ?? (await store.putIfAbsent(ctx, kind, [generate()]));
  };
  const defaults = config.secrets.default.length > 0 ? config.secrets.default : await fromStore(ctx, 'default');
  const pick = async (kind: Exclude<SecretKind, 'default' | 'cipher'>): Promise<readonly string[]> =>
    config.secrets[kind].length > 0 ? config.secrets[kind] : defaults;
  // The cipher secret must be 32+ characters; a short default cannot serve as one.
  const cipher =
    config.secrets.cipher.length > 0
      ? config.secrets.cipher
      : defaults[0].length >= 32
        ? defaults
        : await fromStore(ctx, 'cipher');
  return {
    secrets: { default: defaults, cookie: await pick('cookie'), cipher, system: await pick('system') },
    generated,
  };
}
