import type { SessionManagerProvider } from '../../session';
import type { RegistrationHookResult, RegistrationPostHook } from '../flows/registration/registration-hooks';

/** The `session` hook: signs the new user in right after registration. */
export class SessionIssuerHook implements RegistrationPostHook {
  readonly name = 'session';
  constructor(private readonly deps: SessionManagerProvider) {}

  async execute(input: Parameters<RegistrationPostHook['execute']>[0]): Promise<RegistrationHookResult> {
    const { session, token } = await this.deps.sessionManager.issue(input.identity, input.method, input.aal, input.device, input.tx);
    return { session, token };
  }
}
