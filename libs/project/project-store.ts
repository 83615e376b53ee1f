import type { Ctx } from '../x';
import type { ProjectRecord } from './project';

/** What an update may change in a record. */
export interface ProjectRecordChange {
  readonly name: string;
  readonly revision_id: string;
  readonly permission_config: Readonly<Record<string, unknown>> | null;
}

/** Thrown by {@link ProjectStore.insert} when the slug (or id) is taken. */
export class ProjectExistsError extends Error {
  constructor(readonly slug: string) {
    super(`a project with the slug "${slug}" exists already`);
    this.name = 'ProjectExistsError';
  }
}

/**
 * Where project records live. Projects are process-wide control plane (like realms): statements are not
 * scoped by `ctx.realm`, which is the realm of the admin request, not of the project. The record's realm
 * column is `nid`, so deleting the realm (through any API) deletes the record in the same transaction.
 */
export interface ProjectStore {
  /** @throws ProjectExistsError when the slug or id is taken */
  insert(ctx: Ctx, record: ProjectRecord): Promise<void>;
  /** By id, or by slug when `idOrSlug` is not a UUID. */
  get(ctx: Ctx, idOrSlug: string): Promise<ProjectRecord | undefined>;
  /**
   * By id, locking the row until `ctx.tx` ends (MySQL `FOR UPDATE`; SQLite transactions exclude each
   * other already). @throws Error outside a transaction
   */
  getForUpdate(ctx: Ctx, id: string): Promise<ProjectRecord | undefined>;
  /** Every project, oldest first. */
  list(ctx: Ctx): Promise<ProjectRecord[]>;
  /** False when there is no such project. */
  update(ctx: Ctx, id: string, change: ProjectRecordChange, now: Date): Promise<boolean>;
  /** False when there was no such project. */
  delete(ctx: Ctx, id: string): Promise<boolean>;
}
