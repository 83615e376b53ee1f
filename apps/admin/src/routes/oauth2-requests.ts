import express, { type Request, type Response, type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { jsonBody, ctxOf } from '../../../../libs/http';
import type { ChallengeRead, ChallengeServiceProvider } from '../../../../libs/oauth2/consent';

export type OAuth2RequestsRouterDeps = ConfigProvider & ChallengeServiceProvider;

/** Hydra's challenge routes. */
export const ROUTE_REQUESTS = '/admin/oauth2/auth/requests';

/** The challenge from `<kind>_challenge` or the generic `challenge` query parameter. */
const challengeOf = (req: Request, kind: string): string | undefined => {
  const value = req.query[`${kind}_challenge`] ?? req.query.challenge;
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** 200 with the request, or 410 `{redirect_to}` once the browser redeemed it. */
const sendRead = (res: Response, read: ChallengeRead): void => {
  if (read.kind === 'handled') res.status(410).json({ redirect_to: read.redirectTo });
  else res.json(read.request);
};

/**
 * `GET /admin/oauth2/auth/requests/{login,consent,logout}` and `PUT .../accept|reject`
 * (hydra-api.md §3). Errors use Hydra's flat shape.
 */
export function createOAuth2RequestsRouter(deps: OAuth2RequestsRouterDeps): Router {
  const router = express.Router();
  const body = jsonBody({ limit: deps.config.serve.admin.request_body_limit });
  const service = deps.challengeService;

  router.get(`${ROUTE_REQUESTS}/login`, async (req, res) => sendRead(res, await service.getLoginRequest(ctxOf(req), challengeOf(req, 'login'))));
  router.put(`${ROUTE_REQUESTS}/login/accept`, body, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(await service.acceptLoginRequest(ctx, challengeOf(req, 'login'), service.parseAcceptLogin(req.body ?? {})));
  });
  router.put(`${ROUTE_REQUESTS}/login/reject`, body, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(await service.rejectLoginRequest(ctx, challengeOf(req, 'login'), req.body));
  });

  router.get(`${ROUTE_REQUESTS}/consent`, async (req, res) => sendRead(res, await service.getConsentRequest(ctxOf(req), challengeOf(req, 'consent'))));
  router.put(`${ROUTE_REQUESTS}/consent/accept`, body, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(await service.acceptConsentRequest(ctx, challengeOf(req, 'consent'), service.parseAcceptConsent(req.body)));
  });
  router.put(`${ROUTE_REQUESTS}/consent/reject`, body, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(await service.rejectConsentRequest(ctx, challengeOf(req, 'consent'), req.body));
  });

  router.get(`${ROUTE_REQUESTS}/logout`, async (req, res) => sendRead(res, await service.getLogoutRequest(ctxOf(req), challengeOf(req, 'logout'))));
  router.put(`${ROUTE_REQUESTS}/logout/accept`, body, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(await service.acceptLogoutRequest(ctx, challengeOf(req, 'logout')));
  });
  router.put(`${ROUTE_REQUESTS}/logout/reject`, body, async (req, res) => {
    const ctx = ctxOf(req);
    await service.rejectLogoutRequest(ctx, challengeOf(req, 'logout'));
    res.status(204).end();
  });
  return router;
}
