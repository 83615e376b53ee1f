import type { ProjectMemberStore, ProjectMembership } from '../../project';
import type { Ctx } from '../../x';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { rawDate, rawTimeParam } from '../raw-values';

/**
 * `ProjectMemberStore` on `project_members` (migration 1700000000022), raw statements scoped by
 * `ctx.realm` (the project's realm) but for `projectsOf`. Writes commit before they resolve
 * (`executeNow`): a removed member is refused on the next request of every process.
 */
export class TypeormProjectMemberStore implements ProjectMemberStore {
  constructor(private readonly persistence: Persistence) {}

  async add(ctx: Ctx, identityId: string, now: Date): Promise<boolean> {
    try {
      await this.persistence.executeNow('INSERT INTO project_members (nid, identity_id, created_at) VALUES (?, ?, ?)', [ctx.realm, identityId, rawTimeParam(this.persistence.dialect, now)], ctx.tx);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async remove(ctx: Ctx, identityId: string): Promise<boolean> {
    return (await this.persistence.executeNow('DELETE FROM project_members WHERE nid = ? AND identity_id = ?', [ctx.realm, identityId], ctx.tx)) > 0;
  }

  async list(ctx: Ctx): Promise<ProjectMembership[]> {
    const rows = await this.persistence.read('SELECT identity_id, created_at FROM project_members WHERE nid = ? ORDER BY created_at, identity_id', [ctx.realm], ctx.tx);
    return rows.map((r) => ({ identityId: String(r.identity_id), createdAt: rawDate(r.created_at) }));
  }

  async has(ctx: Ctx, identityId: string): Promise<boolean> {
    const [row] = await this.persistence.read('SELECT 1 AS found FROM project_members WHERE nid = ? AND identity_id = ?', [ctx.realm, identityId], ctx.tx);
    return row !== undefined;
  }

  /** The one read across realms: the realms the identity is a member of. */
  async projectsOf(ctx: Ctx, identityId: string): Promise<string[]> {
    const rows = await this.persistence.read('SELECT nid FROM project_members WHERE identity_id = ? ORDER BY nid', [identityId], ctx.tx);
    return rows.map((r) => String(r.nid));
  }
}
