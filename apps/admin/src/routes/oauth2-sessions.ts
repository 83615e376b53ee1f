import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { parseListRequest, setListLinks, ctxOf } from '../../../../libs/http';
import { CONSENT_SESSION_LIST_KEY, type ConsentSessionManagerProvider } from '../../../../libs/oauth2/consent';

export type OAuth2SessionsRouterDeps = ConfigProvider & ConsentSessionManagerProvider;

export const ROUTE_OAUTH2_SESSIONS = '/admin/oauth2/auth/sessions';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * `GET/DELETE /admin/oauth2/auth/sessions/consent` and `DELETE /admin/oauth2/auth/sessions/login`
 * (hydra-api.md §4).
 */
export function createOAuth2SessionsRouter(deps: OAuth2SessionsRouterDeps): Router {
  const router = express.Router();

  router.get(`${ROUTE_OAUTH2_SESSIONS}/consent`, async (req, res) => {
    const ctx = ctxOf(req);
    const page = parseListRequest(req.query as Record<string, unknown>, CONSENT_SESSION_LIST_KEY);
    const subject = str(req.query.subject);
    const result = await deps.consentSessionManager.list(ctx, subject, page);
    setListLinks(res, req, `${deps.config.serve.admin.base_url}admin/oauth2/auth/sessions/consent`, page, result.next);
    res.json(result.items);
  });

  router.delete(`${ROUTE_OAUTH2_SESSIONS}/consent`, async (req, res) => {
    const ctx = ctxOf(req);
    await deps.consentSessionManager.revokeConsent(ctx, str(req.query.subject), { client: str(req.query.client), all: req.query.all === 'true' });
    res.status(204).end();
  });

  router.delete(`${ROUTE_OAUTH2_SESSIONS}/login`, async (req, res) => {
    const ctx = ctxOf(req);
    await deps.consentSessionManager.revokeLogin(ctx, str(req.query.subject));
    res.status(204).end();
  });
  return router;
}
