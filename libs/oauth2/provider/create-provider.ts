import type { ClientInstance, KoaContextWithOIDC, Provider, TokenInstance } from 'oidc-provider';
import type { IncomingMessage } from 'node:http';
import { type RealmConfigProvider, type SecretsProvider, oauth2Urls } from '../../config';
import type { IdentityPoolProvider } from '../../identity';
import type { JsonWebKey, JsonWebKeySet } from '../../keys';
import { type ClockProvider, type Logger, type Ctx, DEFAULT_REALM } from '../../x';
import { type ClientStoreProvider, type ScopeStrategy, wildcardGrantedScopes } from '../client';
import { type ConsentSessionStoreProvider, type ForcedSubjectStoreProvider, type LoginResult, type LoginSessionStoreProvider, type LogoutRequestStoreProvider, coversScopes, isConsentRemembered } from '../consent';
import { ConsentLookup, RESERVED_CLAIMS, createFindAccount } from './account-claims';
import { engine, engineInternals } from './engine';
import { engineErrorMiddleware, persistFreshSessions, renderEngineError } from './engine-errors';
import { allowScopes, patchEngine } from './engine-patches';
import { acceptJwtAccessTokens, revokeJwtAccessTokens } from './jwt-access-tokens';
import { EXTRA_CLIENT_PROPERTIES, RESPONSE_TYPES, audienceAllowed, toProviderMetadata } from './client-metadata';
import { saveGrant } from './grant-factory';
import { deviceSuccessPage, userCodeConfirmPage, userCodeInputPage } from './html-pages';
import { hydraPolicy } from './interaction-checks';
import { createLogoutSource, frontchannelMiddleware, noSessionLogoutMiddleware } from './logout-hooks';
import { keepOfflineAccess } from './offline-access';
import { engineCtx } from './engine-ctx';
import { OidcAdapter } from './oidc-adapter';
import { REDIRECT_URI_DEFAULTED, markDefaultedRedirectUri, recordDefaultedRedirectUri, requireCarriedRedirectUri } from './redirect-uri-binding';
import { pairwiseSubjectFor } from './pairwise-subjects';
import { checkAuthorizationScopes, requireAllowedClientCredentialsScopes } from './requested-scopes';
import type { OidcPayloadStoreProvider } from './oidc-payload-store';
import { refreshTokenRotation } from './refresh-token-hook';
import { tokenLifetimes } from './token-lifetimes';
import { TRUSTED_GRANT_GTYS, type TrustedGrantsDeps, registerTrustedGrants, registeredGrantTypes } from './trusted-grants';

export type ProviderDeps = RealmConfigProvider &
  SecretsProvider &
  ClockProvider &
  ClientStoreProvider &
  IdentityPoolProvider &
  OidcPayloadStoreProvider &
  ForcedSubjectStoreProvider &
  LoginSessionStoreProvider &
  ConsentSessionStoreProvider &
  LogoutRequestStoreProvider &
  TrustedGrantsDeps & {
    readonly logger: Logger;
    /** The realm the engine serves: its cookie names carry `_{name}` unless it is the default realm. */
    readonly name?: string;
  };

/** Signing keys for the engine: private JWKs (ID-token set first) and the JWT access-token key id. */
export interface ProviderKeys {
  readonly jwks: readonly JsonWebKey[];
  /** The newest private key of `hydra.jwt.access-token`: it signs JWT access tokens. */
  readonly accessTokenKid: string;
  readonly accessTokenAlg: string;
  /** Every key of `hydra.jwt.access-token` (public parts suffice): JWT access tokens verify against them at `/userinfo`. */
  readonly accessTokenKeys?: readonly JsonWebKey[];
  /** What `/.well-known/jwks.json` publishes (the broadcast sets); absent: the engine's own keys. */
  readonly publishedJwks?: () => Promise<JsonWebKeySet>;
}

/**
 * How long the engine reuses a loaded client (its `Client.find`: store read, metadata mapping and
 * oidc-provider's schema hash) on token requests. Writes through this process's client store drop
 * the cache at once; a client changed by another process is seen within this time.
 */
export const CLIENT_CACHE_MS = 1000;

/** The scopes every engine knows. */
export const DEFAULT_SCOPES: readonly string[] = ['offline_access', 'offline', 'openid'];

/**
 * The internal resource indicator of JWT access tokens. oidc-provider issues JWT access tokens only
 * for a resource server; this one stands for "the client's own audience", which the JWT customizer
 * writes as Hydra's `aud` array.
 */
export const JWT_RESOURCE = 'urn:tessera:jwt-access-token';

/** Hydra's public paths (findings §2). */
export const PROVIDER_ROUTES = {
  authorization: '/oauth2/auth',
  token: '/oauth2/token',
  revocation: '/oauth2/revoke',
  introspection: '/oauth2/introspect',
  userinfo: '/userinfo',
  jwks: '/.well-known/jwks.json',
  registration: '/oauth2/register',
  end_session: '/oauth2/sessions/logout',
  device_authorization: '/oauth2/device/auth',
  code_verification: '/oauth2/device/verify',
  pushed_authorization_request: '/oauth2/par',
  backchannel_authentication: '/oauth2/backchannel',
  challenge: '/oauth2/challenge',
  credential: '/oauth2/credential',
};

const SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];

/** The signed userinfo algorithm a client may register (client-validator: `none` or `RS256`). */
const USERINFO_SIGNED_RESPONSE_ALGS = ['RS256'];

/**
 * The only `new Provider` (architecture B10): oidc-provider configured with Hydra's paths and
 * semantics. Invariants: every model is persisted through the adapter; clients come from the client
 * store (secrets compared as HMACs); ES256 signs ID tokens unless a client asks for RS256; access
 * tokens are opaque unless the client (or `strategies.access_token`) says `jwt`; `offline` and
 * `offline_access` both yield refresh tokens, which always rotate; tokens survive logout (Hydra).
 */
export function createProvider(deps: ProviderDeps, keys: ProviderKeys): Provider {
  const { config } = deps;
  const { default: EngineProvider, errors } = engine();
  const urls = oauth2Urls(config);
  const consents = new ConsentLookup(deps.consentSessionStore);
  const findClient = async (ctx: Ctx, id: string): Promise<Record<string, unknown> | undefined> => {
    const client = await deps.clientStore.get(ctx, id);
    if (!client) return undefined;
    allowScopes(provider, client.metadata.scope);
    return toProviderMetadata(client, registeredGrantTypes(provider));
  };
  const adapterDeps = {
    store: deps.oidcPayloadStore,
    clock: deps.clock,
    findClient,
    refreshGraceSeconds: Math.floor(config.oauth2.refresh_token_rotation.grace_period / 1000),
    replayError: () => new errors.InvalidGrant('grant request is invalid'),
    currentCtx: () => engineCtx((EngineProvider as unknown as { ctx?: { req: IncomingMessage } }).ctx, deps.name),
  };
  const wantsJwt = (client: ClientInstance | undefined): boolean => (client?.access_token_strategy ?? config.strategies.access_token) === 'jwt';
  const grantLifetime = Math.ceil(Math.max(config.ttl.refresh_token, config.ttl.access_token, config.ttl.id_token) / 1000);

  const configuration = {
    adapter: (name: string) => new OidcAdapter(name, adapterDeps),
    clients: [],
    findAccount: createFindAccount(deps, consents),
    jwks: { keys: keys.jwks.map((k) => ({ ...k })) },
    cookies: {
      keys: [...deps.secrets.cookie],
      // Per realm, so a browser signed in to one realm's engine is not signed in to another's.
      names: engineCookieNames(deps.name),
      // `none` only to pass the engine's check for `enableHttpPostMethods`; pinned back to `lax` below.
      long: { httpOnly: true, sameSite: 'none' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    // OIDC Core 3.1.2.1 / RP-Initiated Logout §2: POST /oauth2/auth and /oauth2/sessions/logout with a form body.
    enableHttpPostMethods: true,
    claims: { acr: null, amr: null, auth_time: null, sid: null, openid: ['sub'] },
    scopes: [...DEFAULT_SCOPES],
    subjectTypes: [...config.oidc.subject_identifiers.supported_types],
    // Hydra's pairwise `sub` (hydra-api.md §8.2); the sector is computed from our client metadata.
    pairwiseIdentifier: async (ctx: KoaContextWithOIDC, accountId: string, client: ClientInstance) => pairwiseSubjectFor(engineCtx(ctx), deps, client, accountId),
    sectorIdentifierUriValidate: (client: ClientInstance) => client.tessera_validate_sector === true,
    clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'ES256' },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    responseTypes: RESPONSE_TYPES,
    routes: PROVIDER_ROUTES,
    extraParams: {
      // Not an extra parameter: the engine's hook after its scope check (see requested-scopes.ts, keepOfflineAccess).
      scope: async (ctx: KoaContextWithOIDC, _value: unknown, client: ClientInstance) => {
        await checkAuthorizationScopes(provider, ctx, client, config.strategies.scope);
        await keepOfflineAccess(ctx, client);
      },
      // Not an extra parameter either: records a defaulted redirect_uri (see redirect-uri-binding.ts).
      [REDIRECT_URI_DEFAULTED]: async (ctx: KoaContextWithOIDC) => markDefaultedRedirectUri(ctx),
      audience: async (_ctx: KoaContextWithOIDC, value: unknown, client: ClientInstance) => {
        for (const aud of String(value ?? '').split(' ').filter(Boolean)) {
          if (!audienceAllowed((client.audience as string[]) ?? [], aud)) throw new errors.InvalidRequest(`Requested audience '${aud}' has not been whitelisted by the OAuth 2.0 Client.`);
        }
      },
    },
    extraClientMetadata: { properties: EXTRA_CLIENT_PROPERTIES, validator: () => undefined },
    interactions: {
      policy: hydraPolicy(deps.loginSessionStore, deps.clock),
      url: async (_ctx: KoaContextWithOIDC, interaction: { uid: string; prompt: { name: string } }) => {
        const login = interaction.prompt.name === 'login';
        const target = new URL(login ? urls.login : urls.consent);
        target.searchParams.set(login ? 'login_challenge' : 'consent_challenge', interaction.uid);
        return target.href;
      },
    },
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      if (grantId) return provider.Grant.find(grantId);
      const session = ctx.oidc.session;
      const clientId = ctx.oidc.client?.clientId;
      if (!ctx.oidc.prompts.has('none') || !session?.accountId || !clientId) return undefined;
      // prompt=none cannot reach the consent app: reuse the latest remembered consent that covers the request.
      const requested = String(ctx.oidc.params?.scope ?? '').split(' ').filter(Boolean);
      const now = deps.clock.now();
      const remembered = (await deps.consentSessionStore.listRemembered(engineCtx(ctx), session.accountId, clientId)).find((c) => isConsentRemembered(c, now));
      if (!remembered || !coversScopes(remembered.grantedScope, requested)) return undefined;
      const newGrantId = await saveGrant(provider, { accountId: session.accountId, clientId, params: ctx.oidc.params ?? {}, grantedScope: remembered.grantedScope, lifetime: grantLifetime });
      await deps.consentSessionStore.create(engineCtx(ctx), { ...remembered, grantId: newGrantId, skip: true, remember: false, rememberFor: 0, loginSessionId: session.uid, handledAt: now, expiresAt: new Date(now.getTime() + grantLifetime * 1000) });
      return provider.Grant.find(newGrantId);
    },
    issueRefreshToken: async (_ctx: KoaContextWithOIDC, client: ClientInstance, code: TokenInstance) =>
      client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline') || code.scopes.has('offline_access')),
    // Always rotates; calls Hydra's `oauth2.refresh_token_hook` when set (refresh-token-hook.ts).
    rotateRefreshToken: refreshTokenRotation(deps, consents),
    // Tokens survive logout (Hydra). Called as a code is issued: remembers a defaulted redirect_uri.
    expiresWithSession: async (ctx: KoaContextWithOIDC | undefined, token: TokenInstance) => {
      await recordDefaultedRedirectUri(ctx, token, deps.oidcPayloadStore, deps.clock, config.ttl.auth_code);
      return false;
    },
    extraTokenClaims: async (ctx: KoaContextWithOIDC | undefined, token: TokenInstance) => {
      // JWT-bearer and token exchange set `extra` (aud, act) themselves (trusted-grants.ts).
      if (TRUSTED_GRANT_GTYS.has(String(token.gty))) return token.extra;
      if (token.kind === 'ClientCredentials') {
        const requested = [ctx?.oidc.body?.audience ?? []].flat().flatMap((a) => String(a).split(' ')).filter(Boolean);
        const allowed = (token.client?.audience as string[] | undefined) ?? [];
        for (const aud of requested) if (!audienceAllowed(allowed, aud)) throw new errors.InvalidRequest(`Requested audience '${aud}' has not been whitelisted by the OAuth 2.0 Client.`);
        return requested.length ? { aud: requested } : undefined;
      }
      if (!token.grantId) return undefined;
      const consent = await consents.get(ctx ?? {}, token.grantId);
      if (!consent) return undefined;
      const ext = consent.session.access_token;
      return { ...(Object.keys(ext).length ? { ext } : {}), ...(consent.grantedAudience.length ? { aud: [...consent.grantedAudience] } : {}) };
    },
    formats: {
      customizers: {
        jwt: async (ctx: KoaContextWithOIDC, token: TokenInstance, jwt: { header?: Record<string, unknown>; payload: Record<string, unknown> }) => {
          const extra = token.extra ?? {};
          const ext = (extra.ext as Record<string, unknown> | undefined) ?? {};
          jwt.payload.aud = Array.isArray(extra.aud) ? extra.aud : [];
          jwt.payload.scp = token.scope ? token.scope.split(' ') : [];
          if (!config.oauth2.exclude_not_before_claim) jwt.payload.nbf = jwt.payload.iat;
          for (const claim of config.oauth2.allowed_top_level_claims) {
            if (ext[claim] !== undefined && !RESERVED_CLAIMS.has(claim)) jwt.payload[claim] = ext[claim];
          }
          await deps.oidcPayloadStore.upsert(engineCtx(ctx), {
            model: 'JwtAccessToken',
            id: String(jwt.payload.jti),
            payload: { grantId: token.grantId, clientId: token.clientId, accountId: token.accountId },
            ...(token.grantId ? { grantId: token.grantId } : {}),
            clientId: token.clientId,
            ...(token.accountId ? { accountId: token.accountId } : {}),
            expiresAt: new Date(Number(jwt.payload.exp) * 1000),
          });
        },
      },
    },
    pkce: {
      required: (_ctx: KoaContextWithOIDC, client: ClientInstance) => config.oauth2.pkce.enforced || (config.oauth2.pkce.enforced_for_public_clients && client.clientAuthMethod === 'none'),
    },
    ttl: tokenLifetimes(config),
    renderError: renderEngineError(urls.error),
    clientBasedCORS: (_ctx: KoaContextWithOIDC, origin: string, client: ClientInstance) => ((client.allowed_cors_origins as string[] | undefined) ?? []).includes(origin),
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      clientAuthSigningAlgValues: SIGNING_ALGS,
      requestObjectSigningAlgValues: SIGNING_ALGS,
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: KoaContextWithOIDC, client: ClientInstance, token: TokenInstance) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.UnauthorizedClient('The client is not authorized to revoke the presented token.');
        },
      },
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: async (ctx: KoaContextWithOIDC, form: string, _out: unknown, err?: Error) => {
          ctx.body = userCodeInputPage(form, err ? 'The code is incorrect or has expired. Try again.' : undefined);
        },
        userCodeConfirmSource: async (ctx: KoaContextWithOIDC, form: string, client: ClientInstance, _info: unknown, userCode: string) => {
          ctx.body = userCodeConfirmPage(form, String(client.clientName ?? client.clientId), userCode);
        },
        successSource: async (ctx: KoaContextWithOIDC) => {
          ctx.body = deviceSuccessPage(String(ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? ''));
        },
      },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: createLogoutSource(deps, urls),
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => ctx.redirect(urls.postLogoutRedirect),
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx: KoaContextWithOIDC, client: ClientInstance) => (wantsJwt(client ?? ctx.oidc.client) ? JWT_RESOURCE : undefined),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: KoaContextWithOIDC, resource: string, client: ClientInstance) => {
          if (resource !== JWT_RESOURCE) throw new errors.InvalidTarget();
          return { scope: String(client.scope ?? ''), audience: JWT_RESOURCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: keys.accessTokenAlg, kid: keys.accessTokenKid } } };
        },
      },
      userinfo: { enabled: true },
      jwtUserinfo: { enabled: true },
      claimsParameter: { enabled: false },
      requestObjects: { enabled: false },
    },
  };

  const provider = new EngineProvider(urls.issuer, configuration);
  provider.proxy = true;
  // First, so it wraps every other middleware: no engine error is left as Koa's plain text.
  provider.use(engineErrorMiddleware(deps.logger));
  keepLaxSessionCookies(provider);
  requireCarriedRedirectUri(provider, deps.oidcPayloadStore, deps.clock);
  patchEngine(provider, deps);
  persistFreshSessions(provider);
  cacheClients(provider, deps.clientStore);
  allowWildcardScopes(provider, config.strategies.scope, deps.logger);
  const accessTokenKeys = keys.accessTokenKeys ?? keys.jwks.filter((k) => k.kid === keys.accessTokenKid);
  acceptJwtAccessTokens(provider, deps, accessTokenKeys, urls.issuer);
  provider.use(revokeJwtAccessTokens(deps, accessTokenKeys, urls.issuer));
  registerTrustedGrants(provider, deps, configuration.features.resourceIndicators);
  requireAllowedClientCredentialsScopes(provider, config.strategies.scope);
  provider.use(frontchannelMiddleware());
  provider.use(noSessionLogoutMiddleware(urls));
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'discovery' && ctx.body && typeof ctx.body === 'object') {
      const body = ctx.body as Record<string, unknown>;
      Object.assign(body, {
        scopes_supported: [...DEFAULT_SCOPES],
        frontchannel_logout_supported: true,
        frontchannel_logout_session_supported: true,
        // Hydra's fields (required by @ory/client's OidcConfiguration): the algorithms a client may choose.
        id_token_signed_response_alg: body.id_token_signing_alg_values_supported,
        userinfo_signed_response_alg: [...USERINFO_SIGNED_RESPONSE_ALGS],
        ...(config.oidc.dynamic_client_registration.enabled ? { registration_endpoint: new URL(PROVIDER_ROUTES.registration.slice(1), urls.public).href } : {}),
      });
    }
    // `webfinger.jwks.broadcast_keys`: every listed set, not only the keys the engine signs with.
    if (route === 'jwks' && ctx.status === 200 && keys.publishedJwks) ctx.body = await keys.publishedJwks();
    // A login just answered: remember Hydra's login session for `skip` and `sid`.
    const result = ctx.oidc?.result as { login?: LoginResult; consent?: unknown } | undefined;
    const session = ctx.oidc?.session;
    if ((route === 'resume' || route === 'device_resume') && result?.login && !result.consent && session?.accountId === result.login.accountId) {
      const login = result.login;
      const keepFor = login.remember && login.remember_for > 0 ? login.remember_for * 1000 : config.ttl.login_session;
      await deps.loginSessionStore.upsert(engineCtx(ctx), {
        id: session.uid,
        subject: login.accountId,
        remember: login.remember,
        rememberFor: login.remember_for,
        authenticatedAt: new Date(login.ts * 1000),
        ...(login.acr ? { acr: login.acr } : {}),
        ...(login.amr ? { amr: [...login.amr] } : {}),
        expiresAt: new Date(deps.clock.now().getTime() + keepFor),
      });
    }
  });
  // The engine's own log lines carry the realm and, for a request, its id (as domain lines do through ctx.logger).
  const logFields = (koa: unknown): { realm: string; request_id: string } => {
    const ctx = engineCtx(koa as Parameters<typeof engineCtx>[0], deps.name);
    return { realm: deps.name ?? ctx.realm, request_id: ctx.requestId };
  };
  provider.on('server_error', (koa: unknown, error: unknown) => deps.logger.error({ err: error, ...logFields(koa) }, 'oauth2 engine error'));
  provider.on('backchannel.error', (_client: unknown, error: unknown) => deps.logger.warn({ err: error, ...logFields(undefined) }, 'back-channel logout delivery failed'));
  return provider;
}

/**
 * The engine serves POST at the authorization and end-session endpoints only when its session cookie is
 * `SameSite=None`, because a cross-site form POST carries no `Lax` cookie. Tessera keeps `Lax` (as its
 * other cookies; Hydra defaults to `None`, which browsers drop over plain http without `Secure`): a
 * cross-site POST is then handled like a request from a browser without a session (login asked again;
 * a logout finds no session). Same-site POSTs keep the session.
 */
function keepLaxSessionCookies(provider: Provider): void {
  const cookies = (engineInternals(provider)?.configuration as unknown as { cookies?: { long?: { sameSite?: string } } } | undefined)?.cookies;
  if (!cookies?.long) throw new Error('oidc-provider internals changed: no configuration.cookies.long');
  cookies.long.sameSite = 'lax';
}

/** At most this many distinct scopes learnt from wildcards per engine (bounded memory; see `allowWildcardScopes`). */
const MAX_WILDCARD_SCOPES = 10_000;

/**
 * Hydra's wildcard scope strategy on the engine, which only knows exact scopes: when a client with a
 * `foo.*` scope is loaded for a request asking for `foo.bar`, the request gets a copy of the client
 * whose `scope` also lists `foo.bar` (and the engine learns the scope). Clients without wildcards,
 * and every client under the `exact` strategy, are returned as loaded. Scopes learnt this way stay
 * known to the engine, at most `MAX_WILDCARD_SCOPES` of them (their names come from requests); past
 * that, requests for new ones are refused with `invalid_scope` (requested-scopes.ts), never dropped.
 */
function allowWildcardScopes(provider: Provider, strategy: ScopeStrategy, logger: Logger): void {
  if (strategy !== 'wildcard') return;
  const model = provider.Client as unknown as { find(id: unknown): Promise<ClientInstance | undefined> };
  const find = model.find.bind(model);
  // Scopes learnt from wildcards stay known to this engine; requests choose their names, so they are capped.
  const learnt = new Set<string>();
  let warned = false;
  model.find = async (id: unknown) => {
    const client = await find(id);
    const scope = client?.scope;
    if (!client || typeof scope !== 'string' || !scope.includes('*')) return client;
    // The request being served (oidc-provider keeps it in an AsyncLocalStorage).
    const ctx = (provider.constructor as unknown as { ctx?: KoaContextWithOIDC }).ctx;
    const requested = ctx?.oidc?.params?.scope;
    const extra = (typeof requested === 'string' ? wildcardGrantedScopes(scope, requested.split(' '), strategy) : []).filter((s) => {
      if (learnt.has(s)) return true;
      if (learnt.size >= MAX_WILDCARD_SCOPES) {
        if (!warned) logger.warn({ limit: MAX_WILDCARD_SCOPES }, 'too many scopes derived from wildcards; requests for further ones are refused (invalid_scope) until restart');
        warned = true;
        return false;
      }
      learnt.add(s);
      return true;
    });
    if (extra.length === 0) return client;
    allowScopes(provider, extra.join(' '));
    const metadata = (client as unknown as { metadata(): Record<string, unknown> }).metadata();
    return new provider.Client({ ...metadata, scope: `${scope} ${extra.join(' ')}` });
  };
}

/** Short-lived per-engine cache of `Client.find` (see CLIENT_CACHE_MS); only for stores that count their writes. */
function cacheClients(provider: Provider, store: ProviderDeps['clientStore']): void {
  if (store.generation === undefined) return;
  const model = provider.Client as unknown as { find(id: unknown): Promise<ClientInstance | undefined> };
  const find = model.find.bind(model);
  const cache = new Map<string, { client: ClientInstance; generation: number; until: number }>();
  model.find = async (id: unknown) => {
    if (typeof id !== 'string') return find(id);
    const now = performance.now();
    const hit = cache.get(id);
    if (hit && hit.generation === store.generation && hit.until > now) return hit.client;
    const generation = store.generation ?? -1;
    const client = await find(id);
    if (client && generation === store.generation) {
      if (cache.size >= 1000) cache.clear();
      cache.set(id, { client, generation, until: now + CLIENT_CACHE_MS });
    } else cache.delete(id);
    return client;
  };
}

/** Hydra's cookie names for the default realm; `{name}_{realm}` for any other. */
export function engineCookieNames(realm: string = DEFAULT_REALM): { session: string; interaction: string; resume: string } {
  const suffix = realm === DEFAULT_REALM ? '' : `_${realm}`;
  return { session: `ory_hydra_session${suffix}`, interaction: `ory_hydra_interaction${suffix}`, resume: `ory_hydra_resume${suffix}` };
}
