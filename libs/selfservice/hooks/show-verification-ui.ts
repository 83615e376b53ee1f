import type { RegistrationHookResult, RegistrationPostHook } from '../flows/registration/registration-hooks';

/**
 * The `show_verification_ui` registration hook (Kratos `ShowVerificationUIHook`): once the new
 * addresses were mailed, the registration continues with the first verification flow — browsers are
 * redirected to the verification UI, JSON clients get `continue_with: [{action: show_verification_ui}]`.
 * Without verification enabled there is no flow to show and the hook does nothing.
 */
export class ShowVerificationUiHook implements RegistrationPostHook {
  readonly name = 'show_verification_ui';

  async execute(): Promise<RegistrationHookResult> {
    return { showVerificationUi: true };
  }
}
