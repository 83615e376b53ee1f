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
import { type AdminAuthenticator, actorOf, adminScopeAllows, bearerToken, isOpenAdminPath } from '../../../libs/project';
import { requestRealmOf } from '../../../libs/x';

export interface AdminAuthenticationDeps extends WriteErrorDeps {
  readonly adminAuthenticator: AdminAuthenticator;
}

/**
 * The admin plane's gate, at the edge of the admin app after the realm resolver (so it knows the realm
 * and the path without its `/realms/{realm}` prefix). When `admin.api_keys` is empty it lets everything
 * through (the admin port is open, as before). Otherwise every route but `/health/alive`,
 * `/health/ready` and `/version` needs `Authorization: Bearer <key>`: missing or wrong → 401 (with
 * `WWW-Authenticate: Bearer`), a project API key outside its project → 403, both in the path's error
 * shape (`surface`: Hydra's flat shape, `request_unauthorized`/`request_forbidden`, on Hydra admin paths). On success the request's ctx acts for the
 * key (`ctx.actor.id`: `operator:<n>` or `project_api_key:<id>`). No key value is ever logged.
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
    const token = bearerToken(req.headers.authorization);
    if (!token) return deny(unauthorized('The admin API requires an API key: send Authorization: Bearer <key>.').withOAuth2Error('request_unauthorized'));
    authenticator.authenticate(ctxOf(req), token).then(
      (principal) => {
        if (!principal) return deny(unauthorized('The API key is not valid.').withOAuth2Error('request_unauthorized'));
        if (!adminScopeAllows(principal, requestRealmOf(req).name, path)) return deny(forbidden('This API key may not access this resource: a project API key reaches only its own project’s admin API.').withOAuth2Error('request_forbidden'));
        setRequestActor(req, actorOf(principal));
        next();
      },
      (error: unknown) => sendError(res, error, surface(path), deps, path),
    );
  };
}
