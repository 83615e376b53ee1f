import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { badRequest, ctxOf, jsonBody, parseListRequest, requireJsonContentType, setListLinks } from '../../../../libs/http';
import { type RealmConfigService, realmToWire } from '../../../../libs/registry';

export type RealmsRouterDeps = ConfigProvider & { readonly realmConfigService: RealmConfigService };

export const ROUTE_REALMS = '/admin/realms';

/** The realm list's key: the name (the primary key). */
const REALM_LIST_KEY = ['text'] as const;

/** The JSON object body, with no keys but `allowed`. @throws OryError 400 */
function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw badRequest(`unknown keys in the request body: ${extra.join(', ')} (allowed: ${allowed.join(', ')})`);
  return body as Record<string, unknown>;
}

/**
 * The minimal realms admin API (the projects API will build on it): `POST /admin/realms {name, config?}`
 * → 201, `GET /admin/realms` (keyset pages by name: `page_size`, `page_token`), `GET /admin/realms/{name}`, `PUT /admin/realms/{name} {config}` (a new
 * revision), `DELETE /admin/realms/{name}` → 204. `config` is the realm part of the configuration, as
 * overrides of the defaults. Ory envelope errors: 400 naming the key, 404, 409 when the name is taken.
 */
export function createRealmsRouter(deps: RealmsRouterDeps): Router {
  const router = express.Router();
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.admin.request_body_limit })];
  const admin = deps.config.serve.admin.base_url;
  const name = (params: Record<string, unknown>): string => params.name as string;

  router.post(ROUTE_REALMS, ...body, async (req, res) => {
    const input = objectBody(req.body, ['name', 'config']);
    if (typeof input.name !== 'string') throw badRequest('name: is required and must be a string');
    const realm = await deps.realmConfigService.create(ctxOf(req), input.name, input.config ?? {});
    res.status(201).location(`${admin}admin/realms/${realm.name}`).json(realmToWire(realm));
  });
  router.get(ROUTE_REALMS, async (req, res) => {
    const page = parseListRequest(req.query as Record<string, unknown>, REALM_LIST_KEY);
    const result = await deps.realmConfigService.listPage(ctxOf(req), page);
    setListLinks(res, req, `${admin}admin/realms`, page, result.next);
    res.json(result.items.map(realmToWire));
  });
  router.get(`${ROUTE_REALMS}/:name`, async (req, res) => {
    res.json(realmToWire(await deps.realmConfigService.get(ctxOf(req), name(req.params))));
  });
  router.put(`${ROUTE_REALMS}/:name`, ...body, async (req, res) => {
    const input = objectBody(req.body, ['config']);
    if (input.config === undefined) throw badRequest('config: is required (the realm part of the configuration; {} for the defaults)');
    res.json(realmToWire(await deps.realmConfigService.update(ctxOf(req), name(req.params), input.config)));
  });
  router.delete(`${ROUTE_REALMS}/:name`, async (req, res) => {
    await deps.realmConfigService.delete(ctxOf(req), name(req.params));
    res.status(204).end();
  });

  return router;
}
