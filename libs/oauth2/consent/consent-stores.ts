import type { Transaction } from '../../x';
import type { ConsentSession } from './consent-session';
import type { HandledChallenge } from './handled-challenge';
import type { LoginSession } from './login-session';
import type { LogoutRequest } from './logout-request';

/** Remembered login sessions, keyed by the engine's session uid. */
export interface LoginSessionStore {
  /** Inserts or replaces. */
  upsert(session: LoginSession, tx?: Transaction): Promise<void>;
  get(id: string, tx?: Transaction): Promise<LoginSession | undefined>;
  /** Deletes every login session of the subject; returns their ids. */
  deleteBySubject(subject: string, tx?: Transaction): Promise<string[]>;
  /** Deletes rows whose `expiresAt` is before `now`; returns how many. */
  deleteExpired(now: Date, tx?: Transaction): Promise<number>;
}

/** A window of a subject's consent sessions. */
export interface ConsentSessionPage {
  readonly sessions: readonly ConsentSession[];
  readonly total: number;
}

/** Accepted consents, one per grant. */
export interface ConsentSessionStore {
  create(session: ConsentSession, tx?: Transaction): Promise<void>;
  getByGrantId(grantId: string, tx?: Transaction): Promise<ConsentSession | undefined>;
  /** Replaces the grant's `session` claims (Hydra's refresh token hook); false when there is no such consent. */
  updateSession(grantId: string, session: ConsentSession['session'], tx?: Transaction): Promise<boolean>;
  /** Remembered, not-skipped consents of (subject, client), newest first (expiry is the caller's rule). */
  listRemembered(subject: string, clientId: string, tx?: Transaction): Promise<ConsentSession[]>;
  /** Not-skipped consents of the subject, newest first. */
  listBySubject(subject: string, window: { readonly offset: number; readonly limit: number }, tx?: Transaction): Promise<ConsentSessionPage>;
  /** Grant ids of the subject's consents, all or for one client. */
  grantIds(subject: string, clientId?: string, tx?: Transaction): Promise<string[]>;
  deleteByGrantIds(grantIds: readonly string[], tx?: Transaction): Promise<void>;
  deleteExpired(now: Date, tx?: Transaction): Promise<number>;
}

/** Answered login and consent challenges. */
export interface HandledChallengeStore {
  /** Inserts or replaces (a challenge may be answered again until the browser redeems it). */
  put(challenge: HandledChallenge, tx?: Transaction): Promise<void>;
  get(challenge: string, tx?: Transaction): Promise<HandledChallenge | undefined>;
  deleteExpired(now: Date, tx?: Transaction): Promise<number>;
}

/** Logout requests. */
export interface LogoutRequestStore {
  create(request: LogoutRequest, tx?: Transaction): Promise<void>;
  get(challenge: string, tx?: Transaction): Promise<LogoutRequest | undefined>;
  getByVerifier(verifier: string, tx?: Transaction): Promise<LogoutRequest | undefined>;
  /** Replaces the stored request only if its state is still `expectedState` (no double redemption). */
  update(request: LogoutRequest, expectedState: LogoutRequest['state'], tx?: Transaction): Promise<boolean>;
  deleteExpired(now: Date, tx?: Transaction): Promise<number>;
}

export interface LoginSessionStoreProvider {
  readonly loginSessionStore: LoginSessionStore;
}
export interface ConsentSessionStoreProvider {
  readonly consentSessionStore: ConsentSessionStore;
}
export interface HandledChallengeStoreProvider {
  readonly handledChallengeStore: HandledChallengeStore;
}
export interface LogoutRequestStoreProvider {
  readonly logoutRequestStore: LogoutRequestStore;
}
