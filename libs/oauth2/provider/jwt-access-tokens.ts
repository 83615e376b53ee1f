import { createLocalJWKSet, jwtVerify } from 'jose';
import type { KoaContextWithOIDC, Provider, TokenInstance } from 'oidc-provider';
import { type JsonWebKey, toPublicJwk } from '../../keys';
import type { IncomingMessage } from 'node:http';
import type { ClockProvider } from '../../x';
import { revokeGrantTokens } from './grant-token-models';
import type { OidcPayloadStoreProvider } from './oidc-payload-store';
import { engineCtx } from './engine-ctx';

type AccessTokenModel = {
  find(value: unknown, options?: unknown): Promise<TokenInstance | undefined>;
  new (input: Record<string, unknown>): TokenInstance;
};

/**
 * Makes the engine's AccessToken model find JWT access tokens too, so `/userinfo` accepts them like
 * opaque ones, as Hydra does (the revocation endpoint still refuses structured tokens before any
 * lookup). oidc-provider only finds tokens it stored; a JWT access token is accepted when its signature verifies against the access-token keys, its issuer is
 * ours and its issued-token index row (`JwtAccessToken`, written by the JWT customizer) is live and
 * belongs to a subject (client_credentials tokens are not AccessTokens). The found instance carries no
 * `aud` (its audience is the client's own); the grant checks of `/userinfo` still apply.
 */
export function acceptJwtAccessTokens(provider: Provider, deps: OidcPayloadStoreProvider & ClockProvider, accessTokenKeys: readonly JsonWebKey[], issuer: string | readonly string[]): void {
  const model = provider.AccessToken as unknown as AccessTokenModel;
  const find = model.find.bind(model);
  const verify = jwtAccessTokenVerifier(accessTokenKeys, issuer);
  model.find = async (value: unknown, options?: unknown) => {
    if (typeof value !== 'string' || value.split('.').length !== 3) return find(value, options);
    const payload = await verify(value);
    if (!payload) return undefined;
    const jti = String(payload.jti);
    const ctx = engineCtx((provider.constructor as unknown as { ctx?: { req: IncomingMessage } }).ctx);
    const record = await deps.oidcPayloadStore.find(ctx, 'JwtAccessToken', jti, deps.clock.now());
    if (!record?.accountId || record.clientId !== payload.client_id) return undefined;
    const scope = typeof payload.scope === 'string' ? payload.scope : Array.isArray(payload.scp) ? payload.scp.join(' ') : '';
    return new model({
      jti,
      accountId: record.accountId,
      clientId: record.clientId,
      ...(record.grantId ? { grantId: record.grantId } : {}),
      scope,
      iat: payload.iat,
      exp: payload.exp,
    });
  };
}

/** Verifies a JWT access token of one of the realm's issuers against the access-token keys; `undefined` when it does not verify. */
export function jwtAccessTokenVerifier(accessTokenKeys: readonly JsonWebKey[], issuer: string | readonly string[]): (token: string) => Promise<Record<string, unknown> | undefined> {
  const jwks = createLocalJWKSet({ keys: accessTokenKeys.map((k) => toPublicJwk(k) as never) });
  return async (token) => {
    try {
      return (await jwtVerify(token, jwks, { issuer: typeof issuer === 'string' ? issuer : [...issuer] })).payload;
    } catch {
      return undefined;
    }
  };
}

/**
 * Hydra revokes JWT access tokens at `POST /oauth2/revoke` like opaque ones; oidc-provider refuses
 * structured tokens (`unsupported_token_type`) once the client has authenticated. This middleware takes
 * over from there: a token that does not verify, or is unknown, answers 200 (RFC 7009); one of another
 * client answers 400 `unauthorized_client`; otherwise its issued-token row and every token of its grant
 * (refresh tokens included) are revoked, so introspection reports them inactive. Resource servers that
 * only check signatures still accept the JWT until it expires, as with Hydra.
 */
export function revokeJwtAccessTokens(deps: OidcPayloadStoreProvider & ClockProvider, accessTokenKeys: readonly JsonWebKey[], issuer: string | readonly string[]) {
  const verify = jwtAccessTokenVerifier(accessTokenKeys, issuer);
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    if (ctx.oidc?.route !== 'revocation' || ctx.status !== 400 || (ctx.body as { error?: string } | undefined)?.error !== 'unsupported_token_type') return;
    const client = ctx.oidc.client;
    const token = ctx.oidc.params?.token;
    if (!client || typeof token !== 'string') return;
    const payload = await verify(token);
    const store = deps.oidcPayloadStore;
    const record = payload ? await store.find(engineCtx(ctx), 'JwtAccessToken', String(payload.jti), deps.clock.now()) : undefined;
    if (record && record.clientId !== client.clientId) {
      ctx.status = 400;
      ctx.body = { error: 'unauthorized_client', error_description: 'The client is not authorized to revoke the presented token.' };
      return;
    }
    if (record) {
      await store.destroy(engineCtx(ctx), 'JwtAccessToken', record.id);
      if (record.grantId) await revokeGrantTokens(engineCtx(ctx), store, record.grantId);
    }
    ctx.status = 200;
    ctx.body = '';
  };
}
