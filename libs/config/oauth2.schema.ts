import type { SchemaObject } from 'ajv';

const object = (properties: Record<string, SchemaObject>, description?: string): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  properties,
  ...(description ? { description } : {}),
});
const duration = (def: string, description: string): SchemaObject => ({ type: 'string', duration: true, default: def, description });
const url = (description: string): SchemaObject => ({ type: 'string', format: 'uri', description });

/**
 * Hydra's configuration keys (hydra-api.md §10) with Hydra's defaults. URLs left out are derived from
 * the public base URL by `oauth2Urls()`; durations are parsed to milliseconds.
 */
export const oauth2ConfigSchema: Record<string, SchemaObject> = {
  urls: object(
    {
      self: object({
        issuer: url('OAuth2 issuer (`iss`); default: the public base URL.'),
        public: url('Base of OAuth2 endpoint URLs; default: the issuer.'),
        admin: url('Admin base URL; default: the admin base URL.'),
      }),
      login: url('Login UI; `?login_challenge=` is added. Default: <public>/oauth2/fallbacks/login.'),
      consent: url('Consent UI; `?consent_challenge=` is added. Default: <public>/oauth2/fallbacks/consent.'),
      logout: url('Logout UI; `?logout_challenge=` is added. Default: <public>/oauth2/fallbacks/logout.'),
      error: url('Browser error page; gets `error` and `error_description`. Default: <public>/oauth2/fallbacks/error.'),
      post_logout_redirect: url('Where logout ends without a post_logout_redirect_uri. Default: <public>/oauth2/fallbacks/logout/callback.'),
    },
    'Hydra URLs: issuer, public endpoints and the login/consent/logout/error UIs.',
  ),
  ttl: object(
    {
      login_consent_request: duration('30m', 'How long a login/consent challenge can be answered.'),
      access_token: duration('1h', 'Access token lifetime.'),
      refresh_token: duration('720h', 'Refresh token lifetime.'),
      id_token: duration('1h', 'ID token lifetime.'),
      auth_code: duration('10m', 'Authorization code lifetime.'),
      login_session: duration('720h', 'Lifetime of a remembered login session when `remember_for` is 0.'),
    },
    'Token and challenge lifetimes; per-client `*_lifespan` fields win.',
  ),
  strategies: object({
    access_token: { enum: ['opaque', 'jwt'], default: 'opaque', description: 'Access token format unless the client sets `access_token_strategy`.' },
    scope: { enum: ['wildcard', 'exact'], default: 'wildcard', description: "How a client's registered scopes match requested ones: `wildcard` lets `foo.*` allow `foo.bar`." },
  }),
  oauth2: object({
    pkce: object({
      enforced: { type: 'boolean', default: false, description: 'Require PKCE (S256) for every client.' },
      enforced_for_public_clients: { type: 'boolean', default: true, description: 'Require PKCE (S256) for public clients (`token_endpoint_auth_method: none`).' },
    }),
    expose_internal_errors: { type: 'boolean', default: false, description: 'Append internal error details to error descriptions.' },
    client_credentials: object({
      default_grant_allowed_scope: { type: 'boolean', default: false, description: 'A client_credentials request without `scope` gets all of the client\'s scopes.' },
    }),
    refresh_token_rotation: object({
      grace_period: duration('0s', 'How long a rotated refresh token may still be redeemed (0: never; reuse revokes the chain).'),
    }),
    refresh_token_hook: url(
      'Called (POST, JSON `RefreshTokenHookRequest`) on every refresh: 200 `{"session":{"access_token":{},"id_token":{}}}` replaces the grant\'s session claims, 204 keeps them, 403 denies the refresh (`access_denied`), anything else is a `server_error`. Unset: no hook.',
    ),
    allowed_top_level_claims: { type: 'array', items: { type: 'string' }, default: [], description: 'Consent `session.access_token` claims copied to the top level of JWT access tokens.' },
    exclude_not_before_claim: { type: 'boolean', default: false, description: 'Leave `nbf` out of JWT access tokens.' },
    grant: object({
      jwt: object(
        {
          jti_optional: { type: 'boolean', default: false, description: 'Accept JWT-bearer assertions without `jti` (no replay protection for them).' },
          iat_optional: { type: 'boolean', default: false, description: 'Accept JWT-bearer assertions without `iat`.' },
          max_ttl: duration('720h', 'Longest lifetime (`exp` − `iat`, or `exp` − now) a JWT-bearer assertion may have.'),
        },
        'The RFC 7523 JWT-bearer grant (trusted issuers: /admin/trust/grants/jwt-bearer/issuers).',
      ),
    }),
    token_exchange: object(
      {
        enabled: { type: 'boolean', default: false, description: 'Serve the RFC 8693 token exchange grant (`urn:ietf:params:oauth:grant-type:token-exchange`).' },
      },
      'RFC 8693 token exchange; a client may exchange into the audiences listed in its `metadata.token_exchange_audiences`.',
    ),
    keys: object({
      refresh_interval: duration(
        '5s',
        'How long a process may keep using cached JWK sets (signing keys, published keys) before reading them again; a key added by another process signs everywhere within this interval (0s: read on every use).',
      ),
    }),
  }),
  webfinger: object({
    jwks: object({
      broadcast_keys: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        default: ['hydra.openid.id-token'],
        description: 'JWK sets whose public keys /.well-known/jwks.json publishes; hydra.jwt.access-token is always added.',
      },
    }),
  }),
  oidc: object({
    dynamic_client_registration: object({
      enabled: { type: 'boolean', default: false, description: 'Serve RFC 7591/7592 dynamic client registration at /oauth2/register.' },
      default_scope: {
        type: 'array',
        items: { type: 'string' },
        default: ['offline_access', 'offline', 'openid'],
        description: 'Scope of clients created without one (admin API too).',
      },
    }),
    subject_identifiers: object({
      supported_types: {
        type: 'array',
        items: { enum: ['public', 'pairwise'] },
        minItems: 1,
        uniqueItems: true,
        default: ['public'],
        description: 'Subject identifier types clients may choose (`subject_type`); the first is the default of new clients.',
      },
      pairwise: object({
        salt: { type: 'string', minLength: 8, description: 'Salt of pairwise subjects (SHA-256 of sector + subject + salt); required with `pairwise`.' },
      }),
    }),
  }),
};
