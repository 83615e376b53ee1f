import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { COURIER_MESSAGE_LIST_KEY, type CourierMessageStoreProvider, type ListMessagesQuery, ROUTE_COURIER_MESSAGES, isMessageStatus, toWire } from '../../../../libs/courier';
import { type ListRequest, badRequest, parseListRequest, setListLinks, ctxOf } from '../../../../libs/http';

export type CourierRouterDeps = ConfigProvider & CourierMessageStoreProvider;

/** `?page_size&page_token` (or `page&per_page`)`&status&recipient`. @throws OryError 400 for a status other than Kratos's four, or a bad page token or size */
function listQuery(query: Record<string, unknown>): ListMessagesQuery & ListRequest {
  const page = parseListRequest(query, COURIER_MESSAGE_LIST_KEY);
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
 * newest first, keyset pagination (`page_size`/`page_token`, or the old `page`/`per_page`), bodies redacted unless `dev`. Ory envelope errors.
 */
export function createCourierRouter(deps: CourierRouterDeps): Router {
  const router = express.Router();
  const admin = deps.config.serve.admin.base_url;

  router.get(ROUTE_COURIER_MESSAGES, async (req, res) => {
    const ctx = ctxOf(req);
    const query = listQuery(req.query as Record<string, unknown>);
    const result = await deps.courierMessageStore.list(ctx, query);
    setListLinks(res, req, `${admin}courier/messages`, query, result.next);
    res.json(result.items.map((m) => toWire(m, deps.config.dev)));
  });

  return router;
}
