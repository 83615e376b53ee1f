import { badRequest } from '../../../http/errors';
import type { Identity, PrivilegedIdentityPoolProvider } from '../../../identity';
import type { Transaction } from '../../../x';
import type { SentVerification } from '../settings/settings-service';
import { type FlowRequester, type RedeemedChallenge, type VerificationFlow, canFetchFlow, completedReturnUrl, flowUiUrl, markCodeSent, messages } from '../../flow';
import { type ChallengeFlowDeps, ChallengeFlowService } from '../challenge/challenge-flow-service';

export type VerificationServiceDeps = ChallengeFlowDeps & PrivilegedIdentityPoolProvider;

/** A requester for flows the server starts on its own (after registration or a profile change). */
const SERVER_REQUESTER: FlowRequester = { url: '', query: {}, hasOrigin: false, hasBrowserCookies: false, device: { ipAddress: '', userAgent: '', location: '' } };

/** A redeemed verification: whose address, and where a browser that opened the link goes next. */
export interface VerificationPassed {
  readonly identityId: string;
  /** `return_to` → `selfservice.flows.verification.after.default_browser_return_url` → the verification UI. */
  readonly returnTo: string;
  /**
   * When the link was opened in a browser that cannot fetch the flow (a mail app's fresh browser): a
   * passed flow of that browser showing the success, whose CSRF cookie the response must set.
   */
  readonly receipt?: VerificationFlow;
}

/**
 * Verification flows (Kratos §9a): prove an email address with a code or link; the address becomes
 * `verified`, `status: completed`, with `verified_at`.
 */
export class VerificationService extends ChallengeFlowService<VerificationFlow, VerificationPassed> {
  protected readonly purpose = 'verification' as const;
  protected readonly texts = {
    sent: (m: 'code' | 'link') => (m === 'code' ? messages.verificationCodeSent() : messages.verificationLinkSent()),
    wrongSecret: (m: 'code' | 'link') => (m === 'code' ? messages.verificationCodeInvalid() : messages.verificationTokenInvalid()),
    failed: () => messages.verificationFailed(),
    alreadyPassed: () => messages.verificationRetrySuccess(),
    expired: (minutes: number, at: Date) => messages.verificationExpired(minutes, at),
    noStrategy: () => messages.noVerificationStrategy(),
    passed: () => [messages.verificationSuccess()],
  };

  constructor(private readonly deps: VerificationServiceDeps) {
    super(deps);
  }

  protected assertEnabled(): void {
    if (!this.deps.config.selfservice.flows.verification.enabled) throw badRequest('Verification is not allowed because it was disabled.');
  }

  protected methodId(): 'code' | 'link' {
    return this.deps.config.selfservice.flows.verification.use;
  }

  protected async onPassed(flow: VerificationFlow, redeemed: RedeemedChallenge, requester: FlowRequester, tx: Transaction): Promise<VerificationPassed> {
    const identity = await this.deps.privilegedIdentityPool.getForUpdate(redeemed.identityId, tx);
    if (identity) {
      const now = this.deps.clock.now();
      await this.deps.privilegedIdentityPool.update(
        {
          ...identity,
          verifiableAddresses: identity.verifiableAddresses.map((a) =>
            a.value === redeemed.address && a.via === 'email' ? { ...a, verified: true, status: 'completed', verifiedAt: a.verifiedAt ?? now, updatedAt: now } : a,
          ),
          updatedAt: now,
        },
        tx,
      );
    }
    const c = this.deps.config;
    const flowUi = flowUiUrl(c, flow);
    const returnTo = completedReturnUrl(c.selfservice.flows.verification.after, undefined, flow.returnTo, flowUi);
    if (returnTo !== flowUi || canFetchFlow(flow, requester, Boolean(flow.internalContext.admin_created))) return { identityId: redeemed.identityId, returnTo };
    const receipt = await this.receiptFor(flow, requester, tx);
    return { identityId: redeemed.identityId, returnTo: flowUiUrl(c, receipt), receipt };
  }

  /** A passed flow for the requesting browser (its CSRF token) that only shows the success messages. */
  private async receiptFor(passed: VerificationFlow, requester: FlowRequester, tx: Transaction): Promise<VerificationFlow> {
    const created = this.newFlow('browser', requester, passed.returnTo, this.deps.config.selfservice.flows.verification.lifespan);
    const receipt: VerificationFlow = { ...created, state: 'passed_challenge', ui: { ...created.ui, nodes: [created.ui.nodes[0]], messages: this.texts.passed() } };
    await this.deps.flowStore.create(receipt, tx);
    return receipt;
  }

  /**
   * Mails a verification code/link to every `pending` email address of the identity (after
   * registration or a profile change) and marks them `sent`. No-op when verification is disabled.
   * @returns the flows created, one per address, in address order
   */
  async sendForIdentity(identity: Identity, tx: Transaction): Promise<SentVerification[]> {
    if (!this.deps.config.selfservice.flows.verification.enabled) return [];
    const pending = identity.verifiableAddresses.filter((a) => a.status === 'pending' && !a.verified && a.via === 'email');
    if (pending.length === 0) return [];
    const strategy = this.strategy();
    const sent: SentVerification[] = [];
    for (const address of pending) {
      const created = this.newFlow('browser', SERVER_REQUESTER, undefined, this.deps.config.selfservice.flows.verification.lifespan);
      const flow = {
        ...markCodeSent(created, this.deps.clock.now()),
        internalContext: { admin_created: true },
        ui: { ...created.ui, nodes: [created.ui.nodes[0], ...strategy.nodes(created, 'sent_email', address.value)], messages: [this.texts.sent(strategy.id)] },
      };
      await this.deps.flowStore.create(flow, tx);
      await strategy.send('verification', flow, address.value, tx);
      sent.push({ flowId: flow.id, address: address.value });
    }
    const now = this.deps.clock.now();
    await this.deps.privilegedIdentityPool.update(
      { ...identity, verifiableAddresses: identity.verifiableAddresses.map((a) => (pending.includes(a) ? { ...a, status: 'sent', updatedAt: now } : a)) },
      tx,
    );
    return sent;
  }
}
