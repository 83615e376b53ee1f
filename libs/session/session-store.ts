import type { Transaction } from '../x';
import type { Session } from './session';

/** Paging and the `active` filter shared by the session lists. */
export interface ListAllSessionsQuery {
  readonly page: number;
  readonly perPage: number;
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
  create(session: Session, tx?: Transaction): Promise<void>;
  update(session: Session, tx?: Transaction): Promise<void>;
  get(id: string, tx?: Transaction): Promise<Session | undefined>;
  /**
   * The session as stored now, read locked for `tx`: until `tx` ends, no other transaction writes the
   * row, and a `getForUpdate` of it in another transaction waits for this one to commit and then sees its
   * writes. Every read-modify-write of a session (a step-up, revocation, extension) reads through this, so
   * a concurrent change (another method, `active=false`) is never overwritten by a stale copy.
   */
  getForUpdate(id: string, tx: Transaction): Promise<Session | undefined>;
  getByTokenHash(tokenHash: string, tx?: Transaction): Promise<Session | undefined>;
  /** The identity's sessions, newest first (creation order, then id), with the total. */
  list(query: ListSessionsQuery, tx?: Transaction): Promise<{ sessions: Session[]; total: number }>;
  /** All sessions, newest first (admin), with the total. */
  listAll(query: ListAllSessionsQuery, tx?: Transaction): Promise<{ sessions: Session[]; total: number }>;
  /** Sets `active=false` on every active session of the identity except `exceptId`; returns how many. */
  revokeAllExcept(identityId: string, exceptId: string | undefined, tx?: Transaction): Promise<number>;
  /** Deletes every session of the identity; returns how many. */
  deleteForIdentity(identityId: string, tx?: Transaction): Promise<number>;
  delete(id: string, tx?: Transaction): Promise<boolean>;
}

export interface SessionStoreProvider {
  readonly sessionStore: SessionStore;
}
