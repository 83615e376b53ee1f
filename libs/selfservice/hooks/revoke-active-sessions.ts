import type { Ctx } from '../../x';
import type { SessionStoreProvider } from '../../session';
import type { LoginPostHook } from '../flows/login/login-hooks';

/** The `revoke_active_sessions` login hook: a new login signs the identity out everywhere else. */
export class RevokeActiveSessionsHook implements LoginPostHook {
  readonly name = 'revoke_active_sessions';
  constructor(private readonly deps: SessionStoreProvider) {}

  async execute(ctx: Ctx, input: Parameters<LoginPostHook['execute']>[1]): Promise<void> {
    await this.deps.sessionStore.revokeAllExcept(ctx, input.identity.id, input.session.id);
  }
}
