import type { JsonWebKeySet } from '../../keys';

/** Hydra's twelve per-client token lifespans (hydra-api.md §2.1). */
export const LIFESPAN_FIELDS = [
  'authorization_code_grant_access_token_lifespan',
  'authorization_code_grant_id_token_lifespan',
  'authorization_code_grant_refresh_token_lifespan',
  'client_credentials_grant_access_token_lifespan',
  'implicit_grant_access_token_lifespan',
  'implicit_grant_id_token_lifespan',
  'jwt_bearer_grant_access_token_lifespan',
  'password_grant_access_token_lifespan',
  'password_grant_refresh_token_lifespan',
  'refresh_token_grant_id_token_lifespan',
  'refresh_token_grant_access_token_lifespan',
  'refresh_token_grant_refresh_token_lifespan',
] as const;

export type LifespanField = (typeof LIFESPAN_FIELDS)[number];

/** Lifespans in milliseconds; an absent field means "use the `ttl.*` default". */
export type ClientLifespans = Partial<Record<LifespanField, number>>;

/** Token endpoint authentication methods Hydra supports (`client_secret_jwt` is not). */
export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;

/**
 * Client metadata after defaults and validation. Names are the RFC 7591 / Hydra wire names (snake_case):
 * they are a standard vocabulary shared by the admin API, DCR and the OAuth2 engine, so the domain keeps
 * them rather than mapping ~40 fields twice. `metadata` is Hydra's free-form JSON.
 */
export interface ClientMetadata {
  readonly client_name: string;
  readonly redirect_uris: readonly string[];
  readonly grant_types: readonly string[];
  readonly response_types: readonly string[];
  readonly scope: string;
  readonly audience: readonly string[];
  readonly owner: string;
  readonly policy_uri: string;
  readonly allowed_cors_origins: readonly string[];
  readonly tos_uri: string;
  readonly client_uri: string;
  readonly logo_uri: string;
  readonly contacts: readonly string[];
  readonly subject_type: string;
  readonly sector_identifier_uri?: string;
  readonly jwks_uri?: string;
  readonly jwks?: JsonWebKeySet;
  readonly token_endpoint_auth_method: string;
  readonly token_endpoint_auth_signing_alg?: string;
  readonly request_uris: readonly string[];
  readonly request_object_signing_alg?: string;
  readonly userinfo_signed_response_alg: string;
  readonly frontchannel_logout_uri?: string;
  readonly frontchannel_logout_session_required: boolean;
  readonly backchannel_logout_uri?: string;
  readonly backchannel_logout_session_required: boolean;
  readonly post_logout_redirect_uris: readonly string[];
  readonly metadata: Record<string, unknown>;
  /** Hydra v2.1+: the consent screen is skipped for this client. */
  readonly skip_consent: boolean;
  /**
   * Hydra v2.2+: the logout app may end this client's RP-initiated logouts without asking the user.
   * Like `skip_consent` it is a hint the logout request carries (`client.skip_logout_consent`), not a
   * server-side skip. Absent means never set (Hydra's `null`); only the admin API sets it.
   */
  readonly skip_logout_consent?: boolean;
  /** Hydra v2.1+: `jwt` issues JWT access tokens to this client; absent means `strategies.access_token`. */
  readonly access_token_strategy?: 'opaque' | 'jwt';
  /** Extension: ID token algorithm (`ES256` default, `RS256` for RPs that need it). */
  readonly id_token_signed_response_alg?: 'ES256' | 'RS256';
  readonly lifespans: ClientLifespans;
}

/**
 * An OAuth2 client. Invariants: `secretHash` (HMAC-SHA256 with the system pepper) is present exactly
 * when the auth method uses a secret; the plaintext secret and registration access token are never
 * stored; `id` never changes.
 */
export interface OAuth2Client {
  readonly id: string;
  readonly metadata: ClientMetadata;
  readonly secretHash?: string;
  readonly registrationAccessTokenHash?: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** True for auth methods that authenticate with a client secret. */
export function usesClientSecret(method: string): boolean {
  return method === 'client_secret_basic' || method === 'client_secret_post';
}
