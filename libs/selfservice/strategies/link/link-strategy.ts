import type { TemplateType } from '../../../courier';
import type { ChallengePurpose, RecoveryFlow, UiNode, VerificationFlow } from '../../flow';
import { EmailChallenge, randomAlphanumeric } from '../code/email-challenge';

/** The `link` method: a 32-character token in a link by email, opened with GET `?flow=&token=`. */
export class LinkStrategy extends EmailChallenge {
  readonly id = 'link' as const;

  protected get lifespanMs(): number {
    return this.deps.config.selfservice.methods.link.config.lifespan;
  }

  protected newSecret(): string {
    return randomAlphanumeric(32);
  }

  nodes(_flow: RecoveryFlow | VerificationFlow, _stage: 'choose_method' | 'sent_email', email?: string): UiNode[] {
    return this.emailNodes('link', email);
  }

  protected validMail(purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, secret: string): { type: TemplateType; fields: Record<string, string> } {
    const url = this.linkFor(purpose, flow, secret);
    return purpose === 'recovery' ? { type: 'recovery_valid', fields: { recovery_url: url } } : { type: 'verification_valid', fields: { verification_url: url } };
  }
}
