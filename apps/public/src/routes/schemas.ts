import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { notFound, parsePageRequest, setPageHeaders } from '../../../../libs/http';
import type { IdentitySchemasProvider } from '../../../../libs/identity';

export type SchemasRouterDeps = ConfigProvider & IdentitySchemasProvider;

/** Kratos serves the schemas at `/schemas` and, on the public port, also at `/admin/schemas`. */
export const ROUTE_SCHEMAS = ['/schemas', '/admin/schemas'];

/** `GET /schemas` (paginated `[{id, schema}]`) and `GET /schemas/{id}` (raw schema; id or its base64url). */
export function createSchemasRouter(deps: SchemasRouterDeps): Router {
  const router = express.Router();
  router.get(ROUTE_SCHEMAS, (req, res) => {
    const page = parsePageRequest(req.query as Record<string, unknown>);
    const all = deps.identitySchemas.list();
    setPageHeaders(res, `${deps.config.serve.public.base_url}schemas`, all.length, page);
    res.json(all.slice(page.page * page.perPage, (page.page + 1) * page.perPage));
  });
  router.get(ROUTE_SCHEMAS.map((p) => `${p}/:id`), (req, res) => {
    const id = req.params.id as string;
    const found = deps.identitySchemas.find(id);
    if (!found) throw notFound(`Identity schema \`${id}\` could not be found.`);
    res.json(found.schema);
  });
  return router;
}
