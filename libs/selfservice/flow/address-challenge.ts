import type { Ctx } from '../../x';
import type { RecoveryFlow, VerificationFlow } from './flow';
import type { UiNode } from './ui/ui-node';

/** Recovery or verification: which addresses count and which mails go out. */
export type ChallengePurpose = 'recovery' | 'verification';

/** A redeemed secret: whose address it proved. */
export interface RedeemedChallenge {
  readonly identityId: string;
  readonly address: string;
}

/**
 * A method that proves control of an email address (`code` or `link`), for recovery and verification.
 * Flows own this interface; strategies implement it (architecture B5).
 */
export interface AddressChallengeStrategy {
  readonly id: 'code' | 'link';
  /** Nodes for the form: asking for the address, or (after sending, code only) for the code. */
  nodes(flow: RecoveryFlow | VerificationFlow, stage: 'choose_method' | 'sent_email', email?: string): UiNode[];
  /**
   * Mails a secret to `email` when it is a known address for `purpose`, otherwise the `*_invalid` mail,
   * so the HTTP answer is the same for both (enumeration safety).
   */
  send(ctx: Ctx, purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, email: string): Promise<void>;
  /** Checks and consumes a secret of this flow; `undefined` when wrong, used or expired. */
  redeem(ctx: Ctx, purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, secret: string): Promise<RedeemedChallenge | undefined>;
  /**
   * Creates a secret for an identity's address without mailing it (admin recovery links and codes);
   * returns the code or the full link.
   */
  issue(ctx: Ctx, purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, identityId: string, address: string, expiresAt: Date): Promise<string>;
}

export interface AddressChallengeStrategiesProvider {
  /** Strategy by id; only enabled methods are present. */
  addressChallengeStrategy(id: 'code' | 'link'): AddressChallengeStrategy | undefined;
}
