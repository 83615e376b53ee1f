import type { OidcPayloadRecord, OidcPayloadStore } from '../../oauth2/provider';
import type { Ctx } from '../../x';
import type { Persistence } from '../persistence';
import { boundedWriteSql, runBounded } from '../bounded-write';
import { upsertSql } from '../raw-sql';
import { rawJson, rawOptionalDate, rawTimeParam } from '../raw-values';

const TABLE = 'oauth2_oidc_payloads';
const COLUMNS = 'model, id, payload, grant_id, uid, user_code, account_id, client_id, expires_at, consumed_at';
const LIVE = '(expires_at IS NULL OR expires_at > ?)';

/**
 * `OidcPayloadStore` on `oauth2_oidc_payloads`, scoped by `ctx.realm` (`nid` leads the key and every index), with raw, indexed statements: this table takes a write
 * for every token, code, interaction and session save, so it skips the query builder.
 */
export class TypeormOidcPayloadStore implements OidcPayloadStore {
  private readonly upsertSql: string;

  constructor(private readonly persistence: Persistence) {
    // `consumed_at` is in neither list: NULL for a new row, kept for an existing one.
    this.upsertSql = upsertSql(persistence.dialect, TABLE, ['nid', 'model', 'id'], ['payload', 'grant_id', 'uid', 'user_code', 'account_id', 'client_id', 'expires_at']);
  }

  /** SQLite keeps TypeORM's UTC text format; mysql2 takes Date objects. */
  private time(date: Date | undefined): unknown {
    return rawTimeParam(this.persistence.dialect, date);
  }

  async upsert(ctx: Ctx, r: OidcPayloadRecord): Promise<void> {
    await this.persistence.execute(
      this.upsertSql,
      [ctx.realm, r.model, r.id, JSON.stringify(r.payload), r.grantId ?? null, r.uid ?? null, r.userCode ?? null, r.accountId ?? null, r.clientId ?? null, this.time(r.expiresAt)],
      ctx.tx,
    );
  }

  async find(ctx: Ctx, model: string, id: string, now: Date): Promise<OidcPayloadRecord | undefined> {
    return this.one(ctx, `SELECT ${COLUMNS} FROM ${TABLE} WHERE nid = ? AND model = ? AND id = ? AND ${LIVE}`, [ctx.realm, model, id, this.time(now)]);
  }

  async findModel(ctx: Ctx, models: readonly string[], id: string, now: Date): Promise<string | undefined> {
    if (models.length === 0) return undefined;
    const sql = `SELECT model FROM ${TABLE} WHERE nid = ? AND model IN (${models.map(() => '?').join(', ')}) AND id = ? AND ${LIVE} LIMIT 1`;
    const [row] = await this.persistence.read(sql, [ctx.realm, ...models, id, this.time(now)], ctx.tx);
    return row ? String(row.model) : undefined;
  }

  async findByUid(ctx: Ctx, model: string, uid: string, now: Date): Promise<OidcPayloadRecord | undefined> {
    return this.one(ctx, `SELECT ${COLUMNS} FROM ${TABLE} WHERE nid = ? AND model = ? AND uid = ? AND ${LIVE}`, [ctx.realm, model, uid, this.time(now)]);
  }

  async findByUserCode(ctx: Ctx, model: string, userCode: string, now: Date): Promise<OidcPayloadRecord | undefined> {
    return this.one(ctx, `SELECT ${COLUMNS} FROM ${TABLE} WHERE nid = ? AND model = ? AND user_code = ? AND ${LIVE}`, [ctx.realm, model, userCode, this.time(now)]);
  }

  async consume(ctx: Ctx, model: string, id: string, at: Date): Promise<boolean> {
    // Compare-and-set, committed at once: of two requests redeeming the same code, exactly one wins.
    return (await this.persistence.executeNow(`UPDATE ${TABLE} SET consumed_at = ? WHERE nid = ? AND model = ? AND id = ? AND consumed_at IS NULL`, [this.time(at), ctx.realm, model, id], ctx.tx)) > 0;
  }

  async destroy(ctx: Ctx, model: string, id: string): Promise<void> {
    await this.persistence.execute(`DELETE FROM ${TABLE} WHERE nid = ? AND model = ? AND id = ?`, [ctx.realm, model, id], ctx.tx);
  }

  /** In chunks of 1,000 rows ({@link runBounded}); resolves once every token of the grant is gone. */
  async revokeByGrantId(ctx: Ctx, model: string, grantId: string): Promise<void> {
    await runBounded(this.persistence, { table: TABLE, where: 'nid = ? AND model = ? AND grant_id = ?', params: [ctx.realm, model, grantId] }, ctx.tx);
  }

  async listByAccount(ctx: Ctx, model: string, accountId: string, now: Date): Promise<OidcPayloadRecord[]> {
    const rows = await this.persistence.read(`SELECT ${COLUMNS} FROM ${TABLE} WHERE nid = ? AND model = ? AND account_id = ? AND ${LIVE}`, [ctx.realm, model, accountId, this.time(now)], ctx.tx);
    return rows.map(fromRaw);
  }

  /**
   * In chunks of 1,000 rows, one model at a time (each chunk walks the `(nid, model, client_id)` index), yielding
   * to other requests between chunks; resolves once every matching row is gone.
   */
  async deleteByClient(ctx: Ctx, models: readonly string[], clientId: string): Promise<number> {
    let total = 0;
    for (const model of models) total += await runBounded(this.persistence, { table: TABLE, where: 'nid = ? AND model = ? AND client_id = ?', params: [ctx.realm, model, clientId] }, ctx.tx);
    return total;
  }

  /** Like {@link deleteByClient}, on the `(nid, model, account_id)` index. */
  async deleteByAccount(ctx: Ctx, models: readonly string[], accountId: string): Promise<number> {
    let total = 0;
    for (const model of models) total += await runBounded(this.persistence, { table: TABLE, where: 'nid = ? AND model = ? AND account_id = ?', params: [ctx.realm, model, accountId] }, ctx.tx);
    return total;
  }

  async deleteExpired(ctx: Ctx, now: Date, limit: number): Promise<number> {
    return this.persistence.execute(boundedWriteSql(this.persistence.dialect, { table: TABLE, where: 'nid = ? AND expires_at <= ?', params: [] }, limit), [ctx.realm, this.time(now)], ctx.tx);
  }

  private async one(ctx: Ctx, sql: string, params: unknown[]): Promise<OidcPayloadRecord | undefined> {
    const [row] = await this.persistence.read(sql, params, ctx.tx);
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
