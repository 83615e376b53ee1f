import { createHmac, randomInt } from 'node:crypto';
import type { RealmConfigProvider, SecretsProvider } from '../../../config';
import type { CourierProvider, TemplateType } from '../../../courier';
import { type IdentityPoolProvider, normalizeIdentifier, toWire as identityToWire } from '../../../identity';
import { randomAlphanumeric } from '../../../session';
import { type ClockProvider, constantTimeEqual, newId, type Ctx } from '../../../x';
import {
  type AddressChallengeStrategy,
  type ChallengePurpose,
  type RecoveryFlow,
  type RedeemedChallenge,
  type TokenKind,
  type TokenStoreProvider,
  type UiNode,
  type VerificationFlow,
  inputNode,
  messages,
} from '../../flow';

export type EmailChallengeDeps = RealmConfigProvider & ClockProvider & SecretsProvider & IdentityPoolProvider & CourierProvider & TokenStoreProvider;

/**
 * Shared machinery of the `code` and `link` methods: a one-time secret bound to the flow and the
 * address, stored as HMAC-SHA256 (keyed with `secrets.default`), redeemed at most once; unknown
 * addresses get the `*_invalid` mail so answers never reveal whether an account exists.
 */
export abstract class EmailChallenge implements AddressChallengeStrategy {
  abstract readonly id: 'code' | 'link';
  protected abstract readonly lifespanMs: number;

  constructor(protected readonly deps: EmailChallengeDeps) {}

  abstract nodes(flow: RecoveryFlow | VerificationFlow, stage: 'choose_method' | 'sent_email', email?: string): UiNode[];

  /** A new secret of this method (8 digits or 32 alphanumerics). */
  protected abstract newSecret(): string;

  /** The mail for a known address. */
  protected abstract validMail(purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, secret: string): { type: TemplateType; fields: Record<string, string> };

  private kind(purpose: ChallengePurpose): TokenKind {
    return `${purpose}_${this.id}` as TokenKind;
  }

  protected hash(secret: string): string {
    return createHmac('sha256', this.deps.secrets.default[0]).update(secret).digest('hex');
  }

  async send(ctx: Ctx, purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, email: string): Promise<void> {
    const address = normalizeIdentifier(email);
    const identity = await this.deps.identityPool.findByAddress(ctx, purpose === 'recovery' ? 'recovery' : 'verifiable', 'email', address);
    if (!identity) {
      const type = `${purpose}${this.id === 'code' ? '_code' : ''}_invalid` as TemplateType;
      await this.deps.courier.queueEmail(ctx, type, { to: address });
      return;
    }
    const expiresAt = new Date(Math.min(flow.expiresAt.getTime(), this.deps.clock.now().getTime() + this.lifespanMs));
    const secret = await this.store(ctx, purpose, flow, identity.id, address, expiresAt);
    const mail = this.validMail(purpose, flow, secret);
    await this.deps.courier.queueEmail(ctx, mail.type, { to: address, ...mail.fields, identity: identityToWire(identity, 'public', this.deps.config) });
  }

  async issue(ctx: Ctx, purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, identityId: string, address: string, expiresAt: Date): Promise<string> {
    const secret = await this.store(ctx, purpose, flow, identityId, address, expiresAt);
    return this.id === 'code' ? secret : this.linkFor(purpose, flow, secret);
  }

  async redeem(ctx: Ctx, purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, secret: string): Promise<RedeemedChallenge | undefined> {
    const candidates = await this.deps.tokenStore.findUnused(ctx, this.kind(purpose), flow.id);
    const now = this.deps.clock.now();
    const hashed = this.hash(secret.trim());
    const hit = candidates.find((t) => constantTimeEqual(t.secretHash, hashed));
    if (!hit || hit.expiresAt.getTime() <= now.getTime()) return undefined;
    if (!(await this.deps.tokenStore.markUsed(ctx, hit.id, now))) return undefined;
    return { identityId: hit.identityId, address: hit.address };
  }

  /** `{link base}/self-service/<purpose>?flow=<id>&token=<secret>` (or `code=` for codes). */
  protected linkFor(purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, secret: string, param: 'token' | 'code' = 'token'): string {
    const base = this.deps.config.selfservice.methods.link.config.base_url ?? this.deps.config.serve.public.base_url;
    const url = new URL(`self-service/${purpose}`, base.endsWith('/') ? base : `${base}/`);
    url.searchParams.set('flow', flow.id);
    url.searchParams.set(param, secret);
    return url.toString();
  }

  private async store(ctx: Ctx, purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, identityId: string, address: string, expiresAt: Date): Promise<string> {
    const secret = this.newSecret();
    await this.deps.tokenStore.create(
      ctx,
      { id: newId(), kind: this.kind(purpose), flowId: flow.id, identityId, address, secretHash: this.hash(secret), expiresAt, createdAt: this.deps.clock.now() },
    );
    return secret;
  }

  /** The email input and submit button every stage starts with. */
  protected emailNodes(group: 'code' | 'link', email?: string): UiNode[] {
    return [
      inputNode(group, 'email', 'email', { required: true, value: email, label: messages.labelEmail() }),
      inputNode(group, 'method', 'submit', { value: this.id, label: messages.labelSubmit() }),
    ];
  }
}

/** An 8-digit code from the CSPRNG. */
export function eightDigits(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

export { randomAlphanumeric };
