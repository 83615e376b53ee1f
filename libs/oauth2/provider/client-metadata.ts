import { LIFESPAN_FIELDS, type OAuth2Client, sectorIdentifier, usesClientSecret } from '../client';

/** Response types the engine serves (oidc-provider does not support a bare `token`). */
export const RESPONSE_TYPES = ['code', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token', 'none'];

/** Grant types a client may list; anything else (Hydra's `password`, ...) is dropped for the engine. */
export const GRANT_TYPES = [
  'authorization_code',
  'implicit',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:token-exchange',
];

/** Hydra fields the engine carries as extra client metadata (snake_case, read by hooks). */
export const EXTRA_CLIENT_PROPERTIES = ['audience', 'owner', 'allowed_cors_origins', 'skip_consent', 'access_token_strategy', 'frontchannel_logout_uri', 'tessera_lifespans', 'tessera_sector', 'tessera_validate_sector'];

const normalize = (rt: string): string => rt.split(' ').filter(Boolean).sort().join(' ');
const SUPPORTED_RESPONSE_TYPES = new Set(RESPONSE_TYPES.map(normalize));

/**
 * Maps a stored client to oidc-provider client metadata. Invariants: the client secret handed to the
 * engine is the stored HMAC (verification is patched to HMAC-compare), never a plaintext; empty
 * `grant_types`/`response_types` mean Hydra's `authorization_code`/`code`; lifespans become seconds;
 * grant types the engine has not registered (`registered`, e.g. token exchange while it is off) are dropped.
 */
export function toProviderMetadata(client: OAuth2Client, registered?: ReadonlySet<string>): Record<string, unknown> {
  const m = client.metadata;
  const redirects = m.redirect_uris.length > 0;
  // Without redirect URIs a client can only use back-channel grants (Hydra accepts `{}` as a client).
  const grantTypes = (m.grant_types.length ? m.grant_types : ['authorization_code']).filter(
    (g) => GRANT_TYPES.includes(g) && (!registered || registered.has(g)) && (redirects || (g !== 'authorization_code' && g !== 'implicit')),
  );
  const browserGrant = grantTypes.includes('authorization_code') || grantTypes.includes('implicit');
  const responseTypes = !browserGrant ? [] : (m.response_types.length ? m.response_types : ['code']).filter((rt) => SUPPORTED_RESPONSE_TYPES.has(normalize(rt)));
  const native = m.redirect_uris.some((u) => !/^https?:/i.test(u));
  const lifespans: Record<string, number> = {};
  for (const field of LIFESPAN_FIELDS) {
    const ms = m.lifespans[field];
    if (ms !== undefined) lifespans[field] = Math.max(1, Math.round(ms / 1000));
  }
  return {
    client_id: client.id,
    ...(usesClientSecret(m.token_endpoint_auth_method) && client.secretHash ? { client_secret: client.secretHash } : {}),
    client_name: m.client_name || undefined,
    application_type: native ? 'native' : 'web',
    redirect_uris: [...m.redirect_uris],
    grant_types: grantTypes,
    response_types: responseTypes,
    scope: m.scope,
    token_endpoint_auth_method: m.token_endpoint_auth_method,
    ...(m.token_endpoint_auth_signing_alg ? { token_endpoint_auth_signing_alg: m.token_endpoint_auth_signing_alg } : {}),
    ...(m.jwks ? { jwks: m.jwks } : {}),
    ...(m.jwks_uri ? { jwks_uri: m.jwks_uri } : {}),
    ...(m.id_token_signed_response_alg ? { id_token_signed_response_alg: m.id_token_signed_response_alg } : {}),
    ...(m.userinfo_signed_response_alg === 'RS256' ? { userinfo_signed_response_alg: 'RS256' } : {}),
    ...(m.post_logout_redirect_uris.length ? { post_logout_redirect_uris: [...m.post_logout_redirect_uris] } : {}),
    // Hydra's logout tokens always carry `sid`.
    ...(m.backchannel_logout_uri ? { backchannel_logout_uri: m.backchannel_logout_uri, backchannel_logout_session_required: true } : {}),
    ...(m.logo_uri ? { logo_uri: m.logo_uri } : {}),
    ...(m.policy_uri ? { policy_uri: m.policy_uri } : {}),
    ...(m.tos_uri ? { tos_uri: m.tos_uri } : {}),
    ...(m.client_uri ? { client_uri: m.client_uri } : {}),
    // Pairwise wherever ID tokens can go out: browser response types (one redirect URI or a sector URI) or a
    // sector URI (device flow). A pairwise client with neither only uses back-channel grants without ID tokens.
    ...(m.subject_type === 'pairwise' && ((responseTypes.length && sectorIdentifier(m)) || m.sector_identifier_uri) ? { subject_type: 'pairwise', tessera_sector: sectorIdentifier(m) } : {}),
    ...(m.sector_identifier_uri ? { sector_identifier_uri: m.sector_identifier_uri } : {}),
    audience: [...m.audience],
    owner: m.owner,
    allowed_cors_origins: [...m.allowed_cors_origins],
    skip_consent: m.skip_consent,
    ...(m.access_token_strategy ? { access_token_strategy: m.access_token_strategy } : {}),
    ...(m.frontchannel_logout_uri ? { frontchannel_logout_uri: m.frontchannel_logout_uri } : {}),
    tessera_lifespans: lifespans,
  };
}

/**
 * Hydra's audience matcher: a requested audience is allowed when a client audience has the same
 * scheme and host and an equal path or a parent path of it; other values must match exactly.
 */
export function audienceAllowed(allowed: readonly string[], requested: string): boolean {
  const r = URL.parse(requested);
  return allowed.some((a) => {
    if (a === requested) return true;
    const p = URL.parse(a);
    if (!p || !r || p.protocol !== r.protocol || p.host !== r.host) return false;
    const base = p.pathname.replace(/\/+$/, '');
    return r.pathname === p.pathname || r.pathname.startsWith(`${base}/`);
  });
}
