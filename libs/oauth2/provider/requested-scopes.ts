import type { ClientInstance, KoaContextWithOIDC, Provider } from 'oidc-provider';
import { type ScopeStrategy, scopeAllowed } from '../client';
import { engine, engineInternals } from './engine';

/** The OIDC scopes the engine decides on itself (consent, refresh tokens, ID tokens), as before this check. */
const ENGINE_SCOPES: ReadonlySet<string> = new Set(['openid', 'offline_access', 'offline']);

const words = (value: unknown): string[] => [...new Set(String(value ?? '').split(' ').filter(Boolean))];

/**
 * Why `scope` may not be granted to a client whose (loaded) `scope` is `clientScope`, or undefined when it may:
 * the client's scopes must allow it under `strategy` (fosite's rule), and the engine must know it, because
 * oidc-provider silently leaves out every scope missing from its live list (Tessera teaches it the clients'
 * scopes and, up to a bound, the scopes wildcards cover). The OIDC scopes in `ENGINE_SCOPES` are left to the engine.
 */
export function scopeRefusal(scope: string, clientScope: unknown, strategy: ScopeStrategy, known: ReadonlySet<string>): string | undefined {
  if (ENGINE_SCOPES.has(scope)) return undefined;
  if (!scopeAllowed(words(clientScope), scope, strategy)) return `The requested scope is invalid, unknown, or malformed. The OAuth 2.0 Client is not allowed to request scope '${scope}'.`;
  if (!known.has(scope)) return `The requested scope is invalid, unknown, or malformed. The scope '${scope}' cannot be granted: this server learnt too many scopes from wildcards (it can after a restart).`;
  return undefined;
}

/**
 * Hydra's (fosite's) `invalid_scope` for a requested scope the client may not request, where the engine
 * would drop it and carry on. Throws the engine's `InvalidScope` for the first such scope of `requested`.
 */
export function refuseUnallowedScopes(provider: Provider, requested: unknown, client: ClientInstance | undefined, strategy: ScopeStrategy): void {
  const known = engineInternals(provider)?.configuration.scopes;
  if (!known) throw new Error('oidc-provider internals changed: no configuration.scopes');
  for (const scope of words(requested)) {
    const refusal = scopeRefusal(scope, client?.scope, strategy, known);
    if (refusal) throw new (engine().errors.InvalidScope)(refusal, scope);
  }
}

/**
 * The authorization and device authorization endpoints: runs as the engine's `extraParams` validator of
 * `scope`, after its redirect URI check (so the error goes back to the client's `redirect_uri`, as in
 * Hydra) but also after the engine dropped the scopes it does not know from the parameters: the request as
 * sent is read instead.
 */
export async function checkAuthorizationScopes(provider: Provider, ctx: KoaContextWithOIDC, client: ClientInstance | undefined, strategy: ScopeStrategy): Promise<void> {
  const raw = ctx.method === 'POST' ? ctx.oidc.body : ctx.query;
  refuseUnallowedScopes(provider, raw?.scope, client, strategy);
}

type GrantHandler = (ctx: KoaContextWithOIDC) => Promise<void>;

/**
 * The token endpoint's `client_credentials` grant: the engine's handler is wrapped so a requested scope
 * the (authenticated) client may not request is `invalid_scope`. The other grants taking `scope` check it
 * themselves: `refresh_token` (the engine refuses a scope the refresh token lacks), JWT-bearer and token
 * exchange (trusted-grants.ts).
 */
export function requireAllowedClientCredentialsScopes(provider: Provider, strategy: ScopeStrategy): void {
  const handlers = (engineInternals(provider) as unknown as { grantTypeHandlers?: Map<string, GrantHandler> } | undefined)?.grantTypeHandlers;
  const handler = handlers?.get('client_credentials');
  if (!handlers || !handler) throw new Error('oidc-provider internals changed: no client_credentials grant handler');
  handlers.set('client_credentials', async (ctx) => {
    refuseUnallowedScopes(provider, ctx.oidc.params?.scope, ctx.oidc.client, strategy);
    return handler(ctx);
  });
}
