import type { TemplateType } from '../../../courier';
import { type ChallengePurpose, type RecoveryFlow, type UiNode, type VerificationFlow, inputNode, messages } from '../../flow';
import { EmailChallenge, eightDigits } from './email-challenge';

/** The `code` method: an 8-digit code by email (verification mails also carry a link with the code). */
export class CodeStrategy extends EmailChallenge {
  readonly id = 'code' as const;

  protected get lifespanMs(): number {
    return this.deps.config.selfservice.methods.code.config.lifespan;
  }

  protected newSecret(): string {
    return eightDigits();
  }

  nodes(_flow: RecoveryFlow | VerificationFlow, stage: 'choose_method' | 'sent_email', email?: string): UiNode[] {
    if (stage === 'choose_method') return this.emailNodes('code', email);
    return [
      inputNode('code', 'code', 'text', { required: true, pattern: '^[0-9]{8}$', label: messages.labelVerifyCode() }),
      inputNode('code', 'method', 'hidden', { value: 'code' }),
      inputNode('code', 'method', 'submit', { value: 'code', label: messages.labelSubmit() }),
      inputNode('code', 'email', 'submit', { value: email ?? '', label: messages.labelResendCode() }),
    ];
  }

  protected validMail(purpose: ChallengePurpose, flow: RecoveryFlow | VerificationFlow, secret: string): { type: TemplateType; fields: Record<string, string> } {
    return purpose === 'recovery'
      ? { type: 'recovery_code_valid', fields: { recovery_code: secret } }
      : { type: 'verification_code_valid', fields: { verification_code: secret, verification_url: this.linkFor(purpose, flow, secret, 'code') } };
  }
}
