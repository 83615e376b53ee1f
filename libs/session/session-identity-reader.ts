import type { IdentityPool } from '../identity';
import type { Ctx } from '../x';
import type { SessionStore } from './session-store';
import type { WhoamiRecord } from './whoami-cache';

/**
 * Reads a session by token hash together with its identity, its addresses and its credential types in
 * one round trip (the whoami hot path). The session is returned whatever its state; the caller judges it.
 */
export interface SessionIdentityReader {
  getWithIdentityByTokenHash(ctx: Ctx, tokenHash: string): Promise<WhoamiRecord | undefined>;
}

export interface SessionIdentityReaderProvider {
  readonly sessionIdentityReader: SessionIdentityReader;
}

/** The reader over a session store and an identity pool, in two reads (memory stores, tests). */
export function composedSessionIdentityReader(sessions: SessionStore, identities: IdentityPool): SessionIdentityReader {
  return {
    async getWithIdentityByTokenHash(ctx, tokenHash) {
      const session = await sessions.getByTokenHash(ctx, tokenHash);
      const identity = session ? await identities.get(ctx, session.identityId) : undefined;
      return session && identity ? { session, identity } : undefined;
    },
  };
}
