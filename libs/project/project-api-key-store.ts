import type { Ctx } from '../x';
import type { ProjectApiKey } from './project-api-key';

/** Where a key stands: its realm and id (what {@link ProjectApiKeyStore.findByHash} answers). */
export interface ProjectApiKeyOwner {
  readonly realm: string;
  readonly id: string;
}

/**
 * Project API keys, one row per key (`project_api_keys`). Every method but `findByHash` is scoped by
 * `ctx.realm` (the project's realm). `findByHash` is the one process-wide read: the admin plane must know
 * which project a presented key belongs to, to tell a wrong key (401) from one used outside its project (403).
 * Invariant: `delete` has taken effect in the database when it resolves, so the next `findByHash` of
 * any process misses the key.
 */
export interface ProjectApiKeyStore {
  create(ctx: Ctx, key: ProjectApiKey): Promise<void>;
  list(ctx: Ctx): Promise<ProjectApiKey[]>;
  /** @returns false when the realm has no key with that id */
  delete(ctx: Ctx, id: string): Promise<boolean>;
  findByHash(ctx: Ctx, keyHash: string): Promise<ProjectApiKeyOwner | undefined>;
}
