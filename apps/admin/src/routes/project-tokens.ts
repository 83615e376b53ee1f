import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { ctxOf, jsonBody, requireJsonContentType } from '../../../../libs/http';
import type { ProjectApiKeyService } from '../../../../libs/project';

export type ProjectTokensRouterDeps = ConfigProvider & { readonly projectApiKeyService: ProjectApiKeyService };

export const ROUTE_PROJECT_TOKENS = '/projects/:project/tokens';

/**
 * Ory Network's project API keys (`@ory/client` `createProjectApiKey`, `listProjectApiKeys`,
 * `deleteProjectApiKey`): `POST /projects/{project}/tokens {name}` → 201 `ProjectApiKey` with its `value`
 * (shown this once), `GET` → the keys without values, `DELETE /projects/{project}/tokens/{token_id}` → 204.
 * Errors in the Ory envelope: 400 a bad name, 404 an unknown project or key.
 */
export function createProjectTokensRouter(deps: ProjectTokensRouterDeps): Router {
  const router = express.Router();
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.admin.request_body_limit })];
  const project = (params: Record<string, unknown>): string => params.project as string;

  router.post(ROUTE_PROJECT_TOKENS, ...body, async (req, res) => {
    res.status(201).json(await deps.projectApiKeyService.create(ctxOf(req), project(req.params), req.body));
  });
  router.get(ROUTE_PROJECT_TOKENS, async (req, res) => {
    res.json(await deps.projectApiKeyService.list(ctxOf(req), project(req.params)));
  });
  router.delete(`${ROUTE_PROJECT_TOKENS}/:token`, async (req, res) => {
    await deps.projectApiKeyService.delete(ctxOf(req), project(req.params), req.params.token);
    res.status(204).end();
  });

  return router;
}
