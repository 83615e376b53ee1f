import Ajv from 'ajv';
import type { JsonWebKeySet } from '../../keys';
import { lazy, parseDuration } from '../../x';
import type { OAuth2ClientBody } from './client-body';
import { invalidClientMetadata, invalidRedirectUri } from './hydra-errors';
import { type ClientLifespans, type ClientMetadata, LIFESPAN_FIELDS, TOKEN_ENDPOINT_AUTH_METHODS } from './oauth2-client';

const SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const ID_TOKEN_ALGS = ['ES256', 'RS256'];

/** Compiled on first use, not at boot. */
const jwksValidator = lazy(() => new Ajv({ allErrors: false }).compile<JsonWebKeySet>({
  type: 'object',
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      items: { type: 'object', required: ['kty'], properties: { kty: { type: 'string' }, kid: { type: 'string' }, use: { type: 'string' }, alg: { type: 'string' } } },
    },
  },
}));

/** What the rules depend on besides the body. */
export interface ClientValidationContext {
  /** `oidc.dynamic_client_registration.default_scope`, used when `scope` is empty. */
  readonly defaultScope: readonly string[];
  /** `oidc.subject_identifiers.supported_types`. */
  readonly subjectTypes: readonly string[];
  /** Dynamic client registration refuses the admin-only fields (and the caller forbids `client_secret`). */
  readonly dcr: boolean;
}

/**
 * Fields only the admin API may set (Hydra's `ValidateDynamicRegistration`): registration is anonymous,
 * so a registered client must not skip consent, choose its token format, carry operator metadata
 * (e.g. token exchange targets) or stretch its token lifespans.
 */
export const ADMIN_ONLY_FIELDS: readonly string[] = ['metadata', 'skip_consent', 'skip_logout_consent', 'access_token_strategy', ...LIFESPAN_FIELDS];

/**
 * @throws OryError 400 `invalid_client_metadata` naming the first admin-only field the body sets
 * (`false`, `""` and `null` count as unset: they grant nothing, and a client may echo them back).
 */
export function refuseAdminOnlyFields(body: OAuth2ClientBody): void {
  for (const field of ADMIN_ONLY_FIELDS) {
    const value = (body as Record<string, unknown>)[field];
    if (value === undefined || value === null || value === false || value === '') continue;
    throw invalidClientMetadata(`"${field}" cannot be set for dynamic client registration`);
  }
}

/**
 * Applies Hydra's defaults (hydra-api.md §2.2) and validation rules (§2.3) to a client body.
 * Invariants of the result: redirect URIs are absolute without fragments; `jwks` and `jwks_uri` never
 * both; `private_key_jwt` has keys; every post-logout URI shares an origin with a redirect URI.
 * @throws OryError 400 `invalid_client_metadata` or `invalid_redirect_uri` whose hint names the field.
 */
export function validateClientMetadata(body: OAuth2ClientBody, ctx: ClientValidationContext): ClientMetadata {
  if (ctx.dcr) refuseAdminOnlyFields(body);
  const redirectUris = body.redirect_uris ?? [];
  for (const uri of redirectUris) {
    const parsed = URL.parse(uri);
    if (!parsed || !parsed.protocol) throw invalidRedirectUri(`Redirect URI "${uri}" must be an absolute URI.`);
    if (uri.includes('#')) throw invalidRedirectUri(`Redirect URIs must not contain fragments (#).`);
  }

  const method = body.token_endpoint_auth_method || 'client_secret_basic';
  if (!(TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(method)) {
    throw invalidClientMetadata(`Field token_endpoint_auth_method must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}.`);
  }
  if (body.jwks && body.jwks_uri) throw invalidClientMetadata('Fields jwks and jwks_uri can not both be set, you must choose one.');
  if (body.jwks && !jwksValidator()(body.jwks)) throw invalidClientMetadata('Field jwks must be a JSON Web Key Set ({"keys":[...]}).');
  if (body.jwks_uri !== undefined && body.jwks_uri !== '' && !isHttpUrl(body.jwks_uri)) throw invalidClientMetadata('Field jwks_uri must be an http(s) URL.');
  if (method === 'private_key_jwt' && !body.jwks && !body.jwks_uri) {
    throw invalidClientMetadata('When token_endpoint_auth_method is "private_key_jwt", either jwks or jwks_uri must be set.');
  }
  if (body.token_endpoint_auth_signing_alg && !SIGNING_ALGS.includes(body.token_endpoint_auth_signing_alg)) {
    throw invalidClientMetadata(`Field token_endpoint_auth_signing_alg must be one of ${SIGNING_ALGS.join(', ')}.`);
  }
  if (body.request_object_signing_alg && !['none', ...SIGNING_ALGS].includes(body.request_object_signing_alg)) {
    throw invalidClientMetadata('Field request_object_signing_alg is not a supported algorithm.');
  }
  if (body.client_secret !== undefined && body.client_secret !== '' && body.client_secret.length < 6) {
    throw invalidClientMetadata('Field client_secret must contain a secret that is at least 6 characters long.');
  }
  const userinfoAlg = body.userinfo_signed_response_alg || 'none';
  if (!['none', 'RS256'].includes(userinfoAlg)) throw invalidClientMetadata('Field userinfo_signed_response_alg can either be "none" or "RS256".');
  if (body.id_token_signed_response_alg && !ID_TOKEN_ALGS.includes(body.id_token_signed_response_alg)) {
    throw invalidClientMetadata(`Field id_token_signed_response_alg must be one of ${ID_TOKEN_ALGS.join(', ')}.`);
  }
  const subjectType = body.subject_type || (ctx.subjectTypes.includes('public') ? 'public' : ctx.subjectTypes[0]);
  if (!ctx.subjectTypes.includes(subjectType)) {
    throw invalidClientMetadata(`Subject type ${subjectType} is not supported by server, only ${ctx.subjectTypes.join(', ')} are allowed.`);
  }
  if (body.sector_identifier_uri && URL.parse(body.sector_identifier_uri)?.protocol !== 'https:') {
    throw invalidClientMetadata('Value sector_identifier_uri must be an HTTPS URL but it is not.');
  }
  if (subjectType === 'pairwise' && !body.sector_identifier_uri && redirectUris.length > 1) {
    throw invalidClientMetadata('Field sector_identifier_uri must be set when subject_type is pairwise and more than one redirect_uri is registered.');
  }
  const grants = body.grant_types?.length ? body.grant_types : ['authorization_code'];
  const browserGrant = redirectUris.length > 0 && (grants.includes('authorization_code') || grants.includes('implicit'));
  if (subjectType === 'pairwise' && !body.sector_identifier_uri && !browserGrant && grants.includes('urn:ietf:params:oauth:grant-type:device_code')) {
    // Device-flow ID tokens need a sector too; without a browser grant only a sector_identifier_uri gives one.
    throw invalidClientMetadata('Field sector_identifier_uri must be set when subject_type is pairwise and the device flow is used without a browser grant.');
  }
  if (body.metadata !== undefined && body.metadata !== null && (typeof body.metadata !== 'object' || Array.isArray(body.metadata))) {
    throw invalidClientMetadata('Field metadata must be a JSON object.');
  }

  const origins = (body.allowed_cors_origins ?? []).map(normalizeOrigin);
  const postLogout = body.post_logout_redirect_uris ?? [];
  for (const uri of postLogout) {
    const parsed = URL.parse(uri);
    if (!parsed) throw invalidClientMetadata(`Unable to parse post_logout_redirect_uri "${uri}".`);
    const sameOrigin = redirectUris.some((r) => {
      const rp = URL.parse(r);
      return rp !== null && rp.protocol === parsed.protocol && rp.host === parsed.host;
    });
    if (!sameOrigin) {
      throw invalidClientMetadata(`post_logout_redirect_uri "${uri}" must match the domain, port, scheme of at least one of the registered redirect URIs but did not`);
    }
  }
  for (const field of ['frontchannel_logout_uri', 'backchannel_logout_uri', 'client_uri', 'logo_uri', 'policy_uri', 'tos_uri'] as const) {
    const value = body[field];
    if (value && !URL.parse(value)) throw invalidClientMetadata(`Field ${field} must be an absolute URL.`);
  }

  const scope = (body.scope ?? '').split(' ').filter(Boolean);
  return {
    client_name: body.client_name ?? '',
    redirect_uris: redirectUris,
    grant_types: body.grant_types ?? [],
    response_types: body.response_types ?? [],
    scope: (scope.length > 0 ? scope : ctx.defaultScope).join(' '),
    audience: body.audience ?? [],
    owner: body.owner ?? '',
    policy_uri: body.policy_uri ?? '',
    allowed_cors_origins: origins,
    tos_uri: body.tos_uri ?? '',
    client_uri: body.client_uri ?? '',
    logo_uri: body.logo_uri ?? '',
    contacts: body.contacts ?? [],
    subject_type: subjectType,
    ...(body.sector_identifier_uri ? { sector_identifier_uri: body.sector_identifier_uri } : {}),
    ...(body.jwks_uri ? { jwks_uri: body.jwks_uri } : {}),
    ...(body.jwks ? { jwks: body.jwks as unknown as JsonWebKeySet } : {}),
    token_endpoint_auth_method: method,
    ...(body.token_endpoint_auth_signing_alg ? { token_endpoint_auth_signing_alg: body.token_endpoint_auth_signing_alg } : {}),
    request_uris: body.request_uris ?? [],
    ...(body.request_object_signing_alg ? { request_object_signing_alg: body.request_object_signing_alg } : {}),
    userinfo_signed_response_alg: userinfoAlg,
    ...(body.frontchannel_logout_uri ? { frontchannel_logout_uri: body.frontchannel_logout_uri } : {}),
    frontchannel_logout_session_required: body.frontchannel_logout_session_required ?? false,
    ...(body.backchannel_logout_uri ? { backchannel_logout_uri: body.backchannel_logout_uri } : {}),
    backchannel_logout_session_required: body.backchannel_logout_session_required ?? false,
    post_logout_redirect_uris: postLogout,
    metadata: (body.metadata as Record<string, unknown> | undefined | null) ?? {},
    skip_consent: body.skip_consent ?? false,
    ...(typeof body.skip_logout_consent === 'boolean' ? { skip_logout_consent: body.skip_logout_consent } : {}),
    ...(body.access_token_strategy ? { access_token_strategy: body.access_token_strategy } : {}),
    ...(body.id_token_signed_response_alg ? { id_token_signed_response_alg: body.id_token_signed_response_alg as 'ES256' | 'RS256' } : {}),
    lifespans: parseLifespans(body),
  };
}

/** Reads the `*_lifespan` fields (Go durations) into milliseconds; null or absent means unset. */
export function parseLifespans(body: object): ClientLifespans {
  const out: Record<string, number> = {};
  for (const field of LIFESPAN_FIELDS) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value !== 'string' || value === '') continue;
    const ms = parseDuration(value);
    if (ms === undefined) throw invalidClientMetadata(`Field ${field} must be a duration such as "1h" or "30m".`);
    out[field] = ms;
  }
  return out;
}

/**
 * Hydra's CORS origin rule: http(s) only, no user info, path, query or fragment; a trailing `/` is trimmed.
 * @throws OryError 400 invalid_client_metadata
 */
function normalizeOrigin(origin: string): string {
  const trimmed = origin.endsWith('/') ? origin.slice(0, -1) : origin;
  const parsed = URL.parse(trimmed);
  const bad = (why: string) => invalidClientMetadata(`Origin "${origin}" ${why}.`);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw bad('must have scheme http or https');
  if (parsed.username || parsed.password) throw bad('must not have user info');
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || trimmed.includes('?') || trimmed.includes('#')) throw bad('must not have a path, query or fragment');
  return parsed.origin;
}

function isHttpUrl(value: string): boolean {
  const parsed = URL.parse(value);
  return parsed !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
}
