import type { RealmConfig, Secrets } from '../config';
import type { PasswordHasher } from '../identity';
import type { WhoamiCache } from '../session';
import type { Persistence, TypeormCourierMessageStore } from '../persistence';
import type { Clock, Logger } from '../x';
import type { Platform } from './platform';
import type { RealmRegistry } from './realm-registry';

/**
 * The root of a realm registry: the realm's name and config, the memo, and the process parts services
 * need, read through from the {@link Platform}. The `wire-<domain>.ts` classes extend it one domain at a
 * time (identity → session → courier → keys → self-service → OAuth2), and `RealmRegistry` closes the
 * chain; the order is only the file split, not a layering: every service is built with {@link deps}.
 */
export abstract class RealmCore {
  private readonly memo = new Map<string, unknown>();

  constructor(
    readonly platform: Platform,
    /** The realm's name (`default` for the realm configured by files and environment). */
    readonly name: string,
    /** This realm's configuration; services read only this, never the process configuration. */
    readonly config: RealmConfig,
  ) {}

  /** Builds `key` on first use; later reads return the same instance. */
  protected once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  /** What was built for `key`, without building it (for disposal). */
  protected built<T>(key: string): T | undefined {
    return this.memo.get(key) as T | undefined;
  }

  /** The whole realm registry, which satisfies every `<Service>Deps` structurally. */
  protected get deps(): RealmRegistry {
    return this as unknown as RealmRegistry;
  }

  /** The realm every store call of this realm's background work (engine keys, sweeps) is scoped by. */
  get realm(): string {
    return this.name;
  }

  get logger(): Logger {
    return this.platform.logger;
  }

  get clock(): Clock {
    return this.platform.clock;
  }

  get dev(): boolean {
    return this.config.dev;
  }

  get persistence(): Persistence {
    return this.platform.persistence;
  }

  get transactions(): Persistence {
    return this.platform.persistence;
  }

  /** @throws Error before the platform's `init()` has resolved the secrets. */
  get secrets(): Secrets {
    return this.platform.secrets;
  }

  /** The process's whoami cache (keyed by realm), which this realm's session and identity stores keep current. */
  get whoamiCache(): WhoamiCache {
    return this.platform.whoamiCache;
  }

  get passwordHasher(): PasswordHasher {
    return this.platform.passwordHasher;
  }

  get courierMessageStore(): TypeormCourierMessageStore {
    return this.platform.courierMessageStore;
  }
}
