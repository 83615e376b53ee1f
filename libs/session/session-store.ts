import type { Transaction } from '../x';
import type { Session } from './session';

export interface ListSessionsQuery {
  readonly identityId: string;
  readonly page: number;
  readonly perPage: number;
  /** Only sessions whose `active` flag equals this (undefined: all). */
  readonly active?: boolean;
  /** Leave this session out (the caller's own). */
  readonly exceptId?: string;
}

/** Persistence port for sessions. */
export interface SessionStore {
  create(session: Session, tx?: Transaction): Promise<void>;
  update(session: Session, tx?: Transaction): Promise<void>;
  get(id: string, tx?: Transaction): Promise<Session | undefined>;
  getByTokenHash(tokenHash: string, tx?: Transaction): Promise<Session | undefined>;
  list(query: ListSessionsQuery, tx?: Transaction): Promise<{ sessions: Session[]; total: number }>;
  /** All sessions, newest first (admin). */
  listAll(page: number, perPage: number, active?: boolean, tx?: Transaction): Promise<{ sessions: Session[]; total: number }>;
  /** Sets `active=false` on every active session of the identity except `exceptId`; returns how many. */
  revokeAllExcept(identityId: string, exceptId: string | undefined, tx?: Transaction): Promise<number>;
  /** Deletes every session of the identity; returns how many. */
  deleteForIdentity(identityId: string, tx?: Transaction): Promise<number>;
  delete(id: string, tx?: Transaction): Promise<boolean>;
}

export interface SessionStoreProvider {
  readonly sessionStore: SessionStore;
}
