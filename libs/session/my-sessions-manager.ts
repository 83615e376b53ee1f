import { badRequest, notFound } from '../http/errors';
import { type ClockProvider, type Ctx, type KeysetWindow, type TransactionRunnerProvider, isUuid } from '../x';
import type { SessionManagerProvider } from './session-manager';
import type { SessionPage } from './session-page';
import type { SessionStoreProvider } from './session-store';

export type MySessionsManagerDeps = ClockProvider & SessionStoreProvider & SessionManagerProvider & TransactionRunnerProvider;

/**
 * What a signed-in user may do with their *other* sessions (Kratos `GET/DELETE /sessions`,
 * `DELETE /sessions/{id}`). Every operation first authenticates the caller's session token, and never
 * touches the caller's current session: that one ends through the logout flow.
 */
export class MySessionsManager {
  constructor(private readonly deps: MySessionsManagerDeps) {}

  /**
   * The caller's other sessions that are active and unexpired, newest first.
   * @throws OryError 401 `session_inactive`
   */
  async list(ctx: Ctx, token: string | undefined, window: KeysetWindow): Promise<SessionPage> {
    const { session, identity } = await this.deps.sessionManager.authenticate(ctx, token);
    const result = await this.deps.sessionStore.list(ctx, {
      identityId: identity.id,
      ...window,
      active: true,
      validAt: this.deps.clock.now(),
      exceptId: session.id,
    });
    return { ...result, items: result.items.map((s) => ({ session: s, identity })) };
  }

  /**
   * Revokes (`active=false`, rows kept) every other active session of the caller, in a transaction so
   * it is ordered with a concurrent step-up of one of them (which then finds it revoked).
   * @returns how many sessions were revoked
   * @throws OryError 401 `session_inactive`
   */
  async revokeOthers(ctx: Ctx, token: string | undefined): Promise<number> {
    const { session, identity } = await this.deps.sessionManager.authenticate(ctx, token);
    return this.deps.transactions.withTransaction(ctx, (ctx) => this.deps.sessionStore.revokeAllExcept(ctx, identity.id, session.id));
  }

  /**
   * Revokes one other session of the caller. Revoking an already revoked one succeeds again.
   * @throws OryError 401 `session_inactive`; 400 for a malformed id or the current session; 404 when
   *   the session does not exist or belongs to another identity (indistinguishable on purpose)
   */
  async revoke(ctx: Ctx, token: string | undefined, id: string): Promise<void> {
    const { session, identity } = await this.deps.sessionManager.authenticate(ctx, token);
    if (!isUuid(id)) throw badRequest('The session id is not a valid UUID.');
    if (id.toLowerCase() === session.id) throw badRequest('cannot revoke current session').withDebug('use the logout flow instead');
    const target = await this.deps.sessionStore.get(ctx, id.toLowerCase());
    if (!target || target.identityId !== identity.id) throw notFound('Unable to locate the resource');
    await this.deps.sessionManager.revoke(ctx, target.id);
  }
}

export interface MySessionsManagerProvider {
  readonly mySessionsManager: MySessionsManager;
}
