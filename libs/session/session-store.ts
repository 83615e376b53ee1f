import type { Ctx, KeyPart, KeysetPage, KeysetWindow } from '../x';
import type { Session } from './session';

/** The session lists' key: `(created_at, id)`, newest first (indexes `(nid, created_at, id)` and `(identity_id, created_at, id)`). */
export const SESSION_LIST_KEY: readonly KeyPart[] = ['time', 'uuid'];

/** Paging and the `active` filter shared by the session lists. */
export interface ListAllSessionsQuery extends KeysetWindow {
  /**
   * `true`: only sessions whose `active` flag is set (and, with `validAt`, that expire after it);
   * `false`: the others (revoked, or with `validAt` also expired); `undefined`: all.
   */
  readonly active?: boolean;
  /** The instant `active` is judged at; without it only the `active` flag counts. */
  readonly validAt?: Date;
}

export interface ListSessionsQuery extends ListAllSessionsQuery {
  readonly identityId: string;
  /** Leave this session out (the caller's own). */
  readonly exceptId?: string;
}

/**
 * Persistence port for sessions. Sessions reference their identity: deleting the identity deletes its
 * sessions. `tokenHash` is unique.
 */
export interface SessionStore {
  create(ctx: Ctx, session: Session): Promise<void>;
  update(ctx: Ctx, session: Session): Promise<void>;
  get(ctx: Ctx, id: string): Promise<Session | undefined>;
  /**
   * The session as stored now, read locked for `ctx.tx` (call it inside a transaction): until that
   * transaction ends, no other transaction writes the row, and a `getForUpdate` of it in another
   * transaction waits for this one to commit and then sees its writes. Every read-modify-write of a
   * session (a step-up, revocation, extension) reads through this, so a concurrent change (another
   * method, `active=false`) is never overwritten by a stale copy.
   */
  getForUpdate(ctx: Ctx, id: string): Promise<Session | undefined>;
  getByTokenHash(ctx: Ctx, tokenHash: string): Promise<Session | undefined>;
  /** A keyset page of the identity's sessions, newest first (creation time, then id, descending); never counts. */
  list(ctx: Ctx, query: ListSessionsQuery): Promise<KeysetPage<Session>>;
  /** A keyset page of all sessions, newest first (admin); never counts. */
  listAll(ctx: Ctx, query: ListAllSessionsQuery): Promise<KeysetPage<Session>>;
  /** Sets `active=false` on every active session of the identity except `exceptId`; returns how many. */
  revokeAllExcept(ctx: Ctx, identityId: string, exceptId: string | undefined): Promise<number>;
  /** Deletes every session of the identity; returns how many. */
  deleteForIdentity(ctx: Ctx, identityId: string): Promise<number>;
  delete(ctx: Ctx, id: string): Promise<boolean>;
}

export interface SessionStoreProvider {
  readonly sessionStore: SessionStore;
}
