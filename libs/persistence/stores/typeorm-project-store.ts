import { type ProjectRecord, type ProjectRecordChange, ProjectExistsError, type ProjectStore } from '../../project';
import { type Ctx, isUuid } from '../../x';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { rawDate, rawJson, rawTimeParam } from '../raw-values';

const COLUMNS = 'id, nid, name, revision_id, permission_config, created_at, updated_at';

/**
 * `ProjectStore` on the `projects` table (migration 17). Process-wide like `realms`: rows are found by id
 * or slug, not by the request's realm. The slug is the `nid` column, so `TypeormRealmStore.delete`, which
 * deletes every row tagged with the realm, deletes the project record with its realm.
 */
export class TypeormProjectStore implements ProjectStore {
  constructor(private readonly persistence: Persistence) {}

  async insert(ctx: Ctx, record: ProjectRecord): Promise<void> {
    try {
      await this.persistence.executeNow(
        `INSERT INTO projects (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          record.id,
          record.slug,
          record.name,
          record.revision_id,
          record.permission_config === null ? null : JSON.stringify(record.permission_config),
          this.time(record.created_at),
          this.time(record.updated_at),
        ],
        ctx.tx,
      );
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ProjectExistsError(record.slug);
      throw error;
    }
  }

  async get(ctx: Ctx, idOrSlug: string): Promise<ProjectRecord | undefined> {
    const column = isUuid(idOrSlug) ? 'id' : 'nid';
    const [row] = await this.persistence.read(`SELECT ${COLUMNS} FROM projects WHERE ${column} = ?`, [isUuid(idOrSlug) ? idOrSlug.toLowerCase() : idOrSlug], ctx.tx);
    return row ? fromRaw(row) : undefined;
  }

  async getForUpdate(ctx: Ctx, id: string): Promise<ProjectRecord | undefined> {
    const tx = this.persistence.lockingTx(ctx.tx, 'ProjectStore.getForUpdate');
    const lock = this.persistence.dialect === 'mysql' ? ' FOR UPDATE' : '';
    const [row] = await this.persistence.read(`SELECT ${COLUMNS} FROM projects WHERE id = ?${lock}`, [id.toLowerCase()], tx);
    return row ? fromRaw(row) : undefined;
  }

  async list(ctx: Ctx): Promise<ProjectRecord[]> {
    return (await this.persistence.read(`SELECT ${COLUMNS} FROM projects ORDER BY created_at, id`, [], ctx.tx)).map(fromRaw);
  }

  async update(ctx: Ctx, id: string, change: ProjectRecordChange, now: Date): Promise<boolean> {
    const changed = await this.persistence.executeNow(
      'UPDATE projects SET name = ?, revision_id = ?, permission_config = ?, updated_at = ? WHERE id = ?',
      [change.name, change.revision_id, change.permission_config === null ? null : JSON.stringify(change.permission_config), this.time(now), id],
      ctx.tx,
    );
    return changed > 0;
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    return (await this.persistence.executeNow('DELETE FROM projects WHERE id = ?', [id], ctx.tx)) > 0;
  }

  private time(date: Date): unknown {
    return rawTimeParam(this.persistence.dialect, date);
  }
}

function fromRaw(row: Record<string, unknown>): ProjectRecord {
  return {
    id: String(row.id),
    slug: String(row.nid),
    name: String(row.name),
    revision_id: String(row.revision_id),
    permission_config: row.permission_config === null || row.permission_config === undefined ? null : rawJson<Record<string, unknown>>(row.permission_config),
    created_at: rawDate(row.created_at),
    updated_at: rawDate(row.updated_at),
  };
}
