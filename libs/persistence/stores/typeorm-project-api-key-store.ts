import type { ProjectApiKey, ProjectApiKeyOwner, ProjectApiKeyStore } from '../../project';
import type { Ctx } from '../../x';
import type { Persistence } from '../persistence';
import { insertSql } from '../raw-sql';
import { rawDate, rawTimeParam } from '../raw-values';

const INSERT = insertSql('project_api_keys', ['nid', 'id', 'name', 'owner_id', 'key_hash', 'created_at']);

/**
 * `ProjectApiKeyStore` on `project_api_keys` (migration 1700000000018), raw statements. Writes commit
 * before they resolve (`executeNow`: no group-commit delay), so a deleted key misses on the next lookup
 * of every process; `findByHash` is one read on the unique hash index, never cached.
 */
export class TypeormProjectApiKeyStore implements ProjectApiKeyStore {
  constructor(private readonly persistence: Persistence) {}

  async create(ctx: Ctx, key: ProjectApiKey): Promise<void> {
    await this.persistence.executeNow(INSERT, [ctx.realm, key.id, key.name, key.ownerId, key.keyHash, rawTimeParam(this.persistence.dialect, key.createdAt)], ctx.tx);
  }

  async list(ctx: Ctx): Promise<ProjectApiKey[]> {
    const rows = await this.persistence.read('SELECT nid, id, name, owner_id, key_hash, created_at FROM project_api_keys WHERE nid = ? ORDER BY created_at, id', [ctx.realm], ctx.tx);
    return rows.map((r) => ({
      id: String(r.id),
      realm: String(r.nid),
      name: String(r.name),
      ownerId: String(r.owner_id),
      keyHash: String(r.key_hash),
      createdAt: rawDate(r.created_at),
    }));
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    return (await this.persistence.executeNow('DELETE FROM project_api_keys WHERE nid = ? AND id = ?', [ctx.realm, id], ctx.tx)) > 0;
  }

  /** The one read across realms: it answers the realm (`nid`) the key belongs to. */
  async findByHash(ctx: Ctx, keyHash: string): Promise<ProjectApiKeyOwner | undefined> {
    const [row] = await this.persistence.read('SELECT nid, id FROM project_api_keys WHERE key_hash = ?', [keyHash], ctx.tx);
    return row ? { realm: String(row.nid), id: String(row.id) } : undefined;
  }
}
