import { createHash } from 'node:crypto';
import { LessThanOrEqual } from 'typeorm';
import { DuplicateTrustGrantError, type JtiStore, type ListTrustGrantsQuery, type TrustGrant, type TrustGrantPage, type TrustGrantStore } from '../../oauth2/trust';
import { type Ctx, keysetPage, timeKey } from '../../x';
import { TIME_ID_KEY, keysetFind } from '../keyset-find';
import { runBounded } from '../bounded-write';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { rawDate, rawTimeParam } from '../raw-values';
import { type TrustGrantRow, TrustGrantSchema, TrustJtiSchema } from '../schemas/trust.schema';

/** `TrustGrantStore` on `oauth2_trust_grants`; (issuer, subject, key_id) is unique. */
export class TypeormTrustGrantStore implements TrustGrantStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(ctx: Ctx) {
    return this.persistence.manager(ctx.tx).getRepository(TrustGrantSchema);
  }

  async create(ctx: Ctx, grant: TrustGrant): Promise<void> {
    try {
      await this.repo(ctx).insert({ ...toRow(grant), nid: ctx.realm } as never);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DuplicateTrustGrantError(grant);
      throw error;
    }
  }

  async get(ctx: Ctx, id: string): Promise<TrustGrant | undefined> {
    const row = await this.repo(ctx).findOneBy({ nid: ctx.realm, id });
    return row ? fromRow(row) : undefined;
  }

  async list(ctx: Ctx, query: ListTrustGrantsQuery): Promise<TrustGrantPage> {
    const where = { nid: ctx.realm, ...(query.issuer !== undefined ? { issuer: query.issuer } : {}) };
    const rows = await this.repo(ctx).find(keysetFind(where, TIME_ID_KEY, 'ASC', query));
    const page = keysetPage(rows, query.size, (r) => [timeKey(rawDate(r.created_at)), r.id]);
    return { ...page, items: page.items.map(fromRow) };
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    return ((await this.repo(ctx).delete({ nid: ctx.realm, id })).affected ?? 0) > 0;
  }

  async findForAssertion(ctx: Ctx, issuer: string, subject: string, kid?: string): Promise<TrustGrant[]> {
    const key = kid === undefined ? {} : { key_id: kid };
    const rows = await this.repo(ctx).find({
      where: [
        { nid: ctx.realm, issuer, subject, ...key },
        { nid: ctx.realm, issuer, allow_any_subject: true, ...key },
      ],
      order: { created_at: 'ASC', id: 'ASC' },
    });
    return rows.map(fromRow);
  }

  async countByKey(ctx: Ctx, issuer: string, kid: string): Promise<number> {
    return this.repo(ctx).countBy({ nid: ctx.realm, issuer, key_id: kid });
  }
}

/** `JtiStore` on `oauth2_trust_jtis`: the primary key (SHA-256 of issuer and jti) makes `markUsed` atomic. */
export class TypeormJtiStore implements JtiStore {
  constructor(private readonly persistence: Persistence) {}

  /** Outside the caller's transaction, as before realms: a used jti stays recorded. */
  private jtis() {
    return this.persistence.manager().getRepository(TrustJtiSchema);
  }

  async markUsed(ctx: Ctx, issuer: string, jti: string, expiresAt: Date, now: Date): Promise<boolean> {
    const signature = createHash('sha256').update(JSON.stringify([issuer, jti])).digest('hex');
    await this.jtis().delete({ nid: ctx.realm, signature, expires_at: LessThanOrEqual(now) });
    try {
      await this.jtis().insert({ nid: ctx.realm, signature, expires_at: expiresAt });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** In chunks of 1,000 rows, yielding between chunks ({@link runBounded}). */
  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    return runBounded(this.persistence, { table: 'oauth2_trust_jtis', where: 'nid = ? AND expires_at <= ?', params: [ctx.realm, rawTimeParam(this.persistence.dialect, now)] });
  }
}

function toRow(g: TrustGrant): Omit<TrustGrantRow, 'nid'> {
  return {
    id: g.id,
    issuer: g.issuer,
    subject: g.subject,
    allow_any_subject: g.allowAnySubject,
    scope: [...g.scope],
    key_set: g.publicKey.set,
    key_id: g.publicKey.kid,
    created_at: g.createdAt,
    expires_at: g.expiresAt,
  };
}

function fromRow(r: TrustGrantRow): TrustGrant {
  return {
    id: r.id,
    issuer: r.issuer,
    subject: r.subject,
    allowAnySubject: Boolean(r.allow_any_subject),
    scope: r.scope ?? [],
    publicKey: { set: r.key_set, kid: r.key_id },
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}
