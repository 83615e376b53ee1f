import { type Config, type ProcessConfig, type RealmHostFacts, splitConfig } from '../config';
import type { CourierChannel, Dispatcher } from '../courier';
import type { ReadinessCheck } from '../http';
import type { Janitor, TypeormSecretStore } from '../persistence';
import type { AdminAuthenticator, ProjectApiKeyService, ProjectDirectory, ProjectMemberService } from '../project';
import { systemCtx } from '../x';
import { type InitOptions, Platform, type PlatformOptions } from './platform';
import { RealmConfigService } from './realm-config-service';
import { RealmRegistry } from './realm-registry';
import { realmBaseUrl, realmFileConfig, addressRealm } from './realm-address';
import { Realms, type RealmsOptions } from './realms';
import { ProjectWiring, projectDirectoryOf } from './wire-project';
import { wireProjects } from './wire-projects';
import type { ProjectService } from '../project';
import { UnknownRealmNames } from './unknown-realm-names';

/** Unknown realm names a process remembers at most (a few MB): random names evict the oldest. */
const UNKNOWN_REALM_NAMES_CAPACITY = 10_000;

export interface RegistryOptions extends PlatformOptions {
  /**
   * Where realms other than `default` come from (the seam stored realms plug into). Until they are
   * stored, none resolves; tests pass a `load` that returns a `RealmConfig` for a name.
   */
  readonly loadRealm?: RealmsOptions<RealmRegistry>['load'];
}

/** What a realm name may look like in a URL or host label; anything else is not a realm (404). */
const REALM_NAME = /^[a-z0-9](?:[a-z0-9_-]{0,62})$/;

/** The realm the configuration file and environment configure. */
export const DEFAULT_REALM = 'default';

/** The default realm's members, as the facade shows them (its own `config` is the whole file). */
type DefaultRealmMembers = Omit<RealmRegistry, 'config' | 'name' | 'platform' | 'validate' | 'dispose'>;

// The class below is merged with this interface: every realm member is read from the default realm
// (installed once by `readThroughDefaultRealm`), so apps and tests keep using one object.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Registry extends DefaultRealmMembers {}

/**
 * The composition root apps and tests use (architecture B3): the process's {@link Platform} plus the
 * default realm's {@link RealmRegistry}, read through. `config` is the whole configuration file;
 * `splitConfig` hands the platform the process half and the default realm the realm half. Only apps
 * and tests import it.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Registry {
  readonly platform: Platform;
  /** The realm configured by files and environment; apps capture its services at boot. */
  readonly defaultRealm: RealmRegistry;
  /**
   * Every realm by name: `default` is pinned to {@link defaultRealm} (the file configuration does not
   * change while the process runs); any other name is a realm stored in the database, built on first
   * use and rebuilt when its revision changes (checked every `realms.refresh_interval`). `get` resolves
   * `undefined` for a name that is not stored (or stored no longer).
   */
  readonly realms: Realms<RealmRegistry>;
  /** Creates, lists, changes and deletes stored realms (the CLI and `/admin/realms`). */
  readonly realmConfigService: RealmConfigService;
  /** The control plane: projects, project API keys, the admin plane's authenticator (process-wide). */
  readonly projects: ProjectWiring;
  /**
   * Names {@link forRealm} found to be no realm, remembered for `realms.refresh_interval` (bounded), so
   * requests to `/realms/<unknown>/…` do not each read the database; forgotten at once when this process
   * creates the realm, and within the interval when another process does.
   */
  readonly unknownRealms: UnknownRealmNames;

  constructor(
    readonly config: Config,
    options: RegistryOptions = {},
  ) {
    const { process, realm } = splitConfig(config);
    // The dispatcher (one per process) sends every realm's messages: a stored realm's sender is read from
    // the realm cache when its message goes out (a deleted realm has none: its message is abandoned).
    this.platform = new Platform(process, realm.courier, options, async (name) => (await this.realms.get(name))?.config.courier);
    this.defaultRealm = new RealmRegistry(this.platform, DEFAULT_REALM, realm);
    this.projects = new ProjectWiring(this.platform, () => projectDirectoryOf(this.projectService), {
      projectService: () => this.projectService,
      identityPool: () => this.defaultRealm.identityPool,
      sessionManager: () => this.defaultRealm.sessionManager,
    });
    this.realmConfigService = new RealmConfigService({
      realmStore: this.platform.realmStore,
      hostOf: (name) => storedRealmHost(process, realm, name),
      check: (name, config) => new RealmRegistry(this.platform, name, config).validate().dispose(),
      onChange: (name) => {
        this.unknownRealms.forget(name);
        this.realms.invalidate(name);
      },
    });
    this.unknownRealms = new UnknownRealmNames({ ttl: process.realms.refresh_interval, capacity: UNKNOWN_REALM_NAMES_CAPACITY, clock: this.platform.clock });
    this.realms = new Realms<RealmRegistry>({
      load: options.loadRealm ?? ((name) => this.realmConfigService.source(systemCtx(this.platform.logger, name), name)),
      build: (name, config) => new RealmRegistry(this.platform, name, addressRealm(process, name, config)).validate(),
      clock: this.platform.clock,
      refreshInterval: process.realms.refresh_interval,
      capacity: process.realms.capacity,
      idleTimeout: process.realms.idle_timeout,
      pinned: { [DEFAULT_REALM]: this.defaultRealm },
    });
  }

  /**
   * The apps' view of the realm `name` (what `realmOf(req)` hands routers): this registry for the
   * default realm; for another, an object like it whose realm members are that realm's services and whose
   * `config` is the file configuration with that realm's keys and base URLs. `undefined` for an unknown
   * realm or a name that cannot be one (an unknown name is remembered for `realms.refresh_interval`, see
   * {@link unknownRealms}). The view lives as long as the realm's registry.
   */
  async forRealm(name: string): Promise<Registry | undefined> {
    if (name === DEFAULT_REALM) return this;
    if (!REALM_NAME.test(name) || this.unknownRealms.has(name)) return undefined;
    const epoch = this.unknownRealms.epoch();
    const realm = await this.realms.get(name);
    if (!realm) {
      this.unknownRealms.add(name, epoch);
      return undefined;
    }
    let view = this.views.get(realm);
    if (!view) {
      view = realmView(this, realm);
      this.views.set(realm, view);
    }
    return view;
  }

  private readonly views = new WeakMap<RealmRegistry, Registry>();
  private projectServiceMemo?: ProjectService;

  /** Ory Network's project API over the stored realms (process-wide, like {@link realmConfigService}). */
  get projectService(): ProjectService {
    this.projectServiceMemo ??= wireProjects({
      platform: this.platform,
      process: this.platform.config,
      defaultRealm: this.defaultRealm.config,
      realmConfigService: this.realmConfigService,
      invalidate: (name) => this.realms.invalidate(name),
      projectMemberStore: this.projects.projectMemberStore,
    });
    return this.projectServiceMemo;
  }

  // logger, clock, persistence, transactions, secrets, passwordHasher and courierMessageStore are the
  // platform's, read through the default realm (RealmCore); the process parts no realm exposes follow.
  get secretStore(): TypeormSecretStore {
    return this.platform.secretStore;
  }

  get projectDirectory(): ProjectDirectory {
    return this.projects.projectDirectory;
  }

  get projectApiKeyService(): ProjectApiKeyService {
    return this.projects.projectApiKeyService;
  }

  /** A project's members (operator accounts: identities of the default realm). */
  get projectMemberService(): ProjectMemberService {
    return this.projects.projectMemberService;
  }

  /** Who a bearer token on the admin port is (operator or project API key); `required` when `admin.api_keys` is set. */
  get adminAuthenticator(): AdminAuthenticator {
    return this.projects.adminAuthenticator;
  }

  get courierChannels(): readonly CourierChannel[] {
    return this.platform.courierChannels;
  }

  /** The courier dispatcher; `tessera serve` and `tessera courier watch` start it. */
  get dispatcher(): Dispatcher {
    return this.platform.dispatcher;
  }

  /** The cleanup job of every realm (see {@link Platform.janitor}). */
  get janitor(): Janitor {
    return this.platform.janitor;
  }

  get readinessChecks(): readonly ReadinessCheck[] {
    return this.platform.readinessChecks;
  }

  /** @throws NotReadyError naming the pending migrations; Error when the database does not answer. */
  assertSchemaCurrent(): Promise<void> {
    return this.platform.assertSchemaCurrent();
  }

  /** True once `init` (or `completeInit`) has resolved the secrets: the services may run. */
  get initialized(): boolean {
    return this.platform.initialized;
  }

  /** Resolves the secrets once no migration is pending; false while some are (see {@link Platform.completeInit}). */
  completeInit(): Promise<boolean> {
    return this.platform.completeInit();
  }

  /**
   * Checks the default realm's schemas and templates (a bad one stops boot), then connects the
   * database (retrying up to `database.connect_timeout`), migrates when asked (default
   * `database.auto_migrate`) and resolves the secrets; see {@link Platform.init} for `requireSchema`.
   */
  async init(options: InitOptions = {}): Promise<this> {
    this.defaultRealm.validate();
    await this.platform.init(options);
    return this;
  }

  /** Disposes every realm (their OAuth2 engines), stops the courier dispatcher, then closes the database pool. */
  async close(): Promise<void> {
    this.realms.close();
    this.defaultRealm.dispose();
    await this.platform.close();
  }
}

/**
 * What a stored realm reads of the process: the dev mode, SMS enabled, and the base URLs it is served
 * at ({@link realmBaseUrl}, the same URLs {@link addressRealm} gives it when it is built).
 */
function storedRealmHost(process: ProcessConfig, defaultRealm: RealmHostFacts, name: string): RealmHostFacts {
  return {
    dev: defaultRealm.dev,
    serve: { public: { base_url: realmBaseUrl(process.serve.public, name) }, admin: { base_url: realmBaseUrl(process.serve.admin, name) } },
    courier: { sms: { enabled: defaultRealm.courier.sms.enabled } },
  };
}

/** Defines, on the facade, a read-through getter for every realm member the facade does not define itself. */
function readThroughDefaultRealm(): void {
  const names = new Set<string>();
  for (let proto: object = RealmRegistry.prototype; proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object) {
    for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  }
  for (const name of names) {
    if (name === 'constructor' || name in Registry.prototype) continue;
    Object.defineProperty(Registry.prototype, name, {
      configurable: true,
      get(this: Registry) {
        const value = (this.defaultRealm as unknown as Record<string, unknown>)[name];
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(this.defaultRealm) : value;
      },
    });
  }
}
readThroughDefaultRealm();

/**
 * A {@link Registry} whose realm members read through to `realm` instead of the default realm (the
 * facade's read-through getters ask `this.defaultRealm`, which the view answers with `realm`), and whose
 * `config` is {@link realmFileConfig}; process members (persistence, secrets, dispatcher…) are the facade's.
 */
function realmView(registry: Registry, realm: RealmRegistry): Registry {
  const config = realmFileConfig(registry.config, realm.config);
  return new Proxy(registry, {
    get(target, prop, receiver) {
      if (prop === 'config') return config;
      if (prop === 'defaultRealm') return realm;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** Creates the registry for a loaded config. */
export function createRegistry(config: Config, options: RegistryOptions = {}): Registry {
  return new Registry(config, options);
}
