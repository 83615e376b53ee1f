import express, { type Request, type Response, type Router } from 'express';
import type { ConfigProvider, SecretsProvider } from '../../../../libs/config';
import { badRequest, jsonBody, ctxOf } from '../../../../libs/http';
import { type ErrorStoreProvider, newCsrfToken, validateReturnTo } from '../../../../libs/selfservice/flow';
import { type LogoutManagerProvider, ROUTE_LOGOUT, ROUTE_LOGOUT_API, ROUTE_LOGOUT_BROWSER } from '../../../../libs/session';
import type { ClockProvider } from '../../../../libs/x';
import { selfServiceBrowserErrors } from '../flow-responder';
import { clearSessionCookie, extractSessionToken, isJsonRequest, setCsrfCookie } from '../request-context';

export type LogoutRouterDeps = ConfigProvider & SecretsProvider & ClockProvider & ErrorStoreProvider & LogoutManagerProvider;

const queryValue = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Kratos logout (§6e): `GET /self-service/logout/browser` (the logout URL of the caller's session),
 * `GET /self-service/logout?token=&return_to=` (browsers; errors of non-JSON requests go to the error UI)
 * and `DELETE /self-service/logout/api` (API clients, by session token).
 */
export function createLogoutRouter(deps: LogoutRouterDeps): Router {
  const router = express.Router();
  const token = (req: Request): string | undefined => extractSessionToken(req, deps.config, deps.secrets);

  router.get(ROUTE_LOGOUT_BROWSER, async (req, res) => {
    const ctx = ctxOf(req);
    const { logoutUrl, logoutToken } = await deps.logoutManager.createLogoutUrl(ctx, token(req));
    res.json({ logout_url: logoutUrl, logout_token: logoutToken });
  });

  router.get(
    ROUTE_LOGOUT,
    async (req: Request, res: Response) => {
    const ctx = ctxOf(req);
      await deps.logoutManager.logoutWithToken(ctx, token(req), queryValue(req.query.token));
      respondLoggedOut(req, res, deps);
    },
    selfServiceBrowserErrors(deps),
  );

  router.delete(ROUTE_LOGOUT_API, jsonBody({ limit: deps.config.serve.public.request_body_limit }), async (req, res) => {
    const ctx = ctxOf(req);
    const sessionToken = (req.body as { session_token?: unknown } | undefined)?.session_token;
    if (typeof sessionToken !== 'string' || sessionToken === '') {
      throw badRequest('The request body must be JSON with a non-empty string "session_token".');
    }
    await deps.logoutManager.logoutApi(ctx, sessionToken);
    res.status(204).end();
  });

  return router;
}

/**
 * After a browser logout (Kratos `completeLogout`): the session cookie is deleted and the CSRF cookie
 * renewed; JSON clients get 204, browsers a 303 to the allowed `return_to`, else the logout return URL,
 * else the default return URL.
 * @throws OryError 400 `self_service_flow_return_to_forbidden` (the session is already revoked then)
 */
function respondLoggedOut(req: Request, res: Response, deps: ConfigProvider): void {
  const selfservice = deps.config.selfservice;
  clearSessionCookie(res, deps.config);
  setCsrfCookie(res, newCsrfToken(), deps.config);
  const fallback = selfservice.flows.logout.after.default_browser_return_url ?? selfservice.default_browser_return_url;
  const target =
    validateReturnTo(queryValue(req.query.return_to), deps.config, fallback) ?? fallback;
  if (isJsonRequest(req)) {
    res.status(204).end();
    return;
  }
  res.redirect(303, target);
}
