import type { RealmConfig, RealmConfigProvider, SecretsProvider } from '../config';
import { notFound } from '../http/errors';
import type { Identity, IdentityPoolProvider } from '../identity';
import { type ClockProvider, type Ctx, type TransactionRunnerProvider, newId } from '../x';
import { aalSatisfies, highestAvailableAal } from './available-aal';
import { ROUTE_LOGIN_AAL2 } from './routes';
import { type Aal, type AuthenticationMethodName, type Session, computeAal } from './session';
import { sessionAal2Required, sessionInactive } from './session-errors';
import type { SessionStoreProvider } from './session-store';
import { hashToken, logoutTokenFor, randomAlphanumeric, verifyLogoutToken } from './session-tokens';

/** What the HTTP layer knows about the client a session is issued to. */
export interface DeviceInfo {
  readonly ipAddress: string;
  readonly userAgent: string;
  readonly location: string;
}

/** A valid session together with its identity. */
export interface ActiveSession {
  readonly session: Session;
  readonly identity: Identity;
}

/** What `GET /sessions/whoami` answers with. */
export interface WhoamiResult extends ActiveSession {
  /** Whole seconds until the session expires (the `Ory-Session-Cache-For` header). */
  readonly cacheForSeconds: number;
}

/**
 * The whoami answer for a valid session at `now`: it must meet `session.whoami.required_aal`
 * (`highest_available`: the strongest AAL the identity's credentials allow).
 * @throws OryError 403 `session_aal2_required` with `redirect_browser_to`
 */
export function whoamiOf(active: ActiveSession, config: Pick<RealmConfig, 'session' | 'serve'>, now: Date): WhoamiResult {
  const required: Aal = config.session.whoami.required_aal === 'aal1' ? 'aal1' : highestAvailableAal(active.identity);
  if (!aalSatisfies(active.session.aal, required)) {
    throw sessionAal2Required(`${config.serve.public.base_url}${ROUTE_LOGIN_AAL2.slice(1)}`);
  }
  const cacheForSeconds = Math.max(0, Math.floor((active.session.expiresAt.getTime() - now.getTime()) / 1000));
  return { ...active, cacheForSeconds };
}

export type SessionManagerDeps = RealmConfigProvider & ClockProvider & SessionStoreProvider & IdentityPoolProvider & SecretsProvider & TransactionRunnerProvider;

/**
 * Issues, resolves, refreshes and revokes sessions. Invariants: a session token exists in plaintext
 * only in the response that issues it (and inside the encrypted cookie); a session resolves only while
 * active, unexpired and its identity is active — deactivating an identity invalidates its sessions at once.
 */
export class SessionManager {
  constructor(private readonly deps: SessionManagerDeps) {}

  /** Issues a new session after a completed login/registration step. */
  async issue(ctx: Ctx, identity: Identity, method: AuthenticationMethodName, aal: Aal, device: DeviceInfo): Promise<{ session: Session; token: string }> {
    const now = this.deps.clock.now();
    const token = randomAlphanumeric(32);
    const methods = [{ method, aal, completedAt: now }];
    const session: Session = {
      id: newId(),
      identityId: identity.id,
      tokenHash: hashToken(token),
      active: true,
      aal: computeAal(methods),
      authenticatedAt: now,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + this.deps.config.session.lifespan),
      authenticationMethods: methods,
      devices: [{ id: newId(), ...device }],
    };
    await this.deps.sessionStore.create(ctx, session);
    return { session, token };
  }

  /**
   * Records another completed step on an existing session (refresh or a second factor): appends the
   * method, recomputes the AAL, and restarts `authenticated_at` and the lifespan. The session is re-read
   * locked in `ctx.tx` (call it inside a transaction; `SessionStore.getForUpdate`), never taken from an earlier copy: steps completed in
   * parallel on one session all stay recorded, and a session revoked or expired meanwhile stays so.
   * @throws OryError 401 `session_inactive` when the session is gone, revoked or expired by now
   */
  async addMethod(ctx: Ctx, sessionId: string, method: AuthenticationMethodName, aal: Aal): Promise<Session> {
    const session = await this.deps.sessionStore.getForUpdate(ctx, sessionId);
    if (!session || !this.isValid(session)) throw sessionInactive();
    const now = this.deps.clock.now();
    const methods = [...session.authenticationMethods, { method, aal, completedAt: now }];
    const next: Session = {
      ...session,
      authenticationMethods: methods,
      aal: computeAal(methods),
      authenticatedAt: now,
      expiresAt: new Date(now.getTime() + this.deps.config.session.lifespan),
    };
    await this.deps.sessionStore.update(ctx, next);
    return next;
  }

  /** The valid session for a token, with its identity; `undefined` when missing, revoked, expired or disabled. */
  async resolve(ctx: Ctx, token: string | undefined): Promise<ActiveSession | undefined> {
    if (!token || token.length > 512) return undefined;
    const session = await this.deps.sessionStore.getByTokenHash(ctx, hashToken(token));
    if (!session || !this.isValid(session)) return undefined;
    const identity = await this.deps.identityPool.get(ctx, session.identityId);
    if (!identity || identity.state !== 'active') return undefined;
    return { session, identity };
  }

  /**
   * The valid session for a token, as `resolve`, for endpoints that require one.
   * @throws OryError 401 `session_inactive` when the token is missing or its session is not valid
   */
  async authenticate(ctx: Ctx, token: string | undefined): Promise<ActiveSession> {
    const active = await this.resolve(ctx, token);
    if (!active) throw sessionInactive();
    return active;
  }

  /**
   * `GET /sessions/whoami`: the valid session, which must also meet `session.whoami.required_aal`. With
   * `highest_available` (the default) an aal1 session of an identity that has a second factor is refused,
   * so a half-finished 2FA login is not treated as signed in.
   * @throws OryError 401 `session_inactive`; 403 `session_aal2_required` with `redirect_browser_to`
   */
  async whoami(ctx: Ctx, token: string | undefined): Promise<WhoamiResult> {
    return whoamiOf(await this.authenticate(ctx, token), this.deps.config, this.deps.clock.now());
  }

  /** True while the session is active and unexpired (identity state is checked by `resolve`). */
  isValid(session: Session): boolean {
    return session.active && session.expiresAt.getTime() > this.deps.clock.now().getTime();
  }

  /**
   * Marks the session inactive (logout), in its own transaction on the session read locked: a concurrent
   * step-up or extension either commits first (and is revoked with it) or finds it revoked — a revoked
   * session is never written back as active. Revoking a revoked session succeeds again.
   * @returns false when no such session exists
   */
  async revoke(ctx: Ctx, id: string): Promise<boolean> {
    return this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const session = await this.deps.sessionStore.getForUpdate(ctx, id);
      if (!session) return false;
      if (session.active) await this.deps.sessionStore.update(ctx, { ...session, active: false });
      return true;
    });
  }

  /** Revokes the session a token belongs to; false when no such session exists. */
  async revokeByToken(ctx: Ctx, token: string): Promise<boolean> {
    const session = await this.deps.sessionStore.getByTokenHash(ctx, hashToken(token));
    return session ? this.revoke(ctx, session.id) : false;
  }

  /**
   * Kratos `PATCH /admin/sessions/{id}/extend`: when `expires_at - earliest_possible_extend` has passed,
   * the session lives another full lifespan from now; otherwise it is returned unchanged. Only
   * `expires_at` changes, on the session read locked (a concurrent revocation or step-up is kept).
   * @throws OryError 404 for an unknown session
   */
  async extend(ctx: Ctx, id: string): Promise<Session> {
    return this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const session = await this.deps.sessionStore.getForUpdate(ctx, id);
      if (!session) throw notFound('Unable to locate the resource');
      const now = this.deps.clock.now().getTime();
      const window = this.deps.config.session.earliest_possible_extend ?? this.deps.config.session.lifespan;
      if (session.expiresAt.getTime() - window > now) return session;
      const next = { ...session, expiresAt: new Date(now + this.deps.config.session.lifespan) };
      await this.deps.sessionStore.update(ctx, next);
      return next;
    });
  }

  /** The logout token to put in the logout URL of this session. */
  logoutToken(session: Session): string {
    return logoutTokenFor(session.id, this.deps.secrets.cookie[0]);
  }

  /** True when `token` is this session's logout token. */
  checkLogoutToken(session: Session, token: string): boolean {
    return verifyLogoutToken(session.id, token, this.deps.secrets.cookie);
  }
}

export interface SessionManagerProvider {
  readonly sessionManager: SessionManager;
}
