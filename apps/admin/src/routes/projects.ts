import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { badRequest, ctxOf, jsonBody, requireJsonContentType } from '../../../../libs/http';
import type { ProjectService, ProjectSummary, ProjectView } from '../../../../libs/project';
import { DEFAULT_REALM, requestRealmOf } from '../../../../libs/x';

export type ProjectsRouterDeps = ConfigProvider & { readonly projectService: ProjectService };

export const ROUTE_PROJECTS = '/projects';

/** The SDK's `Project`. */
function projectToWire(project: ProjectView): Record<string, unknown> {
  return { id: project.id, name: project.name, slug: project.slug, state: project.state, revision_id: project.revision_id, services: project.services };
}

/** The SDK's `ProjectMetadata`. */
function metadataToWire(project: ProjectSummary): Record<string, unknown> {
  return {
    id: project.id,
    name: project.name,
    slug: project.slug,
    state: project.state,
    hosts: project.hosts,
    created_at: project.created_at.toISOString(),
    updated_at: project.updated_at.toISOString(),
    subscription_id: null,
  };
}

/**
 * Ory Network's project API (`V0alpha2Api` project methods of `@ory/client`) on the admin port:
 * `POST /projects {name}` → 201 `Project`, `GET /projects` → `ProjectMetadata[]`, `GET /projects/{id}`,
 * `PUT /projects/{id}` and `PATCH /projects/{id}` (JSON Patch) → `SuccessfulProjectUpdate`,
 * `DELETE /projects/{id}` → 204. Process-wide: served for the default realm's address only (a realm's
 * `/realms/{slug}/projects` is a 404). Errors in the Ory envelope.
 */
export function createProjectsRouter(deps: ProjectsRouterDeps): Router {
  const router = express.Router();
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.admin.request_body_limit })];
  const service = deps.projectService;
  const id = (params: Record<string, unknown>): string => params.id as string;

  router.use(ROUTE_PROJECTS, (req, _res, next) => next(requestRealmOf(req).name === DEFAULT_REALM ? undefined : 'router'));
  router.post(ROUTE_PROJECTS, ...body, async (req, res) => {
    const input: unknown = req.body;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw badRequest('The request body must be a JSON object.');
    const extra = Object.keys(input).filter((k) => k !== 'name');
    if (extra.length > 0) throw badRequest(`unknown keys in the request body: ${extra.join(', ')} (allowed: name)`);
    const project = await service.create(ctxOf(req), (input as { name?: unknown }).name);
    res.status(201).location(`${deps.config.serve.admin.base_url}projects/${project.id}`).json(projectToWire(project));
  });
  router.get(ROUTE_PROJECTS, async (req, res) => {
    res.json((await service.list(ctxOf(req))).map(metadataToWire));
  });
  router.get(`${ROUTE_PROJECTS}/:id`, async (req, res) => {
    res.json(projectToWire(await service.get(ctxOf(req), id(req.params))));
  });
  router.put(`${ROUTE_PROJECTS}/:id`, ...body, async (req, res) => {
    const { project, warnings } = await service.replace(ctxOf(req), id(req.params), req.body);
    res.json({ project: projectToWire(project), warnings });
  });
  router.patch(`${ROUTE_PROJECTS}/:id`, ...body, async (req, res) => {
    const { project, warnings } = await service.patch(ctxOf(req), id(req.params), req.body);
    res.json({ project: projectToWire(project), warnings });
  });
  router.delete(`${ROUTE_PROJECTS}/:id`, async (req, res) => {
    await service.purge(ctxOf(req), id(req.params));
    res.status(204).end();
  });

  return router;
}
