import { badRequest } from '../../../http/errors';
import type { Identity, PrivilegedIdentityPoolProvider } from '../../../identity';
import type { Transaction } from '../../../x';
import { type FlowRequester, type RedeemedChallenge, type VerificationFlow, markCodeSent, messages } from '../../flow';
import { type ChallengeFlowDeps, ChallengeFlowService } from '../challenge/challenge-flow-service';

export type VerificationServiceDeps = ChallengeFlowDeps & PrivilegedIdentityPoolProvider;

/** A requester for flows the server starts on its own (after registration or a profile change). */
const SERVER_REQUESTER: FlowRequester = { url: '', query: {}, hasOrigin: false, hasBrowserCookies: false, device: { ipAddress: '', userAgent: '', location: '' } };

/**
 * Verification flows (Kratos §9a): prove an email address with a code or link; the address becomes
 * `verified`, `status: completed`, with `verified_at`.
 */
export class VerificationService extends ChallengeFlowService<VerificationFlow, { identityId: string }> {
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

  protected async onPassed(_flow: VerificationFlow, redeemed: RedeemedChallenge, _requester: FlowRequester, tx: Transaction): Promise<{ identityId: string }> {
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
    return { identityId: redeemed.identityId };
  }

  /**
   * Mails a verification code/link to every `pending` email address of the identity (after
   * registration or a profile change) and marks them `sent`. No-op when verification is disabled.
   */
  async sendForIdentity(identity: Identity, tx: Transaction): Promise<void> {
    if (!this.deps.config.selfservice.flows.verification.enabled) return;
    const pending = identity.verifiableAddresses.filter((a) => a.status === 'pending' && !a.verified && a.via === 'email');
    if (pending.length === 0) return;
    const strategy = this.strategy();
    for (const address of pending) {
      const created = this.newFlow('browser', SERVER_REQUESTER, undefined, this.deps.config.selfservice.flows.verification.lifespan);
      const flow = {
        ...markCodeSent(created, this.deps.clock.now()),
        internalContext: { admin_created: true },
        ui: { ...created.ui, nodes: [created.ui.nodes[0], ...strategy.nodes(created, 'sent_email', address.value)], messages: [this.texts.sent(strategy.id)] },
      };
      await this.deps.flowStore.create(flow, tx);
      await strategy.send('verification', flow, address.value, tx);
    }
    const now = this.deps.clock.now();
    await this.deps.privilegedIdentityPool.update(
      { ...identity, verifiableAddresses: identity.verifiableAddresses.map((a) => (pending.includes(a) ? { ...a, status: 'sent', updatedAt: now } : a)) },
      tx,
    );
  }
}
