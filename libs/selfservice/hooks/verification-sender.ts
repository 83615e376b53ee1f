import type { Ctx } from '../../x';
import type { RegistrationHookResult, RegistrationPostHook } from '../flows/registration/registration-hooks';
import type { VerificationSenderProvider } from '../flows/settings/settings-service';

/** After registration, mails a verification code/link to each new address (when verification is on). */
export class VerificationSenderHook implements RegistrationPostHook {
  readonly name = 'verification';
  constructor(private readonly deps: VerificationSenderProvider) {}

  async execute(ctx: Ctx, input: Parameters<RegistrationPostHook['execute']>[1]): Promise<RegistrationHookResult> {
    return { verificationFlows: await this.deps.verificationService.sendForIdentity(ctx, input.identity) };
  }
}
