import { invalidRequest } from '../client';
import type { ConsentSessionStoreProvider, LoginSessionStoreProvider } from './consent-stores';
import type { InteractionPortProvider } from './interaction-port';
import { toPreviousConsentWire } from './wire';
import type { Ctx, KeysetPage, KeysetWindow } from '../../x';

export type ConsentSessionManagerDeps = ConsentSessionStoreProvider & LoginSessionStoreProvider & InteractionPortProvider;

/**
 * Lists and revokes a subject's consent and login sessions (hydra-api.md §4).
 * Invariants: revoking a consent revokes every access and refresh token of its grant at once;
 * revoking login sessions never touches tokens.
 */
export class ConsentSessionManager {
  constructor(private readonly deps: ConsentSessionManagerDeps) {}

  /** @throws OryError 400 when `subject` is missing. */
  async list(ctx: Ctx, subject: string | undefined, window: KeysetWindow): Promise<KeysetPage<Record<string, unknown>>> {
    if (!subject) throw invalidRequest("Query parameter 'subject' is not defined but should have been.");
    const page = await this.deps.consentSessionStore.listBySubject(ctx, subject, window);
    return { ...page, items: page.items.map(toPreviousConsentWire) };
  }

  /**
   * Revokes the subject's consents for one client, or all of them with `all`.
   * @throws OryError 400 when `subject` is missing or neither `client` nor `all` is given.
   */
  async revokeConsent(ctx: Ctx, subject: string | undefined, scope: { client?: string; all?: boolean }): Promise<void> {
    if (!subject) throw invalidRequest("Query parameter 'subject' is not defined but should have been.");
    if (!scope.client && !scope.all) throw invalidRequest("Query parameter 'client' or 'all' is not defined but should have been.");
    const grantIds = await this.deps.consentSessionStore.grantIds(ctx, subject, scope.all ? undefined : scope.client);
    for (const grantId of grantIds) await this.deps.interactionPort.revokeGrant(ctx, grantId);
    await this.deps.consentSessionStore.deleteByGrantIds(ctx, grantIds);
  }

  /** Forgets every login of the subject: the next authorization shows the login UI. @throws OryError 400 */
  async revokeLogin(ctx: Ctx, subject: string | undefined): Promise<void> {
    if (!subject) throw invalidRequest("Query parameter 'subject' is not defined but should have been.");
    await this.deps.loginSessionStore.deleteBySubject(ctx, subject);
    await this.deps.interactionPort.destroySessions(ctx, subject);
  }
}

export interface ConsentSessionManagerProvider {
  readonly consentSessionManager: ConsentSessionManager;
}
