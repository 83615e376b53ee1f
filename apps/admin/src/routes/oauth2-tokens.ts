import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import { type WriteErrorDeps, pathOf, sendError, sendJson, ctxOf } from '../../../../libs/http';
import { invalidRequest } from '../../../../libs/oauth2/client';
import type { TokenIntrospectorProvider } from '../../../../libs/oauth2/provider';

export type OAuth2TokensRouterDeps = TokenIntrospectorProvider;

const INTROSPECT_PATH = '/admin/oauth2/introspect';
const parseForm = express.urlencoded({ extended: false, limit: '64kb' });

/**
 * Whether a request is `POST /admin/oauth2/introspect`, served by {@link introspectionEndpoint}: matched
 * as express would route it (case-insensitive, an optional trailing slash, any query string).
 */
export function isIntrospection(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const path = pathOf(req.url).toLowerCase();
  return path === INTROSPECT_PATH || path === `${INTROSPECT_PATH}/`;
}

/**
 * `POST /admin/oauth2/introspect` (RFC 7662 + Hydra's `ext`; hydra-api.md §7.3) as a plain Node
 * handler in front of express: resource servers call it on every request they serve, and express's
 * own request handling costs more than the introspection. Same contract as a route: a form body
 * (`token`, optional `scope`; 64 kB at most) parsed by body-parser, `{"active":false}` for anything
 * not active, Hydra's flat errors.
 */
export function introspectionEndpoint(deps: OAuth2TokensRouterDeps & WriteErrorDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const fail = (res: ServerResponse, error: unknown) => sendError(res, error, 'oauth2', deps, INTROSPECT_PATH);
  return (req, res) => {
    const ctx = ctxOf(req);
    parseForm(req as express.Request, res as express.Response, (parseError?: unknown) => {
      if (parseError) return fail(res, parseError);
      const form = ((req as express.Request).body ?? {}) as Record<string, unknown>;
      if (typeof form.token !== 'string' || form.token === '') return fail(res, invalidRequest('The POST body can not be empty.'));
      deps.tokenIntrospector
        .introspect(ctx, form.token, typeof form.scope === 'string' ? form.scope : undefined)
        .then((result) => sendJson(res, 200, result, 'application/json;charset=UTF-8'))
        .catch((error: unknown) => fail(res, error));
    });
  };
}

/** `DELETE /admin/oauth2/tokens?client_id=` (hydra-api.md §7.5). Introspection: {@link introspectionEndpoint}. */
export function createOAuth2TokensRouter(deps: OAuth2TokensRouterDeps): Router {
  const router = express.Router();
  router.delete('/admin/oauth2/tokens', async (req, res) => {
    const ctx = ctxOf(req);
    const clientId = req.query.client_id;
    if (typeof clientId !== 'string' || clientId === '') throw invalidRequest("Query parameter 'client_id' is not defined but should have been.");
    await deps.tokenIntrospector.deleteClientTokens(ctx, clientId);
    res.status(204).end();
  });
  return router;
}
