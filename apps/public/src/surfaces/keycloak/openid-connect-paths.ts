import type { IncomingMessage } from 'node:http';
import { pathOf } from '../../../../../libs/http';
import { KEYCLOAK_INTROSPECTION_ROUTE, OPENID_CONNECT_BASE, PROVIDER_ROUTES, keycloakEnginePath } from '../../../../../libs/oauth2/provider';
import { requestRealmOf } from '../../../../../libs/x';

/**
 * Keycloak's (and FerrisKey's) OpenID Connect paths of a realm, `/realms/{realm}/protocol/openid-connect/
 * {auth,token,certs,jwks.json,userinfo,logout,revoke,token/introspect}`: a request the realm resolver
 * found under a realm prefix (`/realms/default` included) is rewritten to the engine's own path (Hydra's:
 * `/oauth2/auth`, `/oauth2/token`, `/.well-known/jwks.json`, `/userinfo`, `/oauth2/sessions/logout`,
 * `/oauth2/revoke`), query kept, before the public app routes it; so the same engine handlers, patches
 * and the Hydra logout challenge flow serve both spellings. `originalUrl` keeps the realm prefix in
 * front of the new path (the engine's mount path). Unprefixed requests (the default realm, a realm
 * addressed by host) are left alone: Hydra has no such paths.
 * @returns whether the caller must send the request to the engine itself: the engine's introspection
 * route (not one of Hydra's paths), and any other path under `protocol/openid-connect` (the engine's 404).
 */
export function rewriteOpenIdConnectPath(req: IncomingMessage & { originalUrl?: string }): boolean {
  const url = req.url ?? '/';
  if (!url.startsWith('/protocol/')) return false;
  const realm = requestRealmOf(req);
  if (!realm.byPath) return false;
  const path = pathOf(url);
  const target = keycloakEnginePath(path, PROVIDER_ROUTES);
  // Any other path there is the engine's too: a 404 in the OAuth2 error shape, as for an unknown realm.
  if (!target) return path === OIDC_PREFIX || path.startsWith(`${OIDC_PREFIX}/`);
  req.url = `${target}${url.slice(path.length)}`;
  if (req.originalUrl !== undefined) req.originalUrl = `${realm.prefix}${req.url}`;
  return target === KEYCLOAK_INTROSPECTION_ROUTE;
}

const OIDC_PREFIX = OPENID_CONNECT_BASE.slice(0, -1);
