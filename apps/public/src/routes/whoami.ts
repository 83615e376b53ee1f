import type { IncomingMessage, RequestListener } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { ConfigProvider, SecretsProvider } from '../../../../libs/config';
import { type WriteErrorDeps, ctxOf, pathOf, sendError, sendJson } from '../../../../libs/http';
import { ROUTE_WHOAMI, type SessionTokenizerProvider, type WhoamiServiceProvider, toWire } from '../../../../libs/session';
import { sessionCredentialOf } from '../request-context';

export type WhoamiEndpointDeps = ConfigProvider & SecretsProvider & WhoamiServiceProvider & SessionTokenizerProvider & WriteErrorDeps;

/**
 * Whether a request is `/sessions/whoami` (any method), matched as express would route it:
 * case-insensitive, an optional trailing slash, any query string.
 */
export function isWhoami(req: IncomingMessage): boolean {
  const path = pathOf(req.url);
  if (path.length !== ROUTE_WHOAMI.length && path.length !== ROUTE_WHOAMI.length + 1) return false;
  const lower = path.toLowerCase();
  return lower === ROUTE_WHOAMI || lower === `${ROUTE_WHOAMI}/`;
}

/**
 * `/sessions/whoami` (with `?tokenize_as=`) as a plain Node handler in front of express: every
 * authenticated request of an application checks it, and express's own request handling cost about as
 * much as the answer. Same contract as the express route in `sessions.ts`, header for header: the
 * session JSON with `X-Kratos-Authenticated-Identity-Id` and `Ory-Session-Cache-For` (60 on the 401 of
 * a request without credentials), Ory error envelopes. The edge middlewares (request id, realm, access
 * log, no-cache, security headers, CORS) have run before. The rare answer that must also set a cookie
 * (a session cookie older than the session's expiry, Kratos `RefreshCookie`) is left to `express`.
 */
export function whoamiEndpoint(deps: WhoamiEndpointDeps, express: RequestListener): RequestListener {
  return (req, res) => {
    const ctx = ctxOf(req);
    const { token, cookie } = sessionCredentialOf(req, deps.config, deps.secrets);
    if (token === undefined) res.setHeader('Ory-Session-Cache-For', '60');
    const fail = (error: unknown): void => sendError(res, error, 'ory', deps, pathOf(req.url));
    deps.whoamiService.whoami(ctx, token).then((result) => {
      const { session, identity, cacheForSeconds } = result;
      // The session cookie remembers an earlier expiry than the session has now (`refreshSessionCookie`).
      if (cookie && cookie.expiresAt.getTime() < session.expiresAt.getTime()) return express(req, res);
      const url = req.url ?? '';
      const q = url.indexOf('?');
      const tokenizeAs = q < 0 ? undefined : parseQuery(url.slice(q + 1)).tokenize_as;
      const wire = toWire(session, identity, deps.config);
      const send = (body: Record<string, unknown>): void => {
        res.setHeader('X-Kratos-Authenticated-Identity-Id', identity.id);
        res.setHeader('Ory-Session-Cache-For', String(cacheForSeconds));
        sendJson(res, 200, body);
      };
      if (typeof tokenizeAs !== 'string' || tokenizeAs === '') return send(wire);
      deps.sessionTokenizer.withTokenized(ctx, wire, session, tokenizeAs).then(send, fail);
    }, fail);
  };
}
