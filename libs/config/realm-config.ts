import type { Ctx, KeysetPage, KeysetWindow } from '../x';
import type { RealmConfig, RealmHost } from './config';
import { realmConfigSchema } from './config.schema';
import { ConfigError, assertRealmConsistent, compileSchema, defaultConfigDir, formatErrors, resolveFileUrls } from './load-config';

/** The realm the configuration file and environment configure; it is never stored. */
export const FILE_REALM = 'default';

/** Realm names no stored realm may take: the file-configured realm and path words a router may need. */
export const RESERVED_REALM_NAMES: readonly string[] = [FILE_REALM, 'admin', 'api', 'realms', 'www'];

/** A DNS label: lowercase letters, digits and inner hyphens, 1–63 characters (it may become a host name). */
const REALM_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `name` cannot name a stored realm, or `undefined` when it can. */
export function realmNameProblem(name: string): string | undefined {
  if (!REALM_NAME.test(name)) return 'a realm name is 1 to 63 lowercase letters, digits or hyphens, and does not start or end with a hyphen';
  if (RESERVED_REALM_NAMES.includes(name)) {
    return name === FILE_REALM ? 'the realm "default" is configured by the configuration file and environment, not stored' : `the realm name "${name}" is reserved`;
  }
  return undefined;
}

/** A realm as the `realms` table holds it. `config` is the realm part exactly as given (overrides of the schema defaults). */
export interface StoredRealm {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** 1 on creation, incremented by one on every change (atomically, in the database). */
  readonly revision: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** Thrown by {@link RealmStore.create} when a realm of that name exists. */
export class RealmExistsError extends Error {
  constructor(readonly realm: string) {
    super(`realm "${realm}" exists already`);
    this.name = 'RealmExistsError';
  }
}

/**
 * Where stored realms live (the `realms` table). Names are not checked here ({@link realmNameProblem}
 * is the service's). Invariant: `revision` only grows, by one per `update`, also under concurrent updates.
 */
export interface RealmStore {
  get(ctx: Ctx, name: string): Promise<StoredRealm | undefined>;
  /** Every stored realm, by name. */
  list(ctx: Ctx): Promise<StoredRealm[]>;
  /** A keyset page of the stored realms by name (the key is `[name]`, the primary key); never counts. */
  listPage(ctx: Ctx, window: KeysetWindow): Promise<KeysetPage<StoredRealm>>;
  /** @throws RealmExistsError when `name` is taken */
  create(ctx: Ctx, name: string, config: Readonly<Record<string, unknown>>): Promise<StoredRealm>;
  /** Replaces the config and increments the revision; `undefined` when there is no such realm. */
  update(ctx: Ctx, name: string, config: Readonly<Record<string, unknown>>): Promise<StoredRealm | undefined>;
  /**
   * Deletes the realm and all its data (every row tagged with it), all or nothing; false when there was
   * no such realm. Never called for `default`.
   */
  delete(ctx: Ctx, name: string): Promise<boolean>;
}

/** What a stored realm reads of the process: the {@link RealmHost} facts and whether SMS is enabled. */
export type RealmHostFacts = RealmHost & { readonly courier: { readonly sms: { readonly enabled: boolean } } };

/**
 * A stored realm's effective configuration: the realm part of the schema's defaults overlaid with
 * `overrides` (like an Ory Network project, a new realm starts from defaults, not from the default
 * realm's file), validated by the realm part of the schema (`realmConfigSchema`) and the cross-key rules,
 * plus the read-only `host` facts. Relative `file://` URLs are resolved against `baseDir` (default: the
 * installation's `config/` folder, as for `config/default.yaml`). `overrides` is not modified.
 * @throws ConfigError naming the key and the rule, e.g. `session.lifespan: must be a duration ...`
 */
export function parseRealmConfig(overrides: unknown, host: RealmHostFacts, baseDir: string = defaultConfigDir()): RealmConfig {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new ConfigError('invalid configuration: (root): must be object');
  }
  const copy = structuredClone(overrides) as Record<string, unknown>;
  const validate = compileSchema(realmConfigSchema);
  if (!validate(copy)) throw new ConfigError(formatErrors(validate.errors ?? []));
  const realm = resolveFileUrls(copy, baseDir) as Record<string, unknown> & Pick<RealmConfig, 'selfservice' | 'oidc' | 'courier'>;
  assertRealmConsistent(realm);
  return deepFreeze({
    ...realm,
    dev: host.dev,
    serve: host.serve,
    courier: { ...realm.courier, sms: { ...realm.courier.sms, enabled: host.courier.sms.enabled } },
  }) as unknown as RealmConfig;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
