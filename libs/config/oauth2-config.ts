import { joinUrl } from '../x';

/** Hydra's `urls.*` (hydra-api.md §10); absent values are derived by {@link oauth2Urls}. */
export interface OAuth2UrlsConfig {
  readonly self: { readonly issuer?: string; readonly public?: string; readonly admin?: string };
  readonly login?: string;
  readonly consent?: string;
  readonly logout?: string;
  readonly error?: string;
  readonly post_logout_redirect?: string;
}

/** Token and challenge lifetimes in milliseconds. */
export interface OAuth2TtlConfig {
  readonly login_consent_request: number;
  readonly access_token: number;
  readonly refresh_token: number;
  readonly id_token: number;
  readonly auth_code: number;
  readonly login_session: number;
}

/** The OAuth2 part of `Config`: `urls`, `ttl`, `strategies`, `oauth2`, `webfinger`, `oidc`. */
export interface OAuth2Config {
  readonly urls: OAuth2UrlsConfig;
  readonly ttl: OAuth2TtlConfig;
  readonly strategies: { readonly access_token: 'opaque' | 'jwt'; readonly scope: 'wildcard' | 'exact' };
  readonly oauth2: {
    readonly pkce: { readonly enforced: boolean; readonly enforced_for_public_clients: boolean };
    readonly expose_internal_errors: boolean;
    readonly client_credentials: { readonly default_grant_allowed_scope: boolean };
    readonly refresh_token_rotation: { readonly grace_period: number };
    /** Hydra's refresh token hook URL (refresh-token-hook.ts); unset: none. */
    readonly refresh_token_hook?: string;
    readonly allowed_top_level_claims: readonly string[];
    readonly exclude_not_before_claim: boolean;
    /** The RFC 7523 JWT-bearer grant; `max_ttl` in milliseconds. */
    readonly grant: { readonly jwt: { readonly jti_optional: boolean; readonly iat_optional: boolean; readonly max_ttl: number } };
    /** RFC 8693 token exchange (off by default). */
    readonly token_exchange: { readonly enabled: boolean };
    /** JWK set caching; `refresh_interval` in milliseconds. */
    readonly keys: { readonly refresh_interval: number };
  };
  /** Hydra's `webfinger.jwks.broadcast_keys`: the sets `/.well-known/jwks.json` publishes. */
  readonly webfinger: { readonly jwks: { readonly broadcast_keys: readonly string[] } };
  readonly oidc: {
    readonly dynamic_client_registration: { readonly enabled: boolean; readonly default_scope: readonly string[] };
    readonly subject_identifiers: { readonly supported_types: readonly string[]; readonly pairwise: { readonly salt?: string } };
  };
}

/** Every OAuth2 URL resolved. `issuer` keeps its trailing `/` as configured; the others are absolute. */
export interface ResolvedOAuth2Urls {
  readonly issuer: string;
  /** Base of endpoint URLs, always ending with `/`. */
  readonly public: string;
  readonly admin: string;
  readonly login: string;
  readonly consent: string;
  readonly logout: string;
  readonly error: string;
  readonly postLogoutRedirect: string;
}

/**
 * Resolves Hydra's URLs: the issuer defaults to the public base URL, `urls.self.public` to the issuer,
 * and the UIs to Hydra's fallback pages under `<public>/oauth2/fallbacks/`.
 */
export function oauth2Urls(config: { readonly urls: OAuth2UrlsConfig; readonly serve: { readonly public: { readonly base_url: string }; readonly admin: { readonly base_url: string } } }): ResolvedOAuth2Urls {
  const issuer = config.urls.self.issuer ?? config.serve.public.base_url;
  const pub = withSlash(config.urls.self.public ?? issuer);
  const fallback = (page: string): string => joinUrl(pub, `oauth2/fallbacks/${page}`);
  return {
    issuer,
    public: pub,
    admin: withSlash(config.urls.self.admin ?? config.serve.admin.base_url),
    login: config.urls.login ?? fallback('login'),
    consent: config.urls.consent ?? fallback('consent'),
    logout: config.urls.logout ?? fallback('logout'),
    error: config.urls.error ?? fallback('error'),
    postLogoutRedirect: config.urls.post_logout_redirect ?? fallback('logout/callback'),
  };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
