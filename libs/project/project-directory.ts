import type { Ctx } from '../x';

/** A project as the admin plane needs it: its id and the slug its realm is named after. */
export interface ProjectRef {
  readonly id: string;
  /** The realm of the project: reachable at `/realms/{slug}` and `{slug}<realm_host_suffix>`. */
  readonly slug: string;
}

/**
 * Finds a project by the `{project}` of a `/projects/{project}/…` path (the project id; a directory may
 * also accept the slug, as Ory Network does). The port the project API keys and the admin plane stand on;
 * the projects service implements it. Invariant: the file-configured `default` realm is never a project.
 */
export interface ProjectDirectory {
  get(ctx: Ctx, project: string): Promise<ProjectRef | undefined>;
}
