import express, { type Router } from 'express';
import { invalidRequest } from '../../../../libs/oauth2/client';
import type { TokenIntrospectorProvider } from '../../../../libs/oauth2/provider';

export type OAuth2TokensRouterDeps = TokenIntrospectorProvider;

/**
 * `POST /admin/oauth2/introspect` (RFC 7662 + Hydra's `ext`, form body) and
 * `DELETE /admin/oauth2/tokens?client_id=` (hydra-api.md §7.3, §7.5).
 */
export function createOAuth2TokensRouter(deps: OAuth2TokensRouterDeps): Router {
  const router = express.Router();

  router.post('/admin/oauth2/introspect', express.urlencoded({ extended: false, limit: '64kb' }), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (typeof form.token !== 'string' || form.token === '') throw invalidRequest('The POST body can not be empty.');
    const result = await deps.tokenIntrospector.introspect(form.token, typeof form.scope === 'string' ? form.scope : undefined);
    res.type('application/json;charset=UTF-8').send(JSON.stringify(result));
  });

  router.delete('/admin/oauth2/tokens', async (req, res) => {
    const clientId = req.query.client_id;
    if (typeof clientId !== 'string' || clientId === '') throw invalidRequest("Query parameter 'client_id' is not defined but should have been.");
    await deps.tokenIntrospector.deleteClientTokens(clientId);
    res.status(204).end();
  });
  return router;
}
