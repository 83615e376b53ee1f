import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { type CourierMessageStoreProvider, type ListMessagesQuery, ROUTE_COURIER_MESSAGES, isMessageStatus, toWire } from '../../../../libs/courier';
import { badRequest, parsePageRequest, setPageHeaders, ctxOf } from '../../../../libs/http';

export type CourierRouterDeps = ConfigProvider & CourierMessageStoreProvider;

/** `?page&per_page&status&recipient`. @throws OryError 400 for a status other than Kratos's four */
function listQuery(query: Record<string, unknown>): ListMessagesQuery {
  const page = parsePageRequest(query);
  const { status, recipient } = query;
  if (status !== undefined && status !== '' && !isMessageStatus(status)) {
    throw badRequest('Message status is not valid').withDetails({ status: String(status), allowed: ['queued', 'processing', 'sent', 'abandoned'] });
  }
  return {
    ...page,
    ...(isMessageStatus(status) ? { status } : {}),
    ...(typeof recipient === 'string' && recipient !== '' ? { recipient } : {}),
  };
}

/**
 * `GET /admin/courier/messages` (Kratos `adminListCourierMessages`, also at `/courier/messages`):
 * newest first, Kratos page pagination, bodies redacted unless `dev`. Ory envelope errors.
 */
export function createCourierRouter(deps: CourierRouterDeps): Router {
  const router = express.Router();
  const admin = deps.config.serve.admin.base_url;

  router.get(ROUTE_COURIER_MESSAGES, async (req, res) => {
    const ctx = ctxOf(req);
    const query = listQuery(req.query as Record<string, unknown>);
    const result = await deps.courierMessageStore.list(ctx, query);
    setPageHeaders(res, `${admin}courier/messages`, result.total, query);
    res.json(result.messages.map((m) => toWire(m, deps.config.dev)));
  });

  return router;
}
