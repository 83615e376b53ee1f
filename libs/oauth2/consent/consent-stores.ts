import type { Ctx, KeyPart, KeysetPage, KeysetWindow } from '../../x';
import type { ConsentSession } from './consent-session';
import type { HandledChallenge } from './handled-challenge';
import type { LoginSession } from './login-session';
import type { LogoutRequest } from './logout-request';

/** Remembered login sessions, keyed by the engine's session uid. */
export interface LoginSessionStore {
  /** Inserts or replaces. */
  upsert(ctx: Ctx, session: LoginSession): Promise<void>;
  get(ctx: Ctx, id: string): Promise<LoginSession | undefined>;
  /** Deletes every login session of the subject; returns their ids. */
  deleteBySubject(ctx: Ctx, subject: string): Promise<string[]>;
  /** Deletes rows whose `expiresAt` is before `now`; returns how many. */
  deleteExpired(ctx: Ctx, now: Date): Promise<number>;
}

/** The consent session list's key: `(handled_at, grant_id)`, newest first (index `(nid, subject, skip, handled_at, grant_id)`). */
export const CONSENT_SESSION_LIST_KEY: readonly KeyPart[] = ['time', 'text'];

/** A keyset page of a subject's consent sessions (never counted). */
export type ConsentSessionPage = KeysetPage<ConsentSession>;

/** Accepted consents, one per grant. */
export interface ConsentSessionStore {
  create(ctx: Ctx, session: ConsentSession): Promise<void>;
  getByGrantId(ctx: Ctx, grantId: string): Promise<ConsentSession | undefined>;
  /** Replaces the grant's `session` claims (Hydra's refresh token hook); false when there is no such consent. */
  updateSession(ctx: Ctx, grantId: string, session: ConsentSession['session']): Promise<boolean>;
  /** Remembered, not-skipped consents of (subject, client), newest first (expiry is the caller's rule). */
  listRemembered(ctx: Ctx, subject: string, clientId: string): Promise<ConsentSession[]>;
  /** Not-skipped consents of the subject, newest first. */
  listBySubject(ctx: Ctx, subject: string, window: KeysetWindow): Promise<ConsentSessionPage>;
  /** Grant ids of the subject's consents, all or for one client. */
  grantIds(ctx: Ctx, subject: string, clientId?: string): Promise<string[]>;
  deleteByGrantIds(ctx: Ctx, grantIds: readonly string[]): Promise<void>;
  deleteExpired(ctx: Ctx, now: Date): Promise<number>;
}

/** Answered login and consent challenges. */
export interface HandledChallengeStore {
  /** Inserts or replaces (a challenge may be answered again until the browser redeems it). */
  put(ctx: Ctx, challenge: HandledChallenge): Promise<void>;
  get(ctx: Ctx, challenge: string): Promise<HandledChallenge | undefined>;
  deleteExpired(ctx: Ctx, now: Date): Promise<number>;
}

/** Logout requests. */
export interface LogoutRequestStore {
  create(ctx: Ctx, request: LogoutRequest): Promise<void>;
  get(ctx: Ctx, challenge: string): Promise<LogoutRequest | undefined>;
  getByVerifier(ctx: Ctx, verifier: string): Promise<LogoutRequest | undefined>;
  /** Replaces the stored request only if its state is still `expectedState` (no double redemption). */
  update(ctx: Ctx, request: LogoutRequest, expectedState: LogoutRequest['state']): Promise<boolean>;
  deleteExpired(ctx: Ctx, now: Date): Promise<number>;
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
