import type { OidcPayloadRecord, OidcPayloadStore } from './oidc-payload-store';
import { ByRealm, type Ctx } from '../../x';

const live = (r: OidcPayloadRecord, now: Date): boolean => !r.expiresAt || r.expiresAt.getTime() > now.getTime();

/** In-memory `OidcPayloadStore` for unit tests (same semantics as the database store). */
export class MemoryOidcPayloadStore implements OidcPayloadStore {
  private readonly rowsByRealm = new ByRealm<Map<string, OidcPayloadRecord>>(() => new Map<string, OidcPayloadRecord>());
  private rows(ctx: Ctx): Map<string, OidcPayloadRecord> {
    return this.rowsByRealm.of(ctx);
  }
  private key = (model: string, id: string): string => `${model}\u0000${id}`;

  async upsert(ctx: Ctx, record: OidcPayloadRecord): Promise<void> {
    const existing = this.rows(ctx).get(this.key(record.model, record.id));
    this.rows(ctx).set(this.key(record.model, record.id), { ...record, consumedAt: existing?.consumedAt });
  }
  async find(ctx: Ctx, model: string, id: string, now: Date): Promise<OidcPayloadRecord | undefined> {
    const r = this.rows(ctx).get(this.key(model, id));
    return r && live(r, now) ? r : undefined;
  }
  async findModel(ctx: Ctx, models: readonly string[], id: string, now: Date): Promise<string | undefined> {
    for (const model of models) if (await this.find(ctx, model, id, now)) return model;
    return undefined;
  }
  async findByUid(ctx: Ctx, model: string, uid: string, now: Date): Promise<OidcPayloadRecord | undefined> {
    return [...this.rows(ctx).values()].find((r) => r.model === model && r.uid === uid && live(r, now));
  }
  async findByUserCode(ctx: Ctx, model: string, userCode: string, now: Date): Promise<OidcPayloadRecord | undefined> {
    return [...this.rows(ctx).values()].find((r) => r.model === model && r.userCode === userCode && live(r, now));
  }
  async consume(ctx: Ctx, model: string, id: string, at: Date): Promise<boolean> {
    const r = this.rows(ctx).get(this.key(model, id));
    if (!r || r.consumedAt) return false;
    this.rows(ctx).set(this.key(model, id), { ...r, consumedAt: at });
    return true;
  }
  async destroy(ctx: Ctx, model: string, id: string): Promise<void> {
    this.rows(ctx).delete(this.key(model, id));
  }
  async revokeByGrantId(ctx: Ctx, model: string, grantId: string): Promise<void> {
    for (const [k, r] of this.rows(ctx)) if (r.model === model && r.grantId === grantId) this.rows(ctx).delete(k);
  }
  async listByAccount(ctx: Ctx, model: string, accountId: string, now: Date): Promise<OidcPayloadRecord[]> {
    return [...this.rows(ctx).values()].filter((r) => r.model === model && r.accountId === accountId && live(r, now));
  }
  async deleteByClient(ctx: Ctx, models: readonly string[], clientId: string): Promise<number> {
    return this.deleteWhere(ctx, (r) => models.includes(r.model) && r.clientId === clientId);
  }
  async deleteByAccount(ctx: Ctx, models: readonly string[], accountId: string): Promise<number> {
    return this.deleteWhere(ctx, (r) => models.includes(r.model) && r.accountId === accountId);
  }
  async deleteExpired(ctx: Ctx, now: Date, limit: number): Promise<number> {
    let n = 0;
    return this.deleteWhere(ctx, (r) => !live(r, now) && n++ < limit);
  }
  private deleteWhere(ctx: Ctx, predicate: (r: OidcPayloadRecord) => boolean): number {
    let deleted = 0;
    for (const [k, r] of this.rows(ctx)) {
      if (predicate(r)) {
        this.rows(ctx).delete(k);
        deleted++;
      }
    }
    return deleted;
  }
}
