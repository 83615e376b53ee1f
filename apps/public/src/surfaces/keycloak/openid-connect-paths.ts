import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathOf, sendJson } from '../../../../../libs/http';
import { KEYCLOAK_INTROSPECTION_ROUTE, OPENID_CONNECT_BASE, PROVIDER_ROUTES, keycloakEnginePath } from '../../../../../libs/oauth2/provider';
import { requestRealmOf } from '../../../../../libs/x';

/** How a request under `protocol/openid-connect` continues: to the engine itself, or routed as its rewritten path. */
export type OpenIdConnectRoute = 'engine' | 'routed';

const OIDC_PREFIX = OPENID_CONNECT_BASE.slice(0, -1);

/**
 * Keycloak's (and FerrisKey's) OpenID Connect paths of a realm, `/realms/{realm}/protocol/openid-connect/
 * {auth,token,certs,jwks.json,userinfo,logout,revoke,token/introspect}`: a request the realm resolver
 * found under a realm prefix (`/realms/default` included) is rewritten to the engine's own path (Hydra's:
 * `/oauth2/auth`, `/oauth2/token`, `/.well-known/jwks.json`, `/userinfo`, `/oauth2/sessions/logout`,
 * `/oauth2/revoke`), query kept, before the public app routes it; so the same engine handlers, patches
 * and the Hydra logout challenge flow serve both spellings. `originalUrl` keeps the realm prefix in
 * front of the new path (the engine's mount path). Unprefixed requests (the default realm, a realm
 * addressed by host) are left alone: Hydra has no such paths.
 * @returns `engine` when the caller must send the request to the engine itself (the engine's
 * introspection route, not one of Hydra's paths, and any other path under `protocol/openid-connect`: the
 * engine's 404), `routed` when the path was rewritten to one of Hydra's, `undefined` for any other request.
 */
export function rewriteOpenIdConnectPath(req: IncomingMessage & { originalUrl?: string }): OpenIdConnectRoute | undefined {
  const url = req.url ?? '/';
  if (!url.startsWith('/protocol/')) return undefined;
  const realm = requestRealmOf(req);
  if (!realm.byPath) return undefined;
  const path = pathOf(url);
  const target = keycloakEnginePath(path, PROVIDER_ROUTES);
  // Any other path there is the engine's too: a 404 in the OAuth2 error shape, as for an unknown realm.
  if (!target) return path === OIDC_PREFIX || path.startsWith(`${OIDC_PREFIX}/`) ? 'engine' : undefined;
  req.url = `${target}${url.slice(path.length)}`;
  if (req.originalUrl !== undefined) req.originalUrl = `${realm.prefix}${req.url}`;
  return target === KEYCLOAK_INTROSPECTION_ROUTE ? 'engine' : 'routed';
}

/** The engine's own limit on form bodies (oidc-provider's `selective_body`). */
const MAX_JSON_BODY = 56 * 1024;

/** Whether a request carries a JSON body (FerrisKey's clients post JSON to token, revoke, introspect and logout). */
export function hasJsonBody(req: IncomingMessage): boolean {
  return req.method === 'POST' && /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

/**
 * FerrisKey documents JSON bodies for its token, revocation, introspection and logout endpoints, where
 * OAuth 2.0 (and the engine) take `application/x-www-form-urlencoded`. The JSON object (flat: string,
 * number or boolean values) is read here and handed to the engine as the form it stands for: oidc-provider
 * reads `req.body` when the stream was already consumed (and says so once per process, a warning on
 * stderr). Anything else is a 400 `invalid_request`; form bodies never come here.
 */
export function jsonBodyAsForm(req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: () => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  const refuse = (description: string): void => {
    if (refused) return;
    refused = true;
    sendJson(res, 400, { error: 'invalid_request', error_description: description });
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_JSON_BODY) refuse('The request body is too large.');
    else chunks.push(chunk);
  });
  req.on('error', () => refuse('The request body could not be read.'));
  req.on('end', () => {
    if (refused) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse('The request body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return refuse('The request body must be a JSON object.');
    const form: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (value === null || value === undefined) continue;
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return refuse(`The value of ${JSON.stringify(key.slice(0, 64))} must be a string.`);
      form[key] = String(value);
    }
    req.body = form;
    req.headers['content-type'] = 'application/x-www-form-urlencoded';
    // The length of the form it stands for (a body must be announced for the engine to look at it).
    req.headers['content-length'] = String(Buffer.byteLength(new URLSearchParams(form).toString()));
    delete req.headers['transfer-encoding'];
    next();
  });
}
