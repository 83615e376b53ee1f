import type { Provider } from 'oidc-provider';

/** What a new grant holds. */
export interface GrantInput {
  readonly accountId: string;
  readonly clientId: string;
  /** Authorization request parameters (scope, resource, claims). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly grantedScope: readonly string[];
  /** Seconds the grant lives (as long as the longest token it can back). */
  readonly lifetime: number;
}

/**
 * Saves a fresh oidc-provider Grant for one authorization. Requested scopes that were not granted
 * are recorded as rejected, and every requested claim as encountered, so the engine does not ask
 * for consent again on resume; resource indicators get the granted scopes (JWT access tokens).
 * @returns the grant id.
 */
export async function saveGrant(provider: Provider, input: GrantInput): Promise<string> {
  const grant = new provider.Grant({ accountId: input.accountId, clientId: input.clientId, expiresIn: input.lifetime });
  const requested = String(input.params.scope ?? '').split(' ').filter(Boolean);
  const granted = input.grantedScope.join(' ');
  if (granted) grant.addOIDCScope(granted);
  const rejected = requested.filter((s) => !input.grantedScope.includes(s));
  if (rejected.length) grant.rejectOIDCScope(rejected.join(' '));
  const resources = input.params.resource === undefined ? [] : [input.params.resource].flat().map(String);
  for (const resource of resources) {
    if (granted) grant.addResourceScope(resource, granted);
    if (rejected.length) grant.rejectResourceScope(resource, rejected.join(' '));
  }
  const claims = requestedClaims(input.params.claims);
  if (claims.length) grant.addOIDCClaims(claims);
  return grant.save();
}

/** Claim names of an OIDC `claims` request parameter (JSON), for both userinfo and id_token. */
function requestedClaims(claims: unknown): string[] {
  if (typeof claims !== 'string') return [];
  try {
    const parsed = JSON.parse(claims) as Record<string, Record<string, unknown> | undefined>;
    return [...new Set([...Object.keys(parsed.userinfo ?? {}), ...Object.keys(parsed.id_token ?? {})])];
  } catch {
    return [];
  }
}
