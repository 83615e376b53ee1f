import { FILE_REALM, RealmExistsError, type RealmStore, type StoredRealm } from '../../config';
import type { SessionInvalidation } from '../../session';
import { type Ctx, type KeysetPage, type KeysetWindow, keysetPage } from '../../x';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { rawDate, rawJson, rawTimeParam } from '../raw-values';

const COLUMNS = 'name, config, revision, created_at, updated_at';

/** The realm column every realm-scoped table carries (migration 1700000000015). */
const REALM_COLUMN = 'nid';

/**
 * `RealmStore` on the `realms` table. `update` increments the revision in the database
 * (`revision = revision + 1`, affected-row check), so concurrent updates never lose a step.
 * `delete` removes the realm row and every row tagged with the realm in one transaction.
 */
export class TypeormRealmStore implements RealmStore {
  /** `changes` (the whoami cache) drops a deleted realm's entries once the deletion has committed. */
  constructor(
    private readonly persistence: Persistence,
    private readonly changes?: SessionInvalidation,
  ) {}

  async get(ctx: Ctx, name: string): Promise<StoredRealm | undefined> {
    const [row] = await this.persistence.read(`SELECT ${COLUMNS} FROM realms WHERE name = ?`, [name], ctx.tx);
    return row ? fromRaw(row) : undefined;
  }

  async list(ctx: Ctx): Promise<StoredRealm[]> {
    return (await this.persistence.read(`SELECT ${COLUMNS} FROM realms ORDER BY name`, [], ctx.tx)).map(fromRaw);
  }

  async listPage(ctx: Ctx, window: KeysetWindow): Promise<KeysetPage<StoredRealm>> {
    const limit = Math.floor(window.size) + 1;
    const rows = window.after
      ? await this.persistence.read(`SELECT ${COLUMNS} FROM realms WHERE name > ? ORDER BY name LIMIT ${limit}`, [window.after[0]], ctx.tx)
      : await this.persistence.read(`SELECT ${COLUMNS} FROM realms ORDER BY name LIMIT ${limit} OFFSET ${Math.floor(window.offset ?? 0)}`, [], ctx.tx);
    return keysetPage(rows.map(fromRaw), window.size, (r) => [r.name]);
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

  /**
   * Deletes the realm row and, in the same transaction, every row whose `nid` is `name` in every table
   * that has a `nid` column — read from the database's own catalogue, so a table added later is covered
   * without a list to keep in step. Nothing is deleted when there is no such realm.
   * @throws Error for the file-configured realm `default`, whose rows are never deleted here.
   */
  async delete(ctx: Ctx, name: string): Promise<boolean> {
    if (name === FILE_REALM) throw new Error(`the realm "${FILE_REALM}" cannot be deleted`);
    const work = async (tx: Ctx): Promise<boolean> => {
      if ((await this.persistence.executeNow('DELETE FROM realms WHERE name = ?', [name], tx.tx)) === 0) return false;
      for (const table of await this.realmTables(tx)) {
        await this.persistence.executeNow(`DELETE FROM ${this.quote(table)} WHERE ${REALM_COLUMN} = ?`, [name], tx.tx);
      }
      if (this.changes && tx.tx) this.persistence.afterTransaction(tx.tx, () => this.changes?.invalidateRealm(name));
      return true;
    };
    return ctx.tx ? work(ctx) : this.persistence.withTransaction(ctx, work);
  }

  /** Every table of the connected database with a `nid` column. */
  private async realmTables(ctx: Ctx): Promise<string[]> {
    const sql =
      this.persistence.dialect === 'mysql'
        ? `SELECT TABLE_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = '${REALM_COLUMN}' ORDER BY TABLE_NAME`
        : `SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = '${REALM_COLUMN}' ORDER BY m.name`;
    return (await this.persistence.read(sql, [], ctx.tx)).map((row) => String(row.name));
  }

  private quote(table: string): string {
    if (!/^[A-Za-z0-9_]+$/.test(table)) throw new Error(`unexpected table name ${JSON.stringify(table)}`);
    return this.persistence.dialect === 'mysql' ? `\`${table}\`` : `"${table}"`;
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
