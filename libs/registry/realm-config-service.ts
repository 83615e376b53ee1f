import { ConfigError, type RealmConfig, RealmExistsError, type RealmHostFacts, type RealmStore, type StoredRealm, parseRealmConfig, realmNameProblem } from '../config';
import { badRequest, conflict, notFound } from '../http';
import type { Ctx, KeysetPage, KeysetWindow } from '../x';
import type { RealmSource } from './realms';

export interface RealmConfigServiceDeps {
  readonly realmStore: RealmStore;
  /** What the realm named `name` reads of the process (dev, its base URLs, SMS enabled). */
  readonly hostOf: (name: string) => RealmHostFacts;
  /** Builds what a bad configuration would break (identity schemas, courier templates); throws on a bad one. */
  readonly check?: (name: string, config: RealmConfig) => void;
  /**
   * Called after a realm was created, changed or deleted through this service (this process drops its
   * cached copy, or its memory of the name as unknown, at once).
   */
  readonly onChange?: (name: string) => void;
}

/** A stored realm as the admin API and the CLI show it: `config` is the realm part as given (overrides of the defaults). */
export interface RealmWire {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly revision: number;
  readonly created_at: string;
  readonly updated_at: string;
}

export function realmToWire(realm: StoredRealm): RealmWire {
  return { name: realm.name, config: realm.config, revision: realm.revision, created_at: realm.created_at.toISOString(), updated_at: realm.updated_at.toISOString() };
}

/**
 * Creates, lists, changes and deletes the realms stored in the database, and hands `Realms` their
 * current configuration. Invariants: no stored realm has an invalid name (DNS label, not reserved: the
 * file-configured `default` is never stored) or a configuration its realm could not be built from (the
 * realm schema, the cross-key rules, loadable identity schemas and templates) — nothing is written
 * otherwise; every change increments the revision, which is how every process notices it.
 * Errors are `OryError`s: 400 naming the key or the rule, 404 unknown realm, 409 name taken.
 */
export class RealmConfigService {
  /** The last parsed configuration per realm, reused while its revision is unchanged. */
  private readonly parsed = new Map<string, { revision: number; config: RealmConfig }>();

  constructor(private readonly deps: RealmConfigServiceDeps) {}

  async create(ctx: Ctx, name: string, config: unknown = {}): Promise<StoredRealm> {
    const overrides = this.validate(this.checkName(name), config);
    try {
      const realm = await this.deps.realmStore.create(ctx, name, overrides);
      ctx.logger.info({ realm_name: name, revision: realm.revision }, 'realm created');
      this.deps.onChange?.(name);
      return realm;
    } catch (error) {
      if (error instanceof RealmExistsError) throw conflict(error.message);
      throw error;
    }
  }

  list(ctx: Ctx): Promise<StoredRealm[]> {
    return this.deps.realmStore.list(ctx);
  }

  /** A keyset page of the stored realms by name (`GET /admin/realms`). */
  listPage(ctx: Ctx, window: KeysetWindow): Promise<KeysetPage<StoredRealm>> {
    return this.deps.realmStore.listPage(ctx, window);
  }

  /** @throws OryError 404 when no realm has that name */
  async get(ctx: Ctx, name: string): Promise<StoredRealm> {
    const realm = await this.deps.realmStore.get(ctx, this.checkName(name));
    if (!realm) throw notFound(`realm "${name}" does not exist`);
    return realm;
  }

  /** Replaces the realm's configuration (overrides of the defaults) and increments its revision. */
  async update(ctx: Ctx, name: string, config: unknown): Promise<StoredRealm> {
    const overrides = this.validate(this.checkName(name), config);
    const realm = await this.deps.realmStore.update(ctx, name, overrides);
    if (!realm) throw notFound(`realm "${name}" does not exist`);
    ctx.logger.info({ realm_name: name, revision: realm.revision }, 'realm configuration changed');
    this.deps.onChange?.(name);
    return realm;
  }

  /**
   * Deletes the realm's configuration and all its data (identities, sessions, flows, clients, keys, …)
   * in one transaction, so a realm created again under the name starts empty; every process stops
   * serving it within the refresh interval. `default` is refused (400) like every reserved name.
   */
  async delete(ctx: Ctx, name: string): Promise<void> {
    if (!(await this.deps.realmStore.delete(ctx, this.checkName(name)))) throw notFound(`realm "${name}" does not exist`);
    ctx.logger.info({ realm_name: name }, 'realm deleted');
    this.parsed.delete(name);
    this.deps.onChange?.(name);
  }

  /** The realm's current configuration and revision for `Realms`; `undefined` when it is not stored (or not a storable name). */
  async source(ctx: Ctx, name: string): Promise<RealmSource | undefined> {
    if (realmNameProblem(name)) return undefined;
    const realm = await this.deps.realmStore.get(ctx, name);
    if (!realm) {
      this.parsed.delete(name);
      return undefined;
    }
    let cached = this.parsed.get(name);
    if (cached?.revision !== realm.revision) {
      cached = { revision: realm.revision, config: parseRealmConfig(realm.config, this.deps.hostOf(name)) };
      this.parsed.set(name, cached);
    }
    return { config: cached.config, revision: String(realm.revision) };
  }

  /**
   * The configuration the realm `name` would have with `config` as its overrides: the realm schema and
   * the cross-key rules only (identity schemas and templates are not loaded); nothing is stored.
   * @throws OryError 400 naming the key
   */
  parse(name: string, config: unknown): RealmConfig {
    try {
      return parseRealmConfig(config, this.deps.hostOf(name));
    } catch (error) {
      if (error instanceof ConfigError) throw badRequest(error.message);
      throw error;
    }
  }

  private checkName(name: string): string {
    const problem = realmNameProblem(name);
    if (problem) throw badRequest(problem).withDetails({ name });
    return name;
  }

  /** The overrides as they will be stored, once they proved to build a realm. @throws OryError 400 naming the key */
  private validate(name: string, config: unknown): Record<string, unknown> {
    let parsed: RealmConfig;
    try {
      parsed = parseRealmConfig(config, this.deps.hostOf(name));
      this.deps.check?.(name, parsed);
    } catch (error) {
      if (error instanceof ConfigError) throw badRequest(error.message);
      throw badRequest(`invalid configuration: ${(error as Error).message}`);
    }
    return config as Record<string, unknown>;
  }
}
