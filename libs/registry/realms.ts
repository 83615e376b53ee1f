import type { RealmConfig } from '../config';
import { type Clock, systemClock } from '../x';
import type { RealmRegistry } from './realm-registry';

/** A realm's configuration as its source has it now. */
export interface RealmSource {
  readonly config: RealmConfig;
  /** Changes whenever the configuration changes; a cached realm built from another revision is rebuilt. */
  readonly revision: string;
}

/** What `Realms` builds: anything it can release when the realm is evicted or rebuilt. */
export interface DisposableRealm {
  /** Releases what the realm holds beyond the platform (e.g. its OAuth2 engine's timers). */
  dispose(): void;
}

export interface RealmsOptions<R extends DisposableRealm> {
  /** The realm's current configuration, or `undefined` when no realm has that name. */
  readonly load: (name: string) => RealmSource | undefined | Promise<RealmSource | undefined>;
  /** Builds a realm from its configuration (`new RealmRegistry(platform, name, config)` in production). */
  readonly build: (name: string, config: RealmConfig) => R;
  /** Realms kept at most; the least recently used one is evicted beyond it. Default 100. */
  readonly capacity?: number;
  /** A realm unused for this long (ms) is evicted on the next `get`. Default 15 minutes. */
  readonly idleTimeout?: number;
  /** How long (ms) a cached realm is served before its source is asked for the revision again. Default 5 s. */
  readonly refreshInterval?: number;
  readonly clock?: Clock;
  /** Realms always served as given, never loaded, evicted or disposed here (the default realm). */
  readonly pinned?: Readonly<Record<string, R>>;
}

interface Entry<R> {
  readonly realm: R;
  readonly revision: string;
  lastUsed: number;
  checkedAt: number;
}

/**
 * The realms a process serves, built on first use and cached: `get(name)` returns the realm's registry,
 * rebuilds it when its source reports another revision, and evicts (disposing) the least recently used
 * one beyond `capacity` and any unused for `idleTimeout`, so thousands of realms never mean thousands of
 * engines in memory. Concurrent `get`s of one name share one load and one build.
 *
 * Invariants: at most one cached realm per name; every realm `Realms` built and dropped has been
 * disposed exactly once; pinned realms are returned as they are. A caller that got a realm before its
 * eviction may finish its request on it (disposal stops timers, not the services).
 */
export class Realms<R extends DisposableRealm = RealmRegistry> {
  /** In least-recently-used order: a `get` moves its entry to the end. */
  private readonly entries = new Map<string, Entry<R>>();
  private readonly loading = new Map<string, Promise<R | undefined>>();
  private readonly capacity: number;
  private readonly idleTimeout: number;
  private readonly refreshInterval: number;
  private readonly clock: Clock;

  constructor(private readonly options: RealmsOptions<R>) {
    this.capacity = options.capacity ?? 100;
    this.idleTimeout = options.idleTimeout ?? 15 * 60_000;
    this.refreshInterval = options.refreshInterval ?? 5_000;
    this.clock = options.clock ?? systemClock;
    if (!(this.capacity >= 1)) throw new Error('Realms: capacity must be at least 1');
  }

  /** The realm named `name`, built or rebuilt as needed; `undefined` when there is no such realm. */
  async get(name: string): Promise<R | undefined> {
    const pinned = this.options.pinned?.[name];
    if (pinned) return pinned;
    const now = this.now();
    this.evictIdle(now);
    const entry = this.entries.get(name);
    if (entry && now - entry.checkedAt < this.refreshInterval) return this.touch(name, entry, now).realm;
    const pending = this.loading.get(name);
    if (pending) return pending;
    const loaded = this.load(name).finally(() => this.loading.delete(name));
    this.loading.set(name, loaded);
    return loaded;
  }

  /** Names of the realms cached now, least recently used first (pinned ones are not listed). */
  cached(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Drops (disposing) the cached copy of `name`, so the next `get` loads it again: this process sees its
   * own change or deletion at once; other processes see it within `refreshInterval`.
   */
  invalidate(name: string): void {
    this.evict(name);
  }

  /** Disposes and forgets every cached realm (not the pinned ones, which their owner disposes). */
  close(): void {
    for (const name of [...this.entries.keys()]) this.evict(name);
  }

  private async load(name: string): Promise<R | undefined> {
    const source = await this.options.load(name);
    const now = this.now();
    const entry = this.entries.get(name);
    if (!source) {
      if (entry) this.evict(name);
      return undefined;
    }
    if (entry && entry.revision === source.revision) {
      entry.checkedAt = now;
      return this.touch(name, entry, now).realm;
    }
    if (entry) this.evict(name);
    const realm = this.options.build(name, source.config);
    this.entries.set(name, { realm, revision: source.revision, lastUsed: now, checkedAt: now });
    while (this.entries.size > this.capacity) this.evict(this.entries.keys().next().value as string);
    return realm;
  }

  private touch(name: string, entry: Entry<R>, now: number): Entry<R> {
    entry.lastUsed = now;
    this.entries.delete(name);
    this.entries.set(name, entry);
    return entry;
  }

  /** Evicts from the least recently used end while entries have been idle for `idleTimeout`. */
  private evictIdle(now: number): void {
    for (const [name, entry] of this.entries) {
      if (now - entry.lastUsed < this.idleTimeout) return;
      this.evict(name);
    }
  }

  private evict(name: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    entry.realm.dispose();
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
