import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { ctxOf, jsonBody, requireJsonContentType } from '../../../../libs/http';
import type { ProjectMemberService } from '../../../../libs/project';
import { DEFAULT_REALM, requestRealmOf } from '../../../../libs/x';

export type ProjectMembersRouterDeps = ConfigProvider & { readonly projectMemberService: ProjectMemberService };

export const ROUTE_PROJECT_MEMBERS = '/projects/:project/members';

/**
 * Ory Network's project members (`@ory/client` `getProjectMembers`, `removeProjectMember`):
 * `GET /projects/{project}/members` → `CloudAccount[]` (`{id, email, name}`),
 * `DELETE /projects/{project}/members/{member_id}` → 204, and (beyond the SDK)
 * `POST /projects/{project}/members {email}` → 201 `CloudAccount` (200 when it was a member already).
 * Errors in the Ory envelope: 400 a bad body, 403 the default project, 404 an unknown project, member or
 * email, 409 removing the last member. Served for the default realm's address only, like `/projects`.
 */
export function createProjectMembersRouter(deps: ProjectMembersRouterDeps): Router {
  const router = express.Router();
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.admin.request_body_limit })];
  const project = (params: Record<string, unknown>): string => params.project as string;
  const service = deps.projectMemberService;

  router.use(ROUTE_PROJECT_MEMBERS, (req, _res, next) => next(requestRealmOf(req).name === DEFAULT_REALM ? undefined : 'router'));
  router.get(ROUTE_PROJECT_MEMBERS, async (req, res) => {
    res.json(await service.list(ctxOf(req), project(req.params)));
  });
  router.post(ROUTE_PROJECT_MEMBERS, ...body, async (req, res) => {
    const { account, created } = await service.add(ctxOf(req), project(req.params), req.body);
    res.status(created ? 201 : 200).json(account);
  });
  router.delete(`${ROUTE_PROJECT_MEMBERS}/:member`, async (req, res) => {
    await service.remove(ctxOf(req), project(req.params), req.params.member as string);
    res.status(204).end();
  });

  return router;
}
