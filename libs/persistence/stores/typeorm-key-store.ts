import { DuplicateKeyIdError, type KeyStore, type StoredKey } from '../../keys';
import type { Ctx } from '../../x';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { type JwkRow, JwkSchema } from '../schemas/oauth2.schema';

/** `KeyStore` on `oauth2_jwks`; (set_id, kid) is unique, newest first means created_at then pk descending. */
export class TypeormKeyStore implements KeyStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(ctx: Ctx) {
    return this.persistence.manager(ctx.tx).getRepository(JwkSchema);
  }

  async addKey(ctx: Ctx, key: StoredKey): Promise<void> {
    try {
      await this.repo(ctx).insert({ nid: ctx.realm, set_id: key.set, kid: key.kid, alg: key.alg, key_use: key.use, key_data: key.keyData, created_at: key.createdAt });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DuplicateKeyIdError(key.set, key.kid);
      throw error;
    }
  }

  async listKeys(ctx: Ctx, set: string): Promise<StoredKey[]> {
    const rows = await this.repo(ctx).find({ where: { nid: ctx.realm, set_id: set }, order: { created_at: 'DESC', pk: 'DESC' } });
    return rows.map(fromRow);
  }

  async getKey(ctx: Ctx, set: string, kid: string): Promise<StoredKey | undefined> {
    const row = await this.repo(ctx).findOneBy({ nid: ctx.realm, set_id: set, kid });
    return row ? fromRow(row) : undefined;
  }

  async deleteKey(ctx: Ctx, set: string, kid: string): Promise<boolean> {
    return ((await this.repo(ctx).delete({ nid: ctx.realm, set_id: set, kid })).affected ?? 0) > 0;
  }

  async deleteSet(ctx: Ctx, set: string): Promise<number> {
    return (await this.repo(ctx).delete({ nid: ctx.realm, set_id: set })).affected ?? 0;
  }
}

function fromRow(r: JwkRow): StoredKey {
  return { set: r.set_id, kid: r.kid, alg: r.alg, use: r.key_use, keyData: r.key_data, createdAt: r.created_at };
}
