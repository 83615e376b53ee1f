import type { Ctx } from '../../x';
import type { SessionManagerProvider } from '../../session';
import type { RegistrationHookResult, RegistrationPostHook } from '../flows/registration/registration-hooks';

/** The `session` hook: signs the new user in right after registration. */
export class SessionIssuerHook implements RegistrationPostHook {
  readonly name = 'session';
  constructor(private readonly deps: SessionManagerProvider) {}

  async execute(ctx: Ctx, input: Parameters<RegistrationPostHook['execute']>[1]): Promise<RegistrationHookResult> {
    const { session, token } = await this.deps.sessionManager.issue(ctx, input.identity, input.method, input.aal, input.device);
    return { session, token };
  }
}
