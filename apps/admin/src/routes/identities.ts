import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { badRequest, jsonBody, notFound, parseListRequest, requireJsonContentType, setListLinks, validateArrayBody, validateBody, ctxOf } from '../../../../libs/http';
import {
  CreateIdentityBody,
  IDENTITY_LIST_KEY,
  type IdentityManager,
  type IdentityPoolProvider,
  JsonPatchOperation,
  UpdateIdentityBody,
  toWire,
} from '../../../../libs/identity';
import { isUuid } from '../../../../libs/x';

export type IdentitiesRouterDeps = ConfigProvider & IdentityPoolProvider & { readonly identityManager: IdentityManager };

/** Admin identity routes; mounted at `/admin/identities` and at Kratos's legacy `/identities`. */
export const ROUTE_IDENTITIES = ['/admin/identities', '/identities'];

const MAX_BATCH = 1000;

/**
 * `POST/GET/PATCH /admin/identities`, `GET/PUT/PATCH/DELETE /admin/identities/{id}`,
 * `DELETE /admin/identities/{id}/credentials/{type}` (Kratos admin API).
 * Errors use the Ory envelope.
 */
export function createIdentitiesRouter(deps: IdentitiesRouterDeps): Router {
  const router = express.Router();
  const admin = deps.config.serve.admin.base_url;
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.admin.request_body_limit })];
  const batchBody = [requireJsonContentType(), jsonBody({ limit: '20mb' })];
  const idParam = (id: string): string => {
    if (!isUuid(id)) throw notFound('Unable to locate the resource');
    return id;
  };

  router.get(ROUTE_IDENTITIES, async (req, res) => {
    const ctx = ctxOf(req);
    const page = parseListRequest(req.query as Record<string, unknown>, IDENTITY_LIST_KEY);
    const filter = typeof req.query.credentials_identifier === 'string' ? req.query.credentials_identifier : undefined;
    const similar = typeof req.query.preview_credentials_identifier_similar === 'string' && req.query.preview_credentials_identifier_similar !== '' ? req.query.preview_credentials_identifier_similar : undefined;
    if (filter !== undefined && similar !== undefined) throw badRequest('Only one of credentials_identifier and preview_credentials_identifier_similar can be used.');
    const result = await deps.identityPool.list(ctx, { ...page, credentialsIdentifier: filter, credentialsIdentifierSimilar: similar });
    setListLinks(res, req, `${admin}identities`, page, result.next);
    res.json(result.items.map((i) => toWire(i, 'admin_list', deps.config)));
  });

  router.post(ROUTE_IDENTITIES, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const identity = await deps.identityManager.create(ctx, validateBody(CreateIdentityBody, req.body));
    res.status(201).location(`${admin}identities/${identity.id}`).json(toWire(identity, 'admin', deps.config));
  });

  router.patch(ROUTE_IDENTITIES, ...batchBody, async (req, res) => {
    const ctx = ctxOf(req);
    const items = (req.body as { identities?: unknown })?.identities;
    if (!Array.isArray(items)) throw badRequest('The request body must be {"identities": [...]}.');
    if (items.length > MAX_BATCH) throw badRequest(`At most ${MAX_BATCH} identities can be imported in one request.`);
    const results = await deps.identityManager.createMany(
      ctx,
      items.map((item: unknown) => {
        const wrapped = typeof item === 'object' && item !== null && 'create' in item;
        const patchId = wrapped ? (item as { patch_id?: unknown }).patch_id : undefined;
        return {
          body: wrapped ? (item as { create: unknown }).create : item,
          patchId: typeof patchId === 'string' ? patchId : undefined,
          parse: (b: unknown) => validateBody(CreateIdentityBody, b),
        };
      }),
    );
    res.json({ identities: results });
  });

  router.get(ROUTE_IDENTITIES.map((p) => `${p}/:id`), async (req, res) => {
    const ctx = ctxOf(req);
    const declassify = req.query.include_credential;
    for (const value of [declassify ?? []].flat()) {
      if (value !== 'oidc') throw badRequest(`Invalid value \`${String(value)}\` for parameter \`include_credential\`.`);
    }
    const identity = await deps.identityPool.get(ctx, idParam(req.params.id as string));
    if (!identity) throw notFound('Unable to locate the resource');
    res.json(toWire(identity, 'admin', deps.config));
  });

  router.put(ROUTE_IDENTITIES.map((p) => `${p}/:id`), ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const identity = await deps.identityManager.update(ctx, idParam(req.params.id as string), validateBody(UpdateIdentityBody, req.body));
    res.json(toWire(identity, 'admin', deps.config));
  });

  router.patch(ROUTE_IDENTITIES.map((p) => `${p}/:id`), ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const identity = await deps.identityManager.patch(ctx, idParam(req.params.id as string), validateArrayBody(JsonPatchOperation, req.body, 100));
    res.json(toWire(identity, 'admin', deps.config));
  });

  router.delete(ROUTE_IDENTITIES.map((p) => `${p}/:id`), async (req, res) => {
    const ctx = ctxOf(req);
    await deps.identityManager.delete(ctx, idParam(req.params.id as string));
    res.status(204).end();
  });

  router.delete(ROUTE_IDENTITIES.map((p) => `${p}/:id/credentials/:type`), async (req, res) => {
    const ctx = ctxOf(req);
    await deps.identityManager.deleteCredential(ctx, idParam(req.params.id as string), req.params.type as string);
    res.status(204).end();
  });

  return router;
}
