import type { OidcPayloadRecord, OidcPayloadStore } from '../../oauth2/provider';
import type { Transaction } from '../../x';
import type { Persistence } from '../persistence';
import { upsertSql } from '../raw-sql';
import { rawJson, rawOptionalDate, rawTimeParam } from '../raw-values';

const TABLE = 'oauth2_oidc_payloads';
const COLUMNS = 'model, id, payload, grant_id, uid, user_code, account_id, client_id, expires_at, consumed_at';
const LIVE = '(expires_at IS NULL OR expires_at > ?)';

/**
 * `OidcPayloadStore` on `oauth2_oidc_payloads` with raw, indexed statements: this table takes a write
 * for every token, code, interaction and session save, so it skips the query builder.
 */
export class TypeormOidcPayloadStore implements OidcPayloadStore {
  private readonly upsertSql: string;

  constructor(private readonly persistence: Persistence) {
    // `consumed_at` is in neither list: NULL for a new row, kept for an existing one.
    this.upsertSql = upsertSql(persistence.dialect, TABLE, ['model', 'id'], ['payload', 'grant_id', 'uid', 'user_code', 'account_id', 'client_id', 'expires_at']);
  }

  /** SQLite keeps TypeORM's UTC text format; mysql2 takes Date objects. */
  private time(date: Date | undefined): unknown {
    return rawTimeParam(this.persistence.dialect, date);
  }

  async upsert(r: OidcPayloadRecord, tx?: Transaction): Promise<void> {
    await this.persistence.execute(
      this.upsertSql,
      [r.model, r.id, JSON.stringify(r.payload), r.grantId ?? null, r.uid ?? null, r.userCode ?? null, r.accountId ?? null, r.clientId ?? null, this.time(r.expiresAt)],
      tx,
    );
  }

  async find(model: string, id: string, now: Date, tx?: Transaction): Promise<OidcPayloadRecord | undefined> {
    return this.one(`SELECT ${COLUMNS} FROM ${TABLE} WHERE model = ? AND id = ? AND ${LIVE}`, [model, id, this.time(now)], tx);
  }

  async findModel(models: readonly string[], id: string, now: Date, tx?: Transaction): Promise<string | undefined> {
    if (models.length === 0) return undefined;
    const sql = `SELECT model FROM ${TABLE} WHERE model IN (${models.map(() => '?').join(', ')}) AND id = ? AND ${LIVE} LIMIT 1`;
    const [row] = await this.persistence.read(sql, [...models, id, this.time(now)], tx);
    return row ? String(row.model) : undefined;
  }

  async findByUid(model: string, uid: string, now: Date, tx?: Transaction): Promise<OidcPayloadRecord | undefined> {
    return this.one(`SELECT ${COLUMNS} FROM ${TABLE} WHERE model = ? AND uid = ? AND ${LIVE}`, [model, uid, this.time(now)], tx);
  }

  async findByUserCode(model: string, userCode: string, now: Date, tx?: Transaction): Promise<OidcPayloadRecord | undefined> {
    return this.one(`SELECT ${COLUMNS} FROM ${TABLE} WHERE model = ? AND user_code = ? AND ${LIVE}`, [model, userCode, this.time(now)], tx);
  }

  async consume(model: string, id: string, at: Date, tx?: Transaction): Promise<boolean> {
    // Compare-and-set, committed at once: of two requests redeeming the same code, exactly one wins.
    return (await this.persistence.executeNow(`UPDATE ${TABLE} SET consumed_at = ? WHERE model = ? AND id = ? AND consumed_at IS NULL`, [this.time(at), model, id], tx)) > 0;
  }

  async destroy(model: string, id: string, tx?: Transaction): Promise<void> {
    await this.persistence.execute(`DELETE FROM ${TABLE} WHERE model = ? AND id = ?`, [model, id], tx);
  }

  async revokeByGrantId(model: string, grantId: string, tx?: Transaction): Promise<void> {
    await this.persistence.execute(`DELETE FROM ${TABLE} WHERE model = ? AND grant_id = ?`, [model, grantId], tx);
  }

  async listByAccount(model: string, accountId: string, now: Date, tx?: Transaction): Promise<OidcPayloadRecord[]> {
    const rows = await this.persistence.read(`SELECT ${COLUMNS} FROM ${TABLE} WHERE model = ? AND account_id = ? AND ${LIVE}`, [model, accountId, this.time(now)], tx);
    return rows.map(fromRaw);
  }

  async deleteByClient(models: readonly string[], clientId: string, tx?: Transaction): Promise<number> {
    if (models.length === 0) return 0;
    return this.persistence.execute(`DELETE FROM ${TABLE} WHERE model IN (${models.map(() => '?').join(', ')}) AND client_id = ?`, [...models, clientId], tx);
  }

  async deleteByAccount(models: readonly string[], accountId: string, tx?: Transaction): Promise<number> {
    if (models.length === 0) return 0;
    return this.persistence.execute(`DELETE FROM ${TABLE} WHERE model IN (${models.map(() => '?').join(', ')}) AND account_id = ?`, [...models, accountId], tx);
  }

  async deleteExpired(now: Date, limit: number, tx?: Transaction): Promise<number> {
    const n = Math.max(1, Math.floor(limit));
    const sql =
      this.persistence.dialect === 'mysql'
        ? `DELETE FROM ${TABLE} WHERE expires_at <= ? LIMIT ${n}`
        : `DELETE FROM ${TABLE} WHERE rowid IN (SELECT rowid FROM ${TABLE} WHERE expires_at <= ? LIMIT ${n})`;
    return this.persistence.execute(sql, [this.time(now)], tx);
  }

  private async one(sql: string, params: unknown[], tx?: Transaction): Promise<OidcPayloadRecord | undefined> {
    const [row] = await this.persistence.read(sql, params, tx);
    return row ? fromRaw(row) : undefined;
  }
}

function fromRaw(r: Record<string, unknown>): OidcPayloadRecord {
  const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
  return {
    model: String(r.model),
    id: String(r.id),
    payload: rawJson<Record<string, unknown>>(r.payload),
    grantId: opt(r.grant_id),
    uid: opt(r.uid),
    userCode: opt(r.user_code),
    accountId: opt(r.account_id),
    clientId: opt(r.client_id),
    expiresAt: rawOptionalDate(r.expires_at),
    consumedAt: rawOptionalDate(r.consumed_at),
  };
}
