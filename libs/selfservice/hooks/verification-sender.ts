import type { RegistrationHookResult, RegistrationPostHook } from '../flows/registration/registration-hooks';
import type { VerificationSenderProvider } from '../flows/settings/settings-service';

/** After registration, mails a verification code/link to each new address (when verification is on). */
export class VerificationSenderHook implements RegistrationPostHook {
  readonly name = 'verification';
  constructor(private readonly deps: VerificationSenderProvider) {}

  async execute(input: Parameters<RegistrationPostHook['execute']>[0]): Promise<RegistrationHookResult> {
    return { verificationFlows: await this.deps.verificationService.sendForIdentity(input.identity, input.tx) };
  }
}
