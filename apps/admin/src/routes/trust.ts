import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { jsonBody, parseListRequest, requireJsonContentType, setListLinks, ctxOf } from '../../../../libs/http';
import { TRUST_GRANT_LIST_KEY, type TrustGrantManagerProvider, toWire } from '../../../../libs/oauth2/trust';

export type TrustRouterDeps = ConfigProvider & TrustGrantManagerProvider;

/** Hydra's admin routes for trusted JWT-bearer grant issuers. */
export const ROUTE_TRUST_ISSUERS = '/admin/trust/grants/jwt-bearer/issuers';

/**
 * `POST/GET /admin/trust/grants/jwt-bearer/issuers`, `GET/DELETE …/issuers/{id}` (hydra-api.md §6).
 * The list takes Hydra's `issuer`, `page_size` and `page_token` (the SDK's `limit`/`offset` are
 * ignored, as in Hydra). Errors use Hydra's flat OAuth2 shape (the admin app picks it for /admin/trust).
 */
export function createTrustRouter(deps: TrustRouterDeps): Router {
  const router = express.Router();
  const admin = deps.config.serve.admin.base_url;
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.admin.request_body_limit })];

  router.post(ROUTE_TRUST_ISSUERS, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const grant = await deps.trustGrantManager.create(ctx, req.body);
    res.status(201).location(`${admin}${ROUTE_TRUST_ISSUERS.slice(1)}/${grant.id}`).json(toWire(grant));
  });

  router.get(ROUTE_TRUST_ISSUERS, async (req, res) => {
    const ctx = ctxOf(req);
    const page = parseListRequest(req.query as Record<string, unknown>, TRUST_GRANT_LIST_KEY);
    const issuer = typeof req.query.issuer === 'string' && req.query.issuer !== '' ? req.query.issuer : undefined;
    const result = await deps.trustGrantManager.list(ctx, { ...page, issuer });
    setListLinks(res, req, `${admin}${ROUTE_TRUST_ISSUERS.slice(1)}`, page, result.next);
    res.json(result.items.map(toWire));
  });

  router.get(`${ROUTE_TRUST_ISSUERS}/:id`, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(toWire(await deps.trustGrantManager.get(ctx, req.params.id as string)));
  });

  router.delete(`${ROUTE_TRUST_ISSUERS}/:id`, async (req, res) => {
    const ctx = ctxOf(req);
    await deps.trustGrantManager.delete(ctx, req.params.id as string);
    res.status(204).end();
  });

  return router;
}
