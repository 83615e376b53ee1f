import type { KoaContextWithOIDC, Provider, TokenInstance } from 'oidc-provider';
import type { Clock } from '../../x';
import { engine, engineInternals } from './engine';
import type { OidcPayloadStore } from './oidc-payload-store';

/**
 * The authorization parameter (kept in the interaction) saying the request left `redirect_uri` out and
 * the engine used the client's only registered one. Set by the engine hook below on every
 * authorization request, so a value a client sends is always overwritten.
 */
export const REDIRECT_URI_DEFAULTED = 'tessera_redirect_uri_defaulted';

/** Stored per grant (one authorization) when its code was issued for a defaulted `redirect_uri`. */
const MARKER_MODEL = 'RedirectUriDefaulted';

/**
 * RFC 6749 §4.1.3 with Hydra's (fosite's) rule: a code redemption must repeat the `redirect_uri` the
 * authorization request carried; only when that request left it out (a client with one registered URI)
 * may the token request leave it out too. oidc-provider's `allowOmittingSingleRegisteredRedirectUri`
 * fills it in at both endpoints and cannot tell these cases apart, so:
 * - `markDefaultedRedirectUri` (the engine's `extraParams` hook, after its redirect URI check) records
 *   in the request parameters whether `redirect_uri` was defaulted;
 * - `recordDefaultedRedirectUri` (called when a code is issued) stores that fact for the code's grant;
 * - `requireCarriedRedirectUri` wraps the engine's `authorization_code` grant: a request without
 *   `redirect_uri` for a live code whose authorization carried one is `invalid_grant`.
 */
export async function markDefaultedRedirectUri(ctx: KoaContextWithOIDC): Promise<void> {
  const params = ctx.oidc.params;
  if (!params) return;
  const raw = ctx.method === 'POST' ? ctx.oidc.body : ctx.query;
  const defaulted = ctx.oidc.route === 'authorization' && !raw?.redirect_uri && params.redirect_uri !== undefined;
  params[REDIRECT_URI_DEFAULTED] = defaulted ? '1' : undefined;
}

/** Stores that `code` was issued for a defaulted `redirect_uri` (see {@link markDefaultedRedirectUri}). */
export async function recordDefaultedRedirectUri(ctx: KoaContextWithOIDC | undefined, token: TokenInstance, store: OidcPayloadStore, clock: Clock, codeTtlMs: number): Promise<void> {
  if (token.kind !== 'AuthorizationCode' || !token.grantId || ctx?.oidc.params?.[REDIRECT_URI_DEFAULTED] !== '1') return;
  const expiresAt = new Date(clock.now().getTime() + codeTtlMs);
  await store.upsert({ model: MARKER_MODEL, id: token.grantId, payload: {}, grantId: token.grantId, clientId: token.clientId, expiresAt });
}

type GrantHandler = (ctx: KoaContextWithOIDC) => Promise<void>;

/** Wraps the engine's `authorization_code` grant (see {@link markDefaultedRedirectUri}). */
export function requireCarriedRedirectUri(provider: Provider, store: OidcPayloadStore, clock: Clock): void {
  const handlers = (engineInternals(provider) as unknown as { grantTypeHandlers?: Map<string, GrantHandler> } | undefined)?.grantTypeHandlers;
  const handler = handlers?.get('authorization_code');
  if (!handlers || !handler) throw new Error('oidc-provider internals changed: no authorization_code grant handler');
  handlers.set('authorization_code', async (ctx) => {
    const params = ctx.oidc.params ?? {};
    if (params.redirect_uri === undefined && typeof params.code === 'string') {
      const now = clock.now();
      const code = await store.find('AuthorizationCode', params.code, now);
      // Unknown, expired and consumed codes are left to the engine (a replay revokes the grant there).
      const defaulted = !code || code.consumedAt || payloadConsumed(code.payload) || (code.grantId && (await store.find(MARKER_MODEL, code.grantId, now)));
      if (!defaulted) throw new (engine().errors.InvalidGrant)('The "redirect_uri" from this request does not match the one from the authorize request.');
    }
    return handler(ctx);
  });
}

function payloadConsumed(payload: Record<string, unknown>): boolean {
  return payload.consumed !== undefined && payload.consumed !== null && payload.consumed !== false;
}
