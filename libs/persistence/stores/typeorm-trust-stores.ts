import { createHash } from 'node:crypto';
import { LessThanOrEqual } from 'typeorm';
import { DuplicateTrustGrantError, type JtiStore, type ListTrustGrantsQuery, type TrustGrant, type TrustGrantPage, type TrustGrantStore } from '../../oauth2/trust';
import type { Transaction } from '../../x';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { type TrustGrantRow, TrustGrantSchema, TrustJtiSchema } from '../schemas/trust.schema';

/** `TrustGrantStore` on `oauth2_trust_grants`; (issuer, subject, key_id) is unique. */
export class TypeormTrustGrantStore implements TrustGrantStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(tx?: Transaction) {
    return this.persistence.manager(tx).getRepository(TrustGrantSchema);
  }

  async create(grant: TrustGrant, tx?: Transaction): Promise<void> {
    try {
      await this.repo(tx).insert(toRow(grant) as never);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DuplicateTrustGrantError(grant);
      throw error;
    }
  }

  async get(id: string, tx?: Transaction): Promise<TrustGrant | undefined> {
    const row = await this.repo(tx).findOneBy({ id });
    return row ? fromRow(row) : undefined;
  }

  async list(query: ListTrustGrantsQuery, tx?: Transaction): Promise<TrustGrantPage> {
    const where = query.issuer !== undefined ? { issuer: query.issuer } : {};
    const [rows, total] = await this.repo(tx).findAndCount({ where, order: { created_at: 'ASC', id: 'ASC' }, skip: query.offset, take: query.limit });
    return { grants: rows.map(fromRow), total };
  }

  async delete(id: string, tx?: Transaction): Promise<boolean> {
    return ((await this.repo(tx).delete({ id })).affected ?? 0) > 0;
  }

  async findForAssertion(issuer: string, subject: string, kid?: string, tx?: Transaction): Promise<TrustGrant[]> {
    const key = kid === undefined ? {} : { key_id: kid };
    const rows = await this.repo(tx).find({
      where: [
        { issuer, subject, ...key },
        { issuer, allow_any_subject: true, ...key },
      ],
      order: { created_at: 'ASC', id: 'ASC' },
    });
    return rows.map(fromRow);
  }

  async countByKey(issuer: string, kid: string, tx?: Transaction): Promise<number> {
    return this.repo(tx).countBy({ issuer, key_id: kid });
  }
}

/** `JtiStore` on `oauth2_trust_jtis`: the primary key (SHA-256 of issuer and jti) makes `markUsed` atomic. */
export class TypeormJtiStore implements JtiStore {
  constructor(private readonly persistence: Persistence) {}

  private repo() {
    return this.persistence.manager().getRepository(TrustJtiSchema);
  }

  async markUsed(issuer: string, jti: string, expiresAt: Date, now: Date): Promise<boolean> {
    const signature = createHash('sha256').update(JSON.stringify([issuer, jti])).digest('hex');
    await this.repo().delete({ signature, expires_at: LessThanOrEqual(now) });
    try {
      await this.repo().insert({ signature, expires_at: expiresAt });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.repo().delete({ expires_at: LessThanOrEqual(now) })).affected ?? 0;
  }
}

function toRow(g: TrustGrant): TrustGrantRow {
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
