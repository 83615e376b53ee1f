import express, { type Router } from 'express';
import { type ConfigProvider, oauth2Urls } from '../../../../libs/config';
import { jsonBody, requireJsonContentType, validateBody, ctxOf } from '../../../../libs/http';
import { CreateJsonWebKeySetBody, type KeyManagerProvider } from '../../../../libs/keys';
import { joinUrl } from '../../../../libs/x';

export type KeysRouterDeps = ConfigProvider & KeyManagerProvider;

/** Hydra's admin JSON Web Key routes. */
export const ROUTE_KEYS = '/admin/keys';

/**
 * `POST/GET/PUT/DELETE /admin/keys/{set}` and `GET/PUT/DELETE /admin/keys/{set}/{kid}` (hydra-api.md §5).
 * Key sets are `{"keys": [...]}` with private parts; errors use Hydra's flat OAuth2 shape (the admin
 * app picks it for /admin/keys).
 */
export function createKeysRouter(deps: KeysRouterDeps): Router {
  const router = express.Router();
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.admin.request_body_limit })];
  const set = (params: Record<string, unknown>): string => params.set as string;

  router.post(`${ROUTE_KEYS}/:set`, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const key = await deps.keyManager.createKey(ctx, set(req.params), validateBody(CreateJsonWebKeySetBody, req.body));
    // Hydra's Location is `<issuer>/keys/<set>` (sic: not the admin URL).
    res.status(201).location(joinUrl(oauth2Urls(deps.config).issuer, `keys/${encodeURIComponent(set(req.params))}`)).json({ keys: [key] });
  });

  router.get(`${ROUTE_KEYS}/:set`, async (req, res) => {
    const ctx = ctxOf(req);
    res.json({ keys: await deps.keyManager.requireSet(ctx, set(req.params)) });
  });

  router.put(`${ROUTE_KEYS}/:set`, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    res.json({ keys: await deps.keyManager.replaceSet(ctx, set(req.params), req.body) });
  });

  router.delete(`${ROUTE_KEYS}/:set`, async (req, res) => {
    const ctx = ctxOf(req);
    await deps.keyManager.deleteSet(ctx, set(req.params));
    res.status(204).end();
  });

  router.get(`${ROUTE_KEYS}/:set/:kid`, async (req, res) => {
    const ctx = ctxOf(req);
    res.json({ keys: [await deps.keyManager.requireKey(ctx, set(req.params), req.params.kid as string)] });
  });

  router.put(`${ROUTE_KEYS}/:set/:kid`, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(await deps.keyManager.upsertKey(ctx, set(req.params), req.params.kid as string, req.body));
  });

  router.delete(`${ROUTE_KEYS}/:set/:kid`, async (req, res) => {
    const ctx = ctxOf(req);
    await deps.keyManager.deleteKey(ctx, set(req.params), req.params.kid as string);
    res.status(204).end();
  });

  return router;
}
