import { type OryError, badRequest, notFound } from '../http/errors';
import type { Identity, IdentityPoolProvider } from '../identity';
import { type ClockProvider, type Ctx, type KeysetWindow, type TransactionRunnerProvider, isUuid } from '../x';
import type { SessionManagerProvider } from './session-manager';
import type { Session } from './session';
import type { SessionPage, SessionWithIdentity } from './session-page';
import type { SessionStoreProvider } from './session-store';

/** Paging and the `active` filter of the admin session lists. */
export interface AdminSessionsQuery extends KeysetWindow {
  /** `true`: active and unexpired only; `false`: revoked or expired only; `undefined`: all. */
  readonly active?: boolean;
}

export type AdminSessionManagerDeps = ClockProvider & SessionStoreProvider & SessionManagerProvider & IdentityPoolProvider & TransactionRunnerProvider;

/**
 * The operator's view of sessions (Kratos admin API): list them per identity or overall, read, extend,
 * revoke one, or delete all of an identity's. Ids are checked here, so every caller gets the same
 * 400 for a malformed id and 404 for an unknown one.
 */
export class AdminSessionManager {
  constructor(private readonly deps: AdminSessionManagerDeps) {}

  /**
   * The identity's sessions, newest first.
   * @throws OryError 400 malformed id, 404 unknown identity
   */
  async listForIdentity(ctx: Ctx, identityId: string, query: AdminSessionsQuery): Promise<SessionPage> {
    const identity = await this.identity(ctx, identityId);
    const result = await this.deps.sessionStore.list(ctx, { identityId: identity.id, ...query, validAt: this.deps.clock.now() });
    return { ...result, items: result.items.map((session) => ({ session, identity })) };
  }

  /**
   * Deletes every session of the identity (rows removed, unlike revocation), in a transaction so it is
   * ordered with a concurrent step-up of one of them (which then finds it gone and is refused).
   * @throws OryError 400 malformed id, 404 unknown identity
   */
  async deleteForIdentity(ctx: Ctx, identityId: string): Promise<void> {
    const identity = await this.identity(ctx, identityId);
    await this.deps.transactions.withTransaction(ctx, (ctx) => this.deps.sessionStore.deleteForIdentity(ctx, identity.id));
  }

  /** All sessions, newest first, each with its identity (the page's identities read together: one query per table, not per session). */
  async list(ctx: Ctx, query: AdminSessionsQuery): Promise<SessionPage> {
    const result = await this.deps.sessionStore.listAll(ctx, { ...query, validAt: this.deps.clock.now() });
    const identities = new Map<string, Identity>();
    for (const identity of await this.deps.identityPool.getMany(ctx, result.items.map((s) => s.identityId))) identities.set(identity.id, identity);
    return { ...result, items: result.items.map((session) => ({ session, identity: identities.get(session.identityId) })) };
  }

  /** @throws OryError 400 malformed id, 404 unknown session */
  async get(ctx: Ctx, id: string): Promise<SessionWithIdentity> {
    return this.withIdentity(ctx, await this.session(ctx, id));
  }

  /**
   * Kratos `PATCH /admin/sessions/{id}/extend` (see `SessionManager.extend`), with the identity.
   * @throws OryError 400 malformed id, 404 unknown session
   */
  async extend(ctx: Ctx, id: string): Promise<SessionWithIdentity> {
    if (!isUuid(id)) throw malformedId();
    return this.withIdentity(ctx, await this.deps.sessionManager.extend(ctx, id.toLowerCase()));
  }

  /**
   * Revokes one session (`active=false`, the row stays for the record).
   * @throws OryError 400 malformed id, 404 unknown session
   */
  async revoke(ctx: Ctx, id: string): Promise<void> {
    await this.deps.sessionManager.revoke(ctx, (await this.session(ctx, id)).id);
  }

  private async session(ctx: Ctx, id: string): Promise<Session> {
    if (!isUuid(id)) throw malformedId();
    const session = await this.deps.sessionStore.get(ctx, id.toLowerCase());
    if (!session) throw notFound('Unable to locate the resource');
    return session;
  }

  private async identity(ctx: Ctx, id: string): Promise<Identity> {
    if (!isUuid(id)) throw malformedId();
    const identity = await this.deps.identityPool.get(ctx, id.toLowerCase());
    if (!identity) throw notFound('Unable to locate the resource');
    return identity;
  }

  private async withIdentity(ctx: Ctx, session: Session): Promise<SessionWithIdentity> {
    return { session, identity: await this.deps.identityPool.get(ctx, session.identityId) };
  }
}

function malformedId(): OryError {
  return badRequest('The id is not a valid UUID.').withDebug('could not parse UUID');
}

export interface AdminSessionManagerProvider {
  readonly adminSessionManager: AdminSessionManager;
}
