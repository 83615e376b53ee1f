import type { TokenInstance } from 'oidc-provider';
import { type RealmConfig, oauth2Urls } from '../../config';
import { type JsonWebKey, JWT_ACCESS_TOKEN_SET, type KeyManagerProvider } from '../../keys';
import type { ClockProvider, Ctx } from '../../x';
import type { ClientStoreProvider } from '../client';
import type { ConsentSessionStoreProvider, ForcedSubjectStoreProvider } from '../consent';
import { jwtAccessTokenVerifier } from './jwt-access-tokens';
import type { OAuth2ProviderProvider } from './oauth2-provider';
import type { OidcPayloadStoreProvider } from './oidc-payload-store';
import { pairwiseSubjectFor } from './pairwise-subjects';

export type TokenIntrospectorDeps = OAuth2ProviderProvider & OidcPayloadStoreProvider & ClientStoreProvider & ConsentSessionStoreProvider & ForcedSubjectStoreProvider & KeyManagerProvider & ClockProvider & {
  readonly config: RealmConfig;
  /** The realm's issuers whose JWT access tokens are its own (default: the configured issuer). */
  readonly jwtIssuers?: readonly string[];
};

const INACTIVE = { active: false } as const;
const ACCESS_TOKEN_MODELS = ['AccessToken', 'ClientCredentials', 'JwtAccessToken'];
/** The engine's models of opaque tokens that introspection answers for. */
const OPAQUE_TOKEN_MODELS = ['AccessToken', 'RefreshToken', 'ClientCredentials'] as const;

/**
 * Hydra's admin token API (hydra-api.md §7.3, §7.5): RFC 7662 introspection without client
 * authentication, and deleting a client's access tokens. Invariants: a token is active only while it
 * is unexpired, unconsumed, its client exists and its grant still exists for the same client and
 * subject (revoking a consent or replaying a refresh token kills its tokens at once); every scope in
 * `scope` must be granted.
 */
export class TokenIntrospector {
  /** The JWT verifier, rebuilt when the cached access-token keys change. */
  private verifier?: { keys: readonly JsonWebKey[]; verify: ReturnType<typeof jwtAccessTokenVerifier> };

  constructor(private readonly deps: TokenIntrospectorDeps) {}

  async introspect(ctx: Ctx, token: string, scope?: string): Promise<Record<string, unknown>> {
    if (!token) return INACTIVE;
    if (token.split('.').length === 3) return this.introspectJwt(ctx, token, scope);
    const provider = await this.deps.oauth2Provider.provider();
    const model = await this.deps.oidcPayloadStore.findModel(ctx, OPAQUE_TOKEN_MODELS, token, this.deps.clock.now());
    if (!model) return INACTIVE;
    const found: TokenInstance | undefined = await provider[model as (typeof OPAQUE_TOKEN_MODELS)[number]].find(token);
    if (!found || found.isExpired || found.consumed) return INACTIVE;
    // The engine's client lookup (cached for a second, dropped on every local client write).
    const client = await provider.Client.find(found.clientId);
    if (!client) return INACTIVE;
    if (found.grantId) {
      const grant = await provider.Grant.find(found.grantId);
      if (!grant || grant.clientId !== found.clientId || grant.accountId !== found.accountId) return INACTIVE;
    }
    if (!hasScopes(found.scope, scope)) return INACTIVE;
    let extra = found.extra ?? {};
    if (found.kind === 'RefreshToken' && found.grantId) {
      const consent = await this.deps.consentSessionStore.getByGrantId(ctx, found.grantId);
      extra = consent ? { ext: consent.session.access_token, aud: consent.grantedAudience } : {};
    }
    const ext = extra.ext as Record<string, unknown> | undefined;
    const obfuscated = found.accountId && client.subjectType === 'pairwise' ? await pairwiseSubjectFor(ctx, this.deps, client, found.accountId) : undefined;
    return {
      active: true,
      ...(found.scope ? { scope: found.scope } : {}),
      client_id: found.clientId,
      sub: found.accountId ?? found.clientId,
      ...(obfuscated && obfuscated !== found.accountId ? { obfuscated_subject: obfuscated } : {}),
      exp: found.exp,
      iat: found.iat,
      nbf: found.iat,
      aud: Array.isArray(extra.aud) ? extra.aud : [],
      iss: oauth2Urls(this.deps.config).issuer,
      token_type: 'Bearer',
      token_use: found.kind === 'RefreshToken' ? 'refresh_token' : 'access_token',
      ...(ext && Object.keys(ext).length ? { ext } : {}),
      // RFC 8693 §4.1: the actor of a token exchanged for delegation.
      ...(extra.act ? { act: extra.act } : {}),
    };
  }

  /** Deletes every access token of the client (refresh tokens stay, as in Hydra). @returns how many */
  async deleteClientTokens(ctx: Ctx, clientId: string): Promise<number> {
    return this.deps.oidcPayloadStore.deleteByClient(ctx, ACCESS_TOKEN_MODELS, clientId);
  }

  /** JWT access tokens: signature by the access-token keys, then the issued-token index and its grant. */
  private async introspectJwt(ctx: Ctx, token: string, scope?: string): Promise<Record<string, unknown>> {
    const keys = await this.deps.keyManager.signingKeys(ctx, JWT_ACCESS_TOKEN_SET);
    if (this.verifier?.keys !== keys) this.verifier = { keys, verify: jwtAccessTokenVerifier(keys, this.deps.jwtIssuers ?? oauth2Urls(this.deps.config).issuer) };
    const payload = await this.verifier.verify(token);
    if (!payload) return INACTIVE;
    const record = await this.deps.oidcPayloadStore.find(ctx, 'JwtAccessToken', String(payload.jti), this.deps.clock.now());
    if (!record || !(await this.deps.clientStore.get(ctx, String(payload.client_id)))) return INACTIVE;
    if (record.grantId) {
      const provider = await this.deps.oauth2Provider.provider();
      const grant = await provider.Grant.find(record.grantId);
      if (!grant || grant.clientId !== payload.client_id) return INACTIVE;
    }
    const granted = typeof payload.scope === 'string' ? payload.scope : Array.isArray(payload.scp) ? payload.scp.join(' ') : '';
    if (!hasScopes(granted, scope)) return INACTIVE;
    return {
      active: true,
      ...(granted ? { scope: granted } : {}),
      client_id: payload.client_id,
      sub: payload.sub,
      exp: payload.exp,
      iat: payload.iat,
      nbf: payload.nbf ?? payload.iat,
      aud: Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : [],
      iss: payload.iss,
      token_type: 'Bearer',
      token_use: 'access_token',
      ...(payload.ext ? { ext: payload.ext } : {}),
      ...(payload.act ? { act: payload.act } : {}),
    };
  }
}

function hasScopes(granted: string | undefined, required: string | undefined): boolean {
  const have = new Set((granted ?? '').split(' ').filter(Boolean));
  return (required ?? '').split(' ').filter(Boolean).every((s) => have.has(s));
}

export interface TokenIntrospectorProvider {
  readonly tokenIntrospector: TokenIntrospector;
}
