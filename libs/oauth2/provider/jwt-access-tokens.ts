import { createLocalJWKSet, jwtVerify } from 'jose';
import type { Provider, TokenInstance } from 'oidc-provider';
import { type JsonWebKey, toPublicJwk } from '../../keys';
import type { ClockProvider } from '../../x';
import type { OidcPayloadStoreProvider } from './oidc-payload-store';

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
export function acceptJwtAccessTokens(provider: Provider, deps: OidcPayloadStoreProvider & ClockProvider, accessTokenKeys: readonly JsonWebKey[], issuer: string): void {
  const model = provider.AccessToken as unknown as AccessTokenModel;
  const find = model.find.bind(model);
  const jwks = createLocalJWKSet({ keys: accessTokenKeys.map((k) => toPublicJwk(k) as never) });
  model.find = async (value: unknown, options?: unknown) => {
    if (typeof value !== 'string' || value.split('.').length !== 3) return find(value, options);
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(value, jwks, { issuer }));
    } catch {
      return undefined;
    }
    const jti = String(payload.jti);
    const record = await deps.oidcPayloadStore.find('JwtAccessToken', jti, deps.clock.now());
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
