import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { jsonBody, parseListRequest, requireJsonContentType, setListLinks, ctxOf } from '../../../../libs/http';
import { CLIENT_LIST_KEY, type ClientManagerProvider, toWire } from '../../../../libs/oauth2/client';

export type ClientsRouterDeps = ConfigProvider & ClientManagerProvider;

/** Hydra's admin client routes. */
export const ROUTE_CLIENTS = '/admin/clients';

/**
 * `GET/POST /admin/clients`, `GET/PUT/PATCH/DELETE /admin/clients/{id}`, `PUT /admin/clients/{id}/lifespans`
 * (hydra-api.md §2). Errors use Hydra's flat OAuth2 shape (the admin app picks it for /admin/clients).
 */
export function createClientsRouter(deps: ClientsRouterDeps): Router {
  const router = express.Router();
  const admin = deps.config.serve.admin.base_url;
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.admin.request_body_limit })];
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

  router.get(ROUTE_CLIENTS, async (req, res) => {
    const ctx = ctxOf(req);
    const page = parseListRequest(req.query as Record<string, unknown>, CLIENT_LIST_KEY);
    const filters = { client_name: str(req.query.client_name), owner: str(req.query.owner) };
    const result = await deps.clientManager.list(ctx, { ...page, clientName: filters.client_name, owner: filters.owner });
    setListLinks(res, req, `${admin}admin/clients`, page, result.next);
    res.json(result.items.map((c) => toWire(c)));
  });

  router.post(ROUTE_CLIENTS, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const { client, clientSecret, registrationAccessToken } = await deps.clientManager.create(ctx, req.body);
    res
      .status(201)
      .location(`${admin}admin/clients/${client.id}`)
      .json(toWire(client, { clientSecret, registrationAccessToken }));
  });

  router.get(`${ROUTE_CLIENTS}/:id`, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(toWire(await deps.clientManager.get(ctx, req.params.id as string)));
  });

  router.put(`${ROUTE_CLIENTS}/:id`, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const { client, clientSecret } = await deps.clientManager.update(ctx, req.params.id as string, req.body);
    res.json(toWire(client, { clientSecret }));
  });

  router.patch(`${ROUTE_CLIENTS}/:id`, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const { client, clientSecret } = await deps.clientManager.patch(ctx, req.params.id as string, req.body);
    res.json(toWire(client, { clientSecret }));
  });

  router.delete(`${ROUTE_CLIENTS}/:id`, async (req, res) => {
    const ctx = ctxOf(req);
    await deps.clientManager.delete(ctx, req.params.id as string);
    res.status(204).end();
  });

  router.put(`${ROUTE_CLIENTS}/:id/lifespans`, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(toWire(await deps.clientManager.setLifespans(ctx, req.params.id as string, req.body)));
  });

  return router;
}

