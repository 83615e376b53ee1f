import express, { type Router } from 'express';
import { notFound, ctxOf } from '../../../../libs/http';
import type { ErrorStoreProvider, StoredError } from '../../../../libs/selfservice/flow';
import { isUuid, newId } from '../../../../libs/x';

export type ErrorsRouterDeps = ErrorStoreProvider;

/** Kratos `GET /self-service/errors?id=` (the legacy `?error=` too). */
export const ROUTE_SELF_SERVICE_ERRORS = '/self-service/errors';

/** Kratos's fixed test error, served for `?id=stub:500` so error UIs can be built without breaking anything. */
const STUB_500 = {
  code: 500,
  status: 'Internal Server Error',
  reason: 'This is a stub error.',
  message: 'An internal server error occurred, please contact the system administrator',
};
const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * The error container a browser's error UI fetches after a redirect to `selfservice.flows.error.ui_url`
 * (§5c). Public and without CSRF, as in Kratos: error ids are unguessable UUIDs. Reading marks it seen.
 */
export function createErrorsRouter(deps: ErrorsRouterDeps): Router {
  const router = express.Router();
  router.get(ROUTE_SELF_SERVICE_ERRORS, async (req, res) => {
    const ctx = ctxOf(req);
    const id = [req.query.id, req.query.error].find((v): v is string => typeof v === 'string' && v !== '');
    if (id === 'stub:500') {
      res.json({ id: newId(), error: STUB_500, created_at: ZERO_TIME, updated_at: ZERO_TIME });
      return;
    }
    const stored = isUuid(id) ? await deps.errorStore.read(ctx, id.toLowerCase()) : undefined;
    if (!stored) throw notFound('Unable to locate the resource');
    res.json(errorToWire(stored));
  });
  return router;
}

function errorToWire(stored: StoredError): Record<string, unknown> {
  return { id: stored.id, error: stored.error, created_at: stored.createdAt.toISOString(), updated_at: stored.updatedAt.toISOString() };
}
