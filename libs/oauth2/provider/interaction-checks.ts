import type { KoaContextWithOIDC, Policy } from 'oidc-provider';
import { engine } from './engine';
import type { Clock } from '../../x';
import { type LoginSessionStore, isRemembered } from '../consent';
import { engineCtx } from './engine-ctx';

/**
 * The interaction policy with Hydra's semantics: the login and consent apps are always asked (they
 * decide about `skip`), except right after they answered. With `prompt=none` nobody can be asked, so
 * the engine decides: a remembered login of the session's subject passes, anything else is
 * `login_required`; consent passes only with a remembered grant (see `loadExistingGrant`).
 */
export function hydraPolicy(loginSessions: LoginSessionStore, clock: Clock): Policy {
  const { Check, base } = engine().interactionPolicy;
  const policy = base();
  policy.get('login').checks.add(
    new Check('hydra_login', "Prompt 'none' was requested, but no existing login session was found.", 'login_required', async (ctx: KoaContextWithOIDC) => {
      if (ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      const session = ctx.oidc.session;
      if (!ctx.oidc.prompts.has('none') || !session?.accountId) return Check.REQUEST_PROMPT;
      const remembered = await loginSessions.get(engineCtx(ctx), session.uid);
      return isRemembered(remembered, clock.now()) && remembered.subject === session.accountId ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
  );
  policy.get('consent').checks.add(
    new Check('hydra_consent', "Prompt 'none' was requested, but no previous consent was found.", 'consent_required', (ctx: KoaContextWithOIDC) =>
      ctx.oidc.result?.consent || ctx.oidc.prompts.has('none') ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}
