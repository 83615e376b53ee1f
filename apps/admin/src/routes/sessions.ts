import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { type ListRequest, badRequest, parseListRequest, setListLinks, ctxOf } from '../../../../libs/http';
import {
  type AdminSessionManagerProvider,
  type AdminSessionsQuery,
  ROUTE_ADMIN_IDENTITY_SESSIONS,
  ROUTE_ADMIN_SESSION,
  ROUTE_ADMIN_SESSION_EXTEND,
  ROUTE_ADMIN_SESSIONS,
  ROUTE_WHOAMI,
  SESSION_LIST_KEY,
  type SessionWithIdentity,
  toWire,
} from '../../../../libs/session';

export type AdminSessionsRouterDeps = ConfigProvider & AdminSessionManagerProvider;

/** `?page_size&page_token` (or `page&per_page`)`&active=true|false`. @throws OryError 400 for another `active` value, or a bad page token or size */
function listQuery(query: Record<string, unknown>): AdminSessionsQuery & ListRequest {
  const page = parseListRequest(query, SESSION_LIST_KEY);
  const { active } = query;
  if (active === undefined || active === '') return page;
  if (active !== 'true' && active !== 'false') throw badRequest('The query parameter "active" must be "true" or "false".');
  return { ...page, active: active === 'true' };
}

/**
 * Kratos admin session routes (§1d, §7e; the list, get and revoke of `/admin/sessions` are v0.11's):
 * sessions per identity (list, delete all), all sessions (list, get, revoke), extend. Ory envelope errors.
 */
export function createAdminSessionsRouter(deps: AdminSessionsRouterDeps): Router {
  const router = express.Router();
  const admin = deps.config.serve.admin.base_url;
  const wire = (item: SessionWithIdentity): Record<string, unknown> => toWire(item.session, item.identity, deps.config, 'admin');

  // Kratos registers the public-only whoami on the admin port and sends it to the public app.
  router.all(ROUTE_ADMIN_SESSIONS.map((p) => `${p}/whoami`), (_req, res) => {
    res.redirect(307, `${deps.config.serve.public.base_url}${ROUTE_WHOAMI.slice(1)}`);
  });

  router.get(ROUTE_ADMIN_IDENTITY_SESSIONS, async (req, res) => {
    const ctx = ctxOf(req);
    const query = listQuery(req.query as Record<string, unknown>);
    const result = await deps.adminSessionManager.listForIdentity(ctx, req.params.id as string, query);
    setListLinks(res, req, `${admin}admin/identities/${encodeURIComponent(req.params.id as string)}/sessions`, query, result.next);
    res.json(result.items.map(wire));
  });

  router.delete(ROUTE_ADMIN_IDENTITY_SESSIONS, async (req, res) => {
    const ctx = ctxOf(req);
    await deps.adminSessionManager.deleteForIdentity(ctx, req.params.id as string);
    res.status(204).end();
  });

  router.get(ROUTE_ADMIN_SESSIONS, async (req, res) => {
    const ctx = ctxOf(req);
    const query = listQuery(req.query as Record<string, unknown>);
    const result = await deps.adminSessionManager.list(ctx, query);
    setListLinks(res, req, `${admin}sessions`, query, result.next);
    res.json(result.items.map(wire));
  });

  router.patch(ROUTE_ADMIN_SESSION_EXTEND, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(wire(await deps.adminSessionManager.extend(ctx, req.params.id as string)));
  });

  router.get(ROUTE_ADMIN_SESSION, async (req, res) => {
    const ctx = ctxOf(req);
    res.json(wire(await deps.adminSessionManager.get(ctx, req.params.id as string)));
  });

  router.delete(ROUTE_ADMIN_SESSION, async (req, res) => {
    const ctx = ctxOf(req);
    await deps.adminSessionManager.revoke(ctx, req.params.id as string);
    res.status(204).end();
  });

  return router;
}
