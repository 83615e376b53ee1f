import type { ClientInstance, KoaContextWithOIDC, Provider } from 'oidc-provider';
import { type RealmConfigProvider, oauth2Urls } from '../../config';
import type { ClockProvider, Ctx } from '../../x';
import { type ClientStoreProvider, scopeAllowed } from '../client';
import {
  type AssertionVerifierProvider,
  JWT_BEARER_GRANT_TYPE,
  TOKEN_EXCHANGE_GRANT_TYPE,
  TOKEN_TYPE,
  tokenExchangeAudiences,
} from '../trust';
import { audienceAllowed } from './client-metadata';
import { engine, engineInternals } from './engine';
import type { TokenIntrospectorProvider } from './token-introspector';
import { engineCtx } from './engine-ctx';

/** `gty` of access tokens the two grants below issue; their `extra` (aud, act) is set by the grant. */
export const TRUSTED_GRANT_GTYS: ReadonlySet<string> = new Set(['jwt_bearer', 'token_exchange']);

export type TrustedGrantsDeps = RealmConfigProvider & ClockProvider & ClientStoreProvider & AssertionVerifierProvider & TokenIntrospectorProvider;

/** The engine's resource-indicator hooks (JWT access tokens are issued for a resource server). */
export interface ResourceIndicatorHooks {
  defaultResource(ctx: KoaContextWithOIDC, client: ClientInstance): Promise<string | undefined>;
  getResourceServerInfo(ctx: KoaContextWithOIDC, resource: string, client: ClientInstance): Promise<Record<string, unknown>>;
}

/** The engine internals the grants use (absent from the narrow `oidc-provider` typing). */
interface GrantEngine {
  registerGrantType(name: string, handler: (ctx: KoaContextWithOIDC) => Promise<void>, params: string[], dupes?: string[]): void;
  ResourceServer: new (identifier: string, info: Record<string, unknown>) => unknown;
  AccessToken: new (payload: Record<string, unknown>) => IssuedAccessToken;
}

interface IssuedAccessToken {
  extra?: Record<string, unknown>;
  resourceServer?: unknown;
  readonly expiration: number;
  readonly tokenType: string;
  save(): Promise<string>;
}

type CustomError = new (error: string, description: string) => Error;

/** What a presented subject or actor token stands for. */
interface TokenSubject {
  readonly sub: string;
  readonly scope: readonly string[];
  /** The token's own actor chain (RFC 8693 §4.1), if any. */
  readonly act?: Record<string, unknown>;
  /** Expiry, epoch seconds. */
  readonly exp: number;
  /** The audience of an access token of this server (a trusted issuer's JWT is addressed to the token endpoint instead). */
  readonly aud?: readonly string[];
}

/**
 * The grant types registered on an engine instance (token exchange only when enabled), so client
 * metadata never names a grant the engine would refuse to validate.
 */
export function registeredGrantTypes(provider: Provider): ReadonlySet<string> | undefined {
  return (engineInternals(provider)?.configuration as { grantTypes?: Set<string> } | undefined)?.grantTypes;
}

const words = (value: unknown): string[] => [value ?? []].flat().flatMap((v) => String(v).split(' ')).filter(Boolean);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * Registers the RFC 7523 JWT-bearer grant (always; Hydra serves it) and, when
 * `oauth2.token_exchange.enabled`, the RFC 8693 token exchange grant on one engine instance (it must
 * run on every instance before clients are validated: oidc-provider checks `grant_types` against the
 * registered grants).
 *
 * Invariants of both grants: the client authenticates (public clients are refused: `unauthorized_client`);
 * token exchange accepts an access token of this server as subject token only when its `aud` names the client;
 * the access token's `sub` is the assertion's / subject token's subject, backed by a fresh engine Grant
 * for (sub, client) so introspection and revocation treat it like any other token; no refresh token is
 * issued; the format (opaque or JWT) follows the client's access token strategy.
 */
export function registerTrustedGrants(provider: Provider, deps: TrustedGrantsDeps, resources: ResourceIndicatorHooks): void {
  const CustomOIDCProviderError = (engine().errors as unknown as { CustomOIDCProviderError: CustomError }).CustomOIDCProviderError;
  const fail = (error: string, description: string): Error => new CustomOIDCProviderError(error, description);
  const grants = provider as unknown as GrantEngine;
  const tokenEndpoint = new URL('oauth2/token', oauth2Urls(deps.config).public).href;
  const nowSec = (): number => Math.floor(deps.clock.now().getTime() / 1000);
  const strategy = deps.config.strategies.scope;

  const requireConfidential = (client: ClientInstance): void => {
    if (client.clientAuthMethod === 'none') throw fail('unauthorized_client', 'Client authentication is required for this grant type; public clients may not use it.');
  };

  /** Saves a Grant for (sub, client) and an access token on it; returns the token value and instance. */
  const issue = async (ctx: KoaContextWithOIDC, input: { accountId: string; client: ClientInstance; scope: readonly string[]; gty: string; expiresIn: number; extra: Record<string, unknown> }) => {
    const grant = new provider.Grant({ accountId: input.accountId, clientId: input.client.clientId, expiresIn: input.expiresIn });
    const scope = input.scope.join(' ');
    if (scope) grant.addOIDCScope(scope);
    const grantId = await grant.save();
    const at = new grants.AccessToken({ accountId: input.accountId, client: input.client, grantId, gty: input.gty, scope: scope || undefined, expiresIn: input.expiresIn });
    const resource = await resources.defaultResource(ctx, input.client);
    if (resource) at.resourceServer = new grants.ResourceServer(resource, await resources.getResourceServerInfo(ctx, resource, input.client));
    // Read back by the engine's extraTokenClaims for these gtys (create-provider.ts).
    at.extra = input.extra;
    (ctx.oidc as unknown as { entity(name: string, value: unknown): void }).entity('AccessToken', at);
    return { value: await at.save(), at, scope };
  };

  /** The client's own lifespan for the grant, else `ttl.access_token`, in seconds. */
  const lifespan = (client: ClientInstance, field?: string): number => {
    const own = field ? (client.tessera_lifespans as Record<string, number> | undefined)?.[field] : undefined;
    return own ?? Math.max(1, Math.round(deps.config.ttl.access_token / 1000));
  };

  grants.registerGrantType(
    JWT_BEARER_GRANT_TYPE,
    async (ctx) => {
      const client = ctx.oidc.client!;
      const params = ctx.oidc.params ?? {};
      requireConfidential(client);
      const audience = words(params.audience);
      for (const aud of audience) {
        if (!audienceAllowed((client.audience as string[] | undefined) ?? [], aud)) throw fail('invalid_request', `Requested audience '${aud}' has not been whitelisted by the OAuth 2.0 Client.`);
      }
      const requested = words(params.scope);
      const outcome = await deps.assertionVerifier.verify(engineCtx(ctx), { assertion: str(params.assertion), audience: tokenEndpoint, scope: requested });
      if (outcome.kind === 'rejected') throw fail(outcome.error, outcome.description);
      // Hydra grants the requested scopes the client may also request (its scope strategy), and drops the others.
      const clientScopes = words(client.scope);
      const { value, at, scope } = await issue(ctx, {
        accountId: outcome.subject,
        client,
        scope: requested.filter((s) => scopeAllowed(clientScopes, s, strategy)),
        gty: 'jwt_bearer',
        expiresIn: lifespan(client, 'jwt_bearer_grant_access_token_lifespan'),
        extra: audience.length ? { aud: audience } : {},
      });
      ctx.body = { access_token: value, expires_in: at.expiration, token_type: at.tokenType, ...(scope ? { scope } : {}) };
    },
    ['assertion', 'scope', 'audience'],
    ['audience'],
  );

  if (!deps.config.oauth2.token_exchange.enabled) return;

  /** A subject or actor token: an access token of this server (introspected) or a trusted issuer's JWT. */
  const resolve = async (ctx: Ctx, name: 'subject_token' | 'actor_token', value: string | undefined, type: string | undefined): Promise<TokenSubject> => {
    if (!value) throw fail('invalid_request', `The ${name} parameter is missing.`);
    if (!type) throw fail('invalid_request', `The ${name}_type parameter is missing.`);
    if (type === TOKEN_TYPE.accessToken) {
      const info = await deps.tokenIntrospector.introspect(ctx, value);
      if (info.active !== true || info.token_use !== 'access_token') throw fail('invalid_request', `The ${name} is not an active access token issued by this server.`);
      const act = info.act && typeof info.act === 'object' ? (info.act as Record<string, unknown>) : undefined;
      const aud = Array.isArray(info.aud) ? info.aud.map(String) : [];
      return { sub: String(info.sub), scope: words(info.scope), ...(act ? { act } : {}), exp: Number(info.exp), aud };
    }
    if (type === TOKEN_TYPE.jwt) {
      const outcome = await deps.assertionVerifier.verify(ctx, { assertion: value, audience: tokenEndpoint, scope: [], parameter: name });
      if (outcome.kind === 'rejected') throw fail('invalid_request', outcome.description);
      const act = outcome.claims.act && typeof outcome.claims.act === 'object' ? (outcome.claims.act as Record<string, unknown>) : undefined;
      return { sub: outcome.subject, scope: outcome.trustedScope, ...(act ? { act } : {}), exp: Math.floor(outcome.expiresAt.getTime() / 1000) };
    }
    throw fail('invalid_request', `Unsupported ${name}_type "${type}": use ${TOKEN_TYPE.accessToken} or ${TOKEN_TYPE.jwt}.`);
  };

  grants.registerGrantType(
    TOKEN_EXCHANGE_GRANT_TYPE,
    async (ctx) => {
      const client = ctx.oidc.client!;
      const params = ctx.oidc.params ?? {};
      requireConfidential(client);
      const requestedType = str(params.requested_token_type);
      if (requestedType && requestedType !== TOKEN_TYPE.accessToken) {
        throw fail('invalid_request', `The requested_token_type "${requestedType}" is not supported; only ${TOKEN_TYPE.accessToken} is issued.`);
      }
      const targets = [...new Set([...words(params.audience), ...words(params.resource)])];
      if (targets.length === 0) throw fail('invalid_request', 'Name the audience of the new token with the audience or resource parameter.');
      const stored = await deps.clientStore.get(engineCtx(ctx), client.clientId);
      const allowed = stored ? tokenExchangeAudiences(stored) : [];
      for (const target of targets) {
        if (!audienceAllowed(allowed, target)) throw fail('invalid_target', `The OAuth 2.0 Client is not allowed to exchange tokens for the audience '${target}'.`);
      }
      const subject = await resolve(engineCtx(ctx), 'subject_token', str(params.subject_token), str(params.subject_token_type));
      // RFC 8693 §2.2.2: a subject token meant for someone else is unacceptable (invalid_request); an access
      // token of this server may be exchanged only by a client named in its audience.
      if (subject.aud && !subject.aud.includes(client.clientId)) {
        throw fail('invalid_request', 'The subject_token was not issued for this client: its audience does not include the client.');
      }
      const actor = params.actor_token !== undefined || params.actor_token_type !== undefined ? await resolve(engineCtx(ctx), 'actor_token', str(params.actor_token), str(params.actor_token_type)) : undefined;

      const clientScopes = words(client.scope);
      const explicit = params.scope !== undefined;
      const requested = explicit ? words(params.scope) : subject.scope.filter((s) => scopeAllowed(clientScopes, s, strategy));
      for (const s of requested) {
        if (!subject.scope.includes(s)) throw fail('invalid_scope', `The scope "${s}" was not granted to the subject_token.`);
        if (!scopeAllowed(clientScopes, s, strategy)) throw fail('invalid_scope', `The OAuth 2.0 Client is not allowed to request scope "${s}".`);
      }
      // Delegation: the actor becomes the current actor, earlier actors of the subject token nest inside (RFC 8693 §4.1).
      const act = actor ? { sub: actor.sub, ...(subject.act ? { act: subject.act } : {}) } : subject.act;
      const remaining = subject.exp - nowSec();
      const { value, at, scope } = await issue(ctx, {
        accountId: subject.sub,
        client,
        scope: requested,
        gty: 'token_exchange',
        expiresIn: Math.max(1, Math.min(lifespan(client), remaining)),
        extra: { aud: targets, ...(act ? { act, ext: { act } } : {}) },
      });
      ctx.body = {
        access_token: value,
        issued_token_type: TOKEN_TYPE.accessToken,
        token_type: at.tokenType,
        expires_in: at.expiration,
        ...(scope ? { scope } : {}),
      };
    },
    ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'audience', 'resource', 'scope'],
    ['audience', 'resource'],
  );
}
