import { RealmExistsError, type RealmStore, type StoredRealm } from '../../config';
import type { Ctx } from '../../x';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { rawDate, rawJson, rawTimeParam } from '../raw-values';

const COLUMNS = 'name, config, revision, created_at, updated_at';

/**
 * `RealmStore` on the `realms` table. `update` increments the revision in the database
 * (`revision = revision + 1`, affected-row check), so concurrent updates never lose a step.
 */
export class TypeormRealmStore implements RealmStore {
  constructor(private readonly persistence: Persistence) {}

  async get(ctx: Ctx, name: string): Promise<StoredRealm | undefined> {
    const [row] = await this.persistence.read(`SELECT ${COLUMNS} FROM realms WHERE name = ?`, [name], ctx.tx);
    return row ? fromRaw(row) : undefined;
  }

  async list(ctx: Ctx): Promise<StoredRealm[]> {
    return (await this.persistence.read(`SELECT ${COLUMNS} FROM realms ORDER BY name`, [], ctx.tx)).map(fromRaw);
  }

  async create(ctx: Ctx, name: string, config: Readonly<Record<string, unknown>>): Promise<StoredRealm> {
    const now = this.time(new Date());
    try {
      await this.persistence.executeNow(`INSERT INTO realms (${COLUMNS}) VALUES (?, ?, 1, ?, ?)`, [name, JSON.stringify(config), now, now], ctx.tx);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new RealmExistsError(name);
      throw error;
    }
    return this.require(ctx, name);
  }

  async update(ctx: Ctx, name: string, config: Readonly<Record<string, unknown>>): Promise<StoredRealm | undefined> {
    const changed = await this.persistence.executeNow(
      'UPDATE realms SET config = ?, revision = revision + 1, updated_at = ? WHERE name = ?',
      [JSON.stringify(config), this.time(new Date()), name],
      ctx.tx,
    );
    return changed > 0 ? this.get(ctx, name) : undefined;
  }

  async delete(ctx: Ctx, name: string): Promise<boolean> {
    return (await this.persistence.executeNow('DELETE FROM realms WHERE name = ?', [name], ctx.tx)) > 0;
  }

  private async require(ctx: Ctx, name: string): Promise<StoredRealm> {
    const realm = await this.get(ctx, name);
    if (!realm) throw new Error(`realm "${name}" vanished right after it was written`);
    return realm;
  }

  private time(date: Date): unknown {
    return rawTimeParam(this.persistence.dialect, date);
  }
}

function fromRaw(row: Record<string, unknown>): StoredRealm {
  return {
    name: String(row.name),
    config: rawJson<Record<string, unknown>>(row.config),
    revision: Number(row.revision),
    created_at: rawDate(row.created_at),
    updated_at: rawDate(row.updated_at),
  };
}
