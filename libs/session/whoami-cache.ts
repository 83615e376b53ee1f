import type { Identity } from '../identity';
import type { Session } from './session';

/**
 * A session with its identity as `/sessions/whoami` needs them. The identity is the public projection:
 * traits, addresses, metadata and state as stored; its credentials carry type, version and timestamps,
 * with `config` only for the second factors (`totp`, `lookup_secret`, `webauthn`: what
 * `highestAvailableAal` reads) and no identifiers. Never use it for anything that reads credentials.
 */
export interface WhoamiRecord {
  readonly session: Session;
  readonly identity: Identity;
}

/** What changed, for {@link SessionInvalidation}: one session, or every session of one identity. */
export type SessionChange = { readonly sessionId: string } | { readonly identityId: string };

/**
 * Told about every write to a realm's sessions or identities (the stores call it after the write, and
 * again once the transaction it was part of has ended), so nothing read before the change is served after it.
 */
export interface SessionInvalidation {
  invalidate(realm: string, change: SessionChange): void;
  /** Every entry of the realm (the realm was deleted). */
  invalidateRealm(realm: string): void;
}

export interface WhoamiCacheOptions {
  /** How long an entry is served after it was read, in ms; 0 disables the cache. */
  readonly ttlMs: number;
  /** Entries at most; the oldest goes first. */
  readonly maxEntries: number;
  /** A monotonic clock in ms (default `performance.now`). */
  readonly now?: () => number;
}

interface Entry {
  readonly realm: string;
  readonly value: WhoamiRecord;
  readonly expires: number;
}

/**
 * The per-process whoami cache: `(realm, token hash)` → the session and identity read from the database.
 * It holds database state only; every answer is still judged at the moment it is served (active,
 * unexpired by the clock, identity active, the realm's required AAL), so an expiry passes on time.
 *
 * Invariants:
 * - an entry is served at most `ttlMs` after the read that produced it began: a change made by another
 *   process (which this one is not told about) is seen within `ttlMs`;
 * - a change made through this process's stores ({@link invalidate}) drops the entries it touches at
 *   once, and a read that was in flight when any change was reported is never stored
 *   ({@link ticket}/{@link set}), so it cannot put back what the change replaced;
 * - realms never share entries (the realm is part of the key); at most `maxEntries` are held.
 */
export class WhoamiCache implements SessionInvalidation {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: WhoamiCacheOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached read of `tokenHash` in `realm`, while younger than the TTL. */
  get(realm: string, tokenHash: string): WhoamiRecord | undefined {
    const key = keyOf(realm, tokenHash);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Take before reading from the database; hand to {@link set} with what the read returned. */
  ticket(): { readonly generation: number; readonly startedAt: number } {
    return { generation: this.generation, startedAt: this.now() };
  }

  /** Stores a read, unless a change was reported since its ticket was taken. The TTL counts from the ticket. */
  set(realm: string, tokenHash: string, value: WhoamiRecord, ticket: { readonly generation: number; readonly startedAt: number }): void {
    if (this.options.ttlMs <= 0 || ticket.generation !== this.generation) return;
    const key = keyOf(realm, tokenHash);
    this.entries.delete(key);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(key, { realm, value, expires: ticket.startedAt + this.options.ttlMs });
  }

  invalidate(realm: string, change: SessionChange): void {
    this.generation++;
    for (const [key, entry] of this.entries) {
      if (entry.realm !== realm) continue;
      const hit = 'sessionId' in change ? entry.value.session.id === change.sessionId : entry.value.identity.id === change.identityId;
      if (hit) this.entries.delete(key);
    }
  }

  invalidateRealm(realm: string): void {
    this.generation++;
    for (const [key, entry] of this.entries) if (entry.realm === realm) this.entries.delete(key);
  }
}

export interface WhoamiCacheProvider {
  readonly whoamiCache: WhoamiCache;
}

function keyOf(realm: string, tokenHash: string): string {
  return `${realm}\n${tokenHash}`;
}
