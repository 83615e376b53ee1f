import type { IncomingMessage } from 'node:http';
import type { ConfigProvider, SecretsProvider } from '../../../libs/config';
import {
  type ErrorSurface,
  type NodeMiddleware,
  type WriteErrorDeps,
  ctxOf,
  forbidden,
  pathOf,
  sendError,
  setRequestActor,
  unauthorized,
} from '../../../libs/http';
import { type AdminAuthenticator, type AdminPrincipal, actorOf, adminScopeAllows, bearerToken, isOpenAdminPath } from '../../../libs/project';
import { sessionTokenFromHeaders } from '../../../libs/session';
import { requestRealmOf } from '../../../libs/x';

export interface AdminAuthenticationDeps extends WriteErrorDeps, ConfigProvider, SecretsProvider {
  readonly adminAuthenticator: AdminAuthenticator;
}

/** One request header (the first value of a repeated one). */
function headerOf(req: IncomingMessage): (name: string) => string | undefined {
  return (name) => {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
}

/**
 * The admin plane's gate, at the edge of the admin app after the realm resolver (so it knows the realm
 * and the path without its `/realms/{realm}` prefix). When `admin.api_keys` is empty it lets everything
 * through (the admin port is open, as before; sessions are not looked at). Otherwise every route but
 * `/health/alive`, `/health/ready` and `/version` needs either `Authorization: Bearer <key>` (an operator
 * key or a project API key) or an operator's session of the default realm (the session cookie,
 * `X-Session-Token`, or a bearer token that is no key — Kratos' order, read as `/sessions/whoami` reads
 * it). Missing or wrong → 401 (with `WWW-Authenticate: Bearer`), a principal outside its scope → 403 (a
 * project API key outside its project; a session anywhere but `/projects…`), both in the path's error
 * shape (`surface`: Hydra's flat shape, `request_unauthorized`/`request_forbidden`, on Hydra admin
 * paths). On success the request's ctx acts for the principal (`ctx.actor`: `admin` with
 * `operator:<n>` or `project_api_key:<id>`, or `identity` with the operator's identity id). No key or
 * session token is ever logged.
 */
export function adminAuthentication(deps: AdminAuthenticationDeps, surface: (path: string) => ErrorSurface): NodeMiddleware {
  const authenticator = deps.adminAuthenticator;
  return (req, res, next) => {
    if (!authenticator.required) return next();
    const path = pathOf(req.url);
    if (isOpenAdminPath(path)) return next();
    const deny = (error: unknown): void => {
      if ((error as { code?: number }).code === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      sendError(res, error, surface(path), deps, path);
    };
    const bearer = bearerToken(req.headers.authorization);
    const session = sessionTokenFromHeaders(headerOf(req), { name: deps.config.session.cookie.name, secrets: deps.secrets.cookie });
    if (!bearer && !session) return deny(unauthorized('The admin API requires an API key: send Authorization: Bearer <key>.').withOAuth2Error('request_unauthorized'));
    const ctx = ctxOf(req);
    const authenticate = async (): Promise<AdminPrincipal | undefined> => {
      const key = bearer ? await authenticator.authenticate(ctx, bearer) : undefined;
      return key ?? (session ? authenticator.authenticateSession(ctx, session) : undefined);
    };
    authenticate().then(
      (principal) => {
        if (!principal) return deny(unauthorized('The API key (or session) is not valid.').withOAuth2Error('request_unauthorized'));
        if (!adminScopeAllows(principal, requestRealmOf(req).name, path)) {
          const reason =
            principal.kind === 'operator_session'
              ? 'An operator session may only call the project API (/projects…); the admin APIs need an API key.'
              : 'This API key may not access this resource: a project API key reaches only its own project’s admin API.';
          return deny(forbidden(reason).withOAuth2Error('request_forbidden'));
        }
        setRequestActor(req, actorOf(principal));
        next();
      },
      (error: unknown) => sendError(res, error, surface(path), deps, path),
    );
  };
}
