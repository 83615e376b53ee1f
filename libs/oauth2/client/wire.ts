import { formatDuration } from '../../x';
import { type OAuth2Client, LIFESPAN_FIELDS } from './oauth2-client';

/** Values only some responses carry: the secret and registration token are shown once. */
export interface ClientWireExtras {
  readonly clientSecret?: string;
  readonly registrationAccessToken?: string;
  readonly registrationClientUri?: string;
  /** DCR reads leave `metadata` out (hydra-api.md §2.7). */
  readonly omitMetadata?: boolean;
}

/** Hydra's Go `time.Time` JSON: UTC, rounded to the second. */
function rfc3339(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The OAuth2Client JSON of hydra-api.md §2.1. Invariant: `client_secret` appears only when passed in
 * `extras` (create, or an update that set a new secret); the stored hash never leaves the server.
 */
export function toWire(client: OAuth2Client, extras: ClientWireExtras = {}): Record<string, unknown> {
  const m = client.metadata;
  const out: Record<string, unknown> = {
    client_id: client.id,
    client_name: m.client_name,
    ...(extras.clientSecret ? { client_secret: extras.clientSecret } : {}),
    redirect_uris: [...m.redirect_uris],
    grant_types: [...m.grant_types],
    response_types: [...m.response_types],
    scope: m.scope,
    audience: [...m.audience],
    owner: m.owner,
    policy_uri: m.policy_uri,
    allowed_cors_origins: [...m.allowed_cors_origins],
    tos_uri: m.tos_uri,
    client_uri: m.client_uri,
    logo_uri: m.logo_uri,
    contacts: [...m.contacts],
    client_secret_expires_at: 0,
    subject_type: m.subject_type,
    ...(m.sector_identifier_uri ? { sector_identifier_uri: m.sector_identifier_uri } : {}),
    ...(m.jwks_uri ? { jwks_uri: m.jwks_uri } : {}),
    ...(m.jwks ? { jwks: m.jwks } : {}),
    token_endpoint_auth_method: m.token_endpoint_auth_method,
    ...(m.token_endpoint_auth_signing_alg ? { token_endpoint_auth_signing_alg: m.token_endpoint_auth_signing_alg } : {}),
    ...(m.request_uris.length ? { request_uris: [...m.request_uris] } : {}),
    ...(m.request_object_signing_alg ? { request_object_signing_alg: m.request_object_signing_alg } : {}),
    userinfo_signed_response_alg: m.userinfo_signed_response_alg,
    ...(m.frontchannel_logout_uri ? { frontchannel_logout_uri: m.frontchannel_logout_uri, frontchannel_logout_session_required: m.frontchannel_logout_session_required } : {}),
    ...(m.backchannel_logout_uri ? { backchannel_logout_uri: m.backchannel_logout_uri, backchannel_logout_session_required: m.backchannel_logout_session_required } : {}),
    ...(m.post_logout_redirect_uris.length ? { post_logout_redirect_uris: [...m.post_logout_redirect_uris] } : {}),
    ...(extras.omitMetadata ? {} : { metadata: m.metadata }),
    skip_consent: m.skip_consent,
    skip_logout_consent: m.skip_logout_consent ?? null,
    ...(m.access_token_strategy ? { access_token_strategy: m.access_token_strategy } : {}),
    ...(m.id_token_signed_response_alg ? { id_token_signed_response_alg: m.id_token_signed_response_alg } : {}),
    ...(extras.registrationAccessToken ? { registration_access_token: extras.registrationAccessToken } : {}),
    ...(extras.registrationClientUri ? { registration_client_uri: extras.registrationClientUri } : {}),
    created_at: rfc3339(client.createdAt),
    updated_at: rfc3339(client.updatedAt),
  };
  for (const field of LIFESPAN_FIELDS) {
    const ms = m.lifespans[field];
    out[field] = ms === undefined ? null : formatDuration(ms);
  }
  return out;
}
