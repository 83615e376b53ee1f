import { DuplicateTrustGrantError, type JtiStore, type ListTrustGrantsQuery, type TrustGrantPage, type TrustGrantStore } from './grant-store';
import type { TrustGrant } from './trust-grant';
import { ByRealm, type Ctx, keysetPageOf, timeKey } from '../../x';

/** In-memory `TrustGrantStore` for unit tests; same rules as the database store. */
export class MemoryTrustGrantStore implements TrustGrantStore {
  private readonly grantsByRealm = new ByRealm<Map<string, TrustGrant>>(() => new Map<string, TrustGrant>());
  private grants(ctx: Ctx): Map<string, TrustGrant> {
    return this.grantsByRealm.of(ctx);
  }

  async create(ctx: Ctx, grant: TrustGrant): Promise<void> {
    const clash = [...this.grants(ctx).values()].some((g) => g.issuer === grant.issuer && g.subject === grant.subject && g.publicKey.kid === grant.publicKey.kid);
    if (clash || this.grants(ctx).has(grant.id)) throw new DuplicateTrustGrantError(grant);
    this.grants(ctx).set(grant.id, grant);
  }

  async get(ctx: Ctx, id: string): Promise<TrustGrant | undefined> {
    return this.grants(ctx).get(id);
  }

  async list(ctx: Ctx, query: ListTrustGrantsQuery): Promise<TrustGrantPage> {
    const matching = [...this.grants(ctx).values()].filter((g) => query.issuer === undefined || g.issuer === query.issuer);
    return keysetPageOf(matching, (g) => [timeKey(g.createdAt), g.id], 'ASC', query);
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    return this.grants(ctx).delete(id);
  }

  async findForAssertion(ctx: Ctx, issuer: string, subject: string, kid?: string): Promise<TrustGrant[]> {
    return [...this.grants(ctx).values()]
      .filter((g) => g.issuer === issuer && (g.allowAnySubject || g.subject === subject) && (kid === undefined || g.publicKey.kid === kid))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  }

  async countByKey(ctx: Ctx, issuer: string, kid: string): Promise<number> {
    return [...this.grants(ctx).values()].filter((g) => g.issuer === issuer && g.publicKey.kid === kid).length;
  }
}

/** In-memory `JtiStore` for unit tests. */
export class MemoryJtiStore implements JtiStore {
  private readonly usedByRealm = new ByRealm<Map<string, Date>>(() => new Map<string, Date>());
  private used(ctx: Ctx): Map<string, Date> {
    return this.usedByRealm.of(ctx);
  }

  async markUsed(ctx: Ctx, issuer: string, jti: string, expiresAt: Date, now: Date): Promise<boolean> {
    const key = JSON.stringify([issuer, jti]);
    const until = this.used(ctx).get(key);
    if (until && until.getTime() > now.getTime()) return false;
    this.used(ctx).set(key, expiresAt);
    return true;
  }

  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    let n = 0;
    for (const [key, until] of this.used(ctx)) {
      if (until.getTime() <= now.getTime()) {
        this.used(ctx).delete(key);
        n++;
      }
    }
    return n;
  }
}
