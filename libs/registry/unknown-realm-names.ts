import type { Clock } from '../x';

export interface UnknownRealmNamesOptions {
  /** How long (ms) a name stays known as no realm; at most `realms.refresh_interval`. */
  readonly ttl: number;
  /** Names kept at most; the oldest is forgotten beyond it. */
  readonly capacity: number;
  readonly clock: Clock;
}

/**
 * Realm names recently found to be no realm (a negative cache), so that requests to
 * `/realms/<unknown>/…` do not each cost a database read. Invariants: a name is remembered for at most
 * `ttl` ms (so a realm created by another process is served within `ttl`); at most `capacity` names are
 * held (random names evict the oldest, they cannot grow memory); `forget(name)` (this process created
 * the realm) takes effect at once, and an `add` from a lookup that started before a `forget` is ignored,
 * so a lookup racing a creation cannot remember a realm that exists.
 */
export class UnknownRealmNames {
  /** Name → expiry (ms); insertion order is expiry order, since every entry lives `ttl`. */
  private readonly expiries = new Map<string, number>();
  private forgets = 0;

  constructor(private readonly options: UnknownRealmNamesOptions) {
    if (!(options.capacity >= 1)) throw new Error('UnknownRealmNames: capacity must be at least 1');
  }

  /** True while `name` is remembered as no realm. */
  has(name: string): boolean {
    const expiry = this.expiries.get(name);
    if (expiry === undefined) return false;
    if (this.now() < expiry) return true;
    this.expiries.delete(name);
    return false;
  }

  /** A token to pass to {@link add}: take it before the lookup that may find no realm. */
  epoch(): number {
    return this.forgets;
  }

  /** Remembers `name` as no realm, unless a `forget` happened since `epoch` was taken. */
  add(name: string, epoch: number): void {
    if (epoch !== this.forgets || this.options.ttl <= 0) return;
    const now = this.now();
    this.expiries.delete(name);
    this.expiries.set(name, now + this.options.ttl);
    for (const [oldest, expiry] of this.expiries) {
      if (this.expiries.size <= this.options.capacity && expiry > now) break;
      this.expiries.delete(oldest);
    }
  }

  /** Stops remembering `name` (a realm of that name was created or changed here). */
  forget(name: string): void {
    this.forgets += 1;
    this.expiries.delete(name);
  }

  /** How many names are held now (expired ones may still count until they are pruned). */
  get size(): number {
    return this.expiries.size;
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }
}
