import { type CourierSenderConfig, type ProcessConfig, type Secrets, resolveSecrets } from '../config';
import { type CourierChannel, Dispatcher, createCourierChannels } from '../courier';
import { NotReadyError, type ReadinessCheck } from '../http';
import { PasswordHasher } from '../identity';
import { WhoamiCache } from '../session';
import { Janitor, Persistence, TypeormCourierMessageStore, TypeormRealmStore, TypeormSecretStore } from '../persistence';
import { type Clock, DEFAULT_REALM, type Logger, createLogger, randomSecret, systemClock, systemCtx } from '../x';

export interface PlatformOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
}

export interface InitOptions {
  /** Apply pending migrations (default: `database.auto_migrate`). */
  readonly migrate?: boolean;
  /**
   * Fail when migrations are still pending (default true). `serve` passes false: it starts anyway,
   * answers 503 on readiness and calls {@link Platform.completeInit} until the schema is current.
   */
  readonly requireSchema?: boolean;
}

/**
 * The process part of the composition root: what one process holds once, whatever realms it serves —
 * persistence, logger, clock, the password hasher pool, the courier transport and dispatcher, secrets,
 * readiness. Built from {@link ProcessConfig} only; realm registries reach it through `RealmRegistry`.
 *
 * The courier channels are configured with the default realm's sender (`courier.smtp.from_*`,
 * `courier.sms.from`); the dispatcher sends each message with its own realm's, asked through
 * `senderOf` (the realm cache, see {@link courierSenderOf}).
 */
export class Platform {
  private readonly memo = new Map<string, unknown>();
  private resolvedSecrets?: Secrets;

  constructor(
    readonly config: ProcessConfig,
    private readonly sender: CourierSenderConfig,
    private readonly options: PlatformOptions = {},
    /** A realm's current sender, `undefined` for an unknown realm (the registry asks its realm cache). */
    private readonly senderOf: (realm: string) => Promise<CourierSenderConfig | undefined> = async (realm) =>
      realm === DEFAULT_REALM ? sender : undefined,
  ) {}

  private once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  get logger(): Logger {
    return this.once('logger', () => this.options.logger ?? createLogger(this.config.log.level));
  }

  get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  get persistence(): Persistence {
    return this.once('persistence', () => new Persistence({ dsn: this.config.dsn, poolSize: this.config.database.pool_size }));
  }

  /**
   * One whoami cache per process, shared by every realm (its key carries the realm): the session and
   * identity stores of every realm report their writes to it (`cache.whoami`).
   */
  get whoamiCache(): WhoamiCache {
    return this.once('whoamiCache', () => new WhoamiCache({ ttlMs: this.config.cache.whoami.ttl, maxEntries: this.config.cache.whoami.max_entries }));
  }

  get secretStore(): TypeormSecretStore {
    return this.once('secretStore', () => new TypeormSecretStore(this.persistence));
  }

  /** The stored realms' configurations (every realm but the file-configured `default`). */
  get realmStore(): TypeormRealmStore {
    return this.once('realmStore', () => new TypeormRealmStore(this.persistence, this.whoamiCache));
  }

  /** @throws Error before `init()` has resolved the secrets. */
  get secrets(): Secrets {
    if (!this.resolvedSecrets) throw new Error('registry.init() must run before secrets are used');
    return this.resolvedSecrets;
  }

  /** One hasher pool per process (`hashers.max_concurrency` bounds the whole process, not one realm). */
  get passwordHasher(): PasswordHasher {
    return this.once('passwordHasher', () => new PasswordHasher(this.config.hashers));
  }

  get courierMessageStore(): TypeormCourierMessageStore {
    return this.once('courierMessageStore', () => new TypeormCourierMessageStore(this.persistence));
  }

  /** SMTP and/or SMS from `courier.*`; `init()` touches them so unusable settings stop boot. */
  get courierChannels(): readonly CourierChannel[] {
    return this.once('courierChannels', () =>
      createCourierChannels({
        smtp: { ...this.config.courier.smtp, ...this.sender.smtp },
        sms: { ...this.config.courier.sms, ...this.sender.sms },
      }),
    );
  }

  /**
   * Who realm `realm`'s messages come from now: the default realm's sender from the file, a stored realm's
   * from its cached configuration; `undefined` once the realm no longer exists.
   */
  courierSenderOf(realm: string): Promise<CourierSenderConfig | undefined> {
    return realm === DEFAULT_REALM ? Promise.resolve(this.sender) : this.senderOf(realm);
  }

  /** The courier dispatcher; `tessera serve` and `tessera courier watch` start it. */
  get dispatcher(): Dispatcher {
    return this.once('dispatcher', () => new Dispatcher(this));
  }

  /** The cleanup job of every realm (`tessera cleanup`, and `serve`'s background sweep every `database.cleanup.interval`). */
  get janitor(): Janitor {
    return this.once('janitor', () => new Janitor(this.persistence, this.clock));
  }

  /** `database`: the database answers and no migration is pending (one query per probe). */
  get readinessChecks(): readonly ReadinessCheck[] {
    return [{ name: 'database', check: () => this.assertSchemaCurrent() }];
  }

  /** @throws NotReadyError naming the pending migrations; Error when the database does not answer. */
  async assertSchemaCurrent(): Promise<void> {
    const pending = await this.persistence.pendingMigrations();
    if (pending.length > 0) throw new NotReadyError(`pending migrations: ${pending.join(', ')} (run tessera migrate up)`);
  }

  /** True once `init` (or `completeInit`) has resolved the secrets: the services may run. */
  get initialized(): boolean {
    return this.resolvedSecrets !== undefined;
  }

  /**
   * Connects the database (retrying up to `database.connect_timeout`), applies migrations when asked
   * (default `database.auto_migrate`, under the migration lock) and resolves the secrets, generating and
   * persisting any that config leaves out (with a warning). With `requireSchema: false` and migrations
   * pending it returns without secrets (`initialized` false).
   * @throws Error when the database is unreachable for `connect_timeout`, or migrations are pending and required.
   */
  async init(options: InitOptions = {}): Promise<void> {
    void this.courierChannels;
    const timeoutMs = this.config.database.connect_timeout;
    const onRetry = (error: Error, delayMs: number): void => this.logger.warn({ error: error.message, retry_in_ms: delayMs }, 'database is not reachable yet: retrying');
    await this.persistence.connect({ timeoutMs, onRetry }).catch((error: Error) => {
      throw new Error(`${error.message} (database.connect_timeout)`, { cause: error });
    });
    if (options.migrate ?? this.config.database.auto_migrate) {
      const applied = await this.persistence.migrateUp();
      if (applied.length > 0) this.logger.info({ migrations: applied }, 'applied database migrations');
    }
    if (await this.completeInit()) return;
    const pending = await this.persistence.pendingMigrations();
    if (options.requireSchema ?? true) throw new Error(`the database schema is not current, pending migrations: ${pending.join(', ')} (run tessera migrate up)`);
    this.logger.warn({ migrations: pending }, 'database migrations are pending: /health/ready answers 503 until `tessera migrate up` has run');
  }

  /**
   * Resolves the secrets once no migration is pending; false (and nothing done) while some are.
   * Concurrent first boots agree on generated secrets (insert-if-absent, then the stored value wins).
   */
  async completeInit(): Promise<boolean> {
    if (this.resolvedSecrets) return true;
    if ((await this.persistence.pendingMigrations()).length > 0) return false;
    const { secrets, generated } = await resolveSecrets(systemCtx(this.logger), this.config, this.secretStore, () => randomSecret(32));
    if (generated.length > 0) {
      this.logger.warn(
        { kinds: generated },
        'secrets are not configured: using strong random secrets generated on first boot and stored in the database. ' +
          'Set secrets.default (env SECRETS_DEFAULT), secrets.cookie (SECRETS_COOKIE), secrets.cipher (SECRETS_CIPHER, 32+ characters) ' +
          'and secrets.system (SECRETS_SYSTEM) to manage and rotate them yourself.',
      );
    }
    this.resolvedSecrets = secrets;
    return true;
  }

  /** Stops the courier dispatcher if it was created (its running pass finishes first), then closes the database pool. */
  async close(): Promise<void> {
    await (this.memo.get('dispatcher') as Dispatcher | undefined)?.stop();
    await this.persistence.close();
  }
}
