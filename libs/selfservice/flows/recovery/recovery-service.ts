import { parseDuration } from '../../../x';
import { OryError, badRequest, notFound } from '../../../http/errors';
import type { Identity, PrivilegedIdentityPoolProvider } from '../../../identity';
import { type Session, type SessionManagerProvider, type SessionStoreProvider } from '../../../session';
import { type Transaction, isUuid } from '../../../x';
import { type FlowRequester, type RecoveryFlow, type RedeemedChallenge, type SettingsFlow, markCodeSent, messages } from '../../flow';
import { type ChallengeFlowDeps, ChallengeFlowService } from '../challenge/challenge-flow-service';
import type { SettingsService } from '../settings/settings-service';

export type RecoveryServiceDeps = ChallengeFlowDeps &
  PrivilegedIdentityPoolProvider &
  SessionManagerProvider &
  SessionStoreProvider & { readonly settingsService: SettingsService };

/** What a passed recovery yields: a privileged session and the settings flow to change credentials in. */
export interface RecoveryPassed {
  readonly identity: Identity;
  readonly session: Session;
  readonly token: string;
  readonly settingsFlow: SettingsFlow;
}

/**
 * Recovery flows (Kratos §9a/§9b): prove a recovery address with a code or link, get a fresh session
 * (AMR `code_recovery` / `link_recovery`) and a settings flow; the address counts as verified.
 */
export class RecoveryService extends ChallengeFlowService<RecoveryFlow, RecoveryPassed> {
  protected readonly purpose = 'recovery' as const;
  protected readonly texts = {
    sent: (m: 'code' | 'link') => (m === 'code' ? messages.recoveryCodeSent() : messages.recoveryLinkSent()),
    wrongSecret: (m: 'code' | 'link') => (m === 'code' ? messages.recoveryCodeInvalid() : messages.recoveryTokenInvalid()),
    failed: () => messages.recoveryFailed(),
    alreadyPassed: () => messages.recoveryRetrySuccess(),
    expired: (minutes: number, at: Date) => messages.recoveryExpired(minutes, at),
    noStrategy: () => messages.noRecoveryStrategy(),
    passed: () => [],
  };

  constructor(private readonly deps: RecoveryServiceDeps) {
    super(deps);
  }

  protected assertEnabled(): void {
    if (!this.deps.config.selfservice.flows.recovery.enabled) throw badRequest('Recovery is not allowed because it was disabled.');
  }

  protected methodId(): 'code' | 'link' {
    return this.deps.config.selfservice.flows.recovery.use;
  }

  /** @throws OryError 400 `session_already_available` when signed in */
  override async init(type: 'api' | 'browser', requester: FlowRequester): Promise<RecoveryFlow> {
    this.assertEnabled();
    if (await this.deps.sessionManager.resolve(requester.sessionToken)) {
      throw badRequest('A valid session was detected and thus recovery is not possible.')
        .withId('session_already_available')
        .withDetails({ redirect_browser_to: this.deps.config.selfservice.default_browser_return_url });
    }
    return super.init(type, requester);
  }

  protected async onPassed(flow: RecoveryFlow, redeemed: RedeemedChallenge, requester: FlowRequester, tx: Transaction): Promise<RecoveryPassed> {
    const found = await this.deps.privilegedIdentityPool.getForUpdate(redeemed.identityId, tx);
    if (!found) throw notFound('Unable to locate the resource');
    const now = this.deps.clock.now();
    // Receiving the mail proves the address: its verifiable counterpart becomes verified.
    const identity: Identity = {
      ...found,
      verifiableAddresses: found.verifiableAddresses.map((a) => (a.value === redeemed.address && !a.verified ? { ...a, verified: true, status: 'completed', verifiedAt: now, updatedAt: now } : a)),
    };
    await this.deps.privilegedIdentityPool.update(identity, tx);
    const method = flow.active === 'link' ? 'link_recovery' : 'code_recovery';
    const { session, token } = await this.deps.sessionManager.issue(identity, method, 'aal1', requester.device, tx);
    if (this.deps.config.selfservice.flows.recovery.after.hooks.some((h) => h.hook === 'revoke_active_sessions')) {
      await this.deps.sessionStore.revokeAllExcept(identity.id, session.id, tx);
    }
    const maxAge = this.deps.config.selfservice.flows.settings.privileged_session_max_age;
    const settingsFlow = await this.deps.settingsService.create(flow.type, { ...requester, sessionToken: token }, identity, flow.returnTo, [
      messages.recoverySuccess(maxAge / 60000, new Date(now.getTime() + maxAge)),
    ]);
    const marked = { ...settingsFlow, internalContext: { ...settingsFlow.internalContext, recovery: true } };
    await this.deps.flowStore.create(marked, tx);
    return { identity, session, token, settingsFlow: marked };
  }

  /**
   * Admin recovery (Kratos §9b): a browser recovery flow already in `sent_email`, valid for `expires_in`,
   * with a link (`method: link`) or a code (`method: code`) for the identity's first recovery address
   * (or its id when it has none).
   * @throws OryError 400 bad `expires_in` or (link) unknown identity; 404 (code) unknown identity
   */
  async createForAdmin(method: 'code' | 'link', identityId: unknown, expiresIn: unknown): Promise<{ flow: RecoveryFlow; secret: string; expiresAt: Date }> {
    const c = this.deps.config;
    const lifespan = expiresIn === undefined || expiresIn === '' ? c.selfservice.methods[method].config.lifespan : typeof expiresIn === 'string' ? parseDuration(expiresIn) : undefined;
    if (lifespan === undefined) throw badRequest(`Unable to parse "expires_in" whose format should match "[0-9]+(ns|us|ms|s|m|h)" but did not: ${String(expiresIn)}`);
    if (lifespan <= 0) throw badRequest('Value from "expires_in" parameter must result to a future time.');
    const identity = typeof identityId === 'string' && isUuid(identityId) ? await this.deps.privilegedIdentityPool.get(identityId) : undefined;
    if (!identity) {
      if (method === 'link') throw badRequest('The requested identity id does not exist.');
      throw notFound('could not find identity');
    }
    const strategy = this.deps.addressChallengeStrategy(method);
    if (!strategy) throw new OryError(404).withReason(`The ${method} method is disabled.`);
    const requester: FlowRequester = { url: `${c.serve.public.base_url}self-service/recovery`, query: {}, hasOrigin: false, hasBrowserCookies: false, device: { ipAddress: '', userAgent: '', location: '' } };
    const created = this.newFlow('browser', requester, undefined, lifespan);
    const sent = markCodeSent(created, this.deps.clock.now());
    const flow: RecoveryFlow = {
      ...sent,
      active: method,
      internalContext: { admin_created: true },
      ui: { ...sent.ui, nodes: [sent.ui.nodes[0], ...strategy.nodes(sent, 'sent_email')] },
    };
    const address = identity.recoveryAddresses[0]?.value ?? identity.id;
    const secret = await this.deps.transactions.withTransaction(async (tx) => {
      await this.deps.flowStore.create(flow, tx);
      return strategy.issue('recovery', flow, identity.id, address, flow.expiresAt, tx);
    });
    return { flow, secret, expiresAt: flow.expiresAt };
  }
}
