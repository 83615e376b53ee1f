import type { KoaContextWithOIDC } from 'oidc-provider';
import { engineCtx } from './engine-ctx';
import type { TokenIntrospectorProvider } from './token-introspector';

/** Where Keycloak (and FerrisKey, seed 000) serve a realm's OpenID Connect endpoints, below `/realms/{realm}`. */
export const OPENID_CONNECT_BASE = '/protocol/openid-connect/';

/**
 * The engine's routes under their Keycloak names (`/protocol/openid-connect/{name}`). Every route but
 * `introspection` is one of Hydra's paths (PROVIDER_ROUTES); the engine's introspection route is the
 * Keycloak path itself, since Hydra has no public introspection endpoint.
 */
const KEYCLOAK_NAMES = {
  authorization: 'auth',
  token: 'token',
  jwks: 'certs',
  userinfo: 'userinfo',
  end_session: 'logout',
  revocation: 'revoke',
  introspection: 'token/introspect',
} as const;

/** The engine's introspection route (RFC 7662 with client authentication): Keycloak's path, served only under a realm prefix. */
export const KEYCLOAK_INTROSPECTION_ROUTE = `${OPENID_CONNECT_BASE}${KEYCLOAK_NAMES.introspection}`;

/** The discovery field of each route, as oidc-provider names them. */
const DISCOVERY_FIELDS: Record<keyof typeof KEYCLOAK_NAMES, string> = {
  authorization: 'authorization_endpoint',
  token: 'token_endpoint',
  jwks: 'jwks_uri',
  userinfo: 'userinfo_endpoint',
  end_session: 'end_session_endpoint',
  revocation: 'revocation_endpoint',
  introspection: 'introspection_endpoint',
};

/**
 * The engine path a Keycloak-style path stands for, given the engine's `routes` (Hydra's paths):
 * `/protocol/openid-connect/token` → `/oauth2/token`, `…/certs` and FerrisKey's `…/jwks.json` → the JWKS
 * route, `…/token/introspect` → itself (the engine's introspection route). `undefined` for any other path
 * (exact matches only, case-sensitive as Keycloak's).
 */
export function keycloakEnginePath(path: string, routes: Readonly<Record<string, string>>): string | undefined {
  if (!path.startsWith(OPENID_CONNECT_BASE)) return undefined;
  const name = path.slice(OPENID_CONNECT_BASE.length);
  if (name === 'jwks.json') return routes.jwks;
  for (const [route, alias] of Object.entries(KEYCLOAK_NAMES)) if (alias === name) return routes[route];
  return undefined;
}

/**
 * Whether a discovery request shows the Keycloak view: the request named its realm by the path prefix
 * `/realms/{realm}` and the engine's issuer is that URL (`<public base URL>/realms/{realm}`), so the
 * document's issuer is the URL it was discovered at (openid-client's issuer check). A realm addressed
 * by host (its issuer is the host), the default realm (its issuer is Hydra's `urls.self.issuer`, also
 * under `/realms/default`) and unprefixed requests keep Hydra's document.
 */
export function isKeycloakView(issuer: string, prefix: string): boolean {
  if (!prefix) return false;
  const path = new URL(issuer).pathname.replace(/\/$/, '');
  return path === prefix || path.endsWith(prefix);
}

/**
 * Rewrites the engine's discovery document in place. Keycloak view: the seven endpoints become
 * `<issuer>/protocol/openid-connect/{auth,token,certs,userinfo,logout,revoke,token/introspect}`.
 * Otherwise (Hydra's document, unchanged): no introspection endpoint, since Hydra introspects on the
 * admin port only.
 */
export function rewriteDiscovery(body: Record<string, unknown>, issuer: string, keycloak: boolean): void {
  if (!keycloak) {
    for (const key of Object.keys(body)) if (key.startsWith('introspection_')) delete body[key];
    return;
  }
  const base = `${issuer.replace(/\/$/, '')}${OPENID_CONNECT_BASE}`;
  for (const [route, alias] of Object.entries(KEYCLOAK_NAMES)) body[DISCOVERY_FIELDS[route as keyof typeof KEYCLOAK_NAMES]] = `${base}${alias}`;
}

/**
 * Completes the engine's introspection route for Keycloak's relying parties:
 * - a request without any client authentication gets 401 `invalid_client` with a `WWW-Authenticate:
 *   Basic` challenge (RFC 7662 §2.1, Keycloak), where oidc-provider answers 400 `invalid_request`;
 * - a JWT access token, which oidc-provider refuses to introspect (`unsupported_token_type`, after the
 *   client authenticated), is answered by the realm's token introspector (signature, issued-token index,
 *   grant: the admin introspection's answer), under the engine's rule: only confidential clients learn anything.
 * Every other answer (a wrong secret: 401 `invalid_client`; opaque tokens) is the engine's.
 */
export function keycloakIntrospection(deps: TokenIntrospectorProvider) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    await next();
    if (ctx.oidc?.route !== 'introspection' || ctx.status !== 400) return;
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    const client = ctx.oidc.client;
    if (!client && body?.error === 'invalid_request' && body.error_description === 'no client authentication mechanism provided') {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Basic realm="token introspection"');
      ctx.body = { error: 'invalid_client', error_description: 'Client authentication failed: no client authentication was provided.' };
      return;
    }
    const token = ctx.oidc.params?.token;
    if (!client || body?.error !== 'unsupported_token_type' || typeof token !== 'string') return;
    const info = await deps.tokenIntrospector.introspect(engineCtx(ctx), token);
    ctx.status = 200;
    ctx.body = info.active && client.clientAuthMethod !== 'none' ? info : { active: false };
  };
}
