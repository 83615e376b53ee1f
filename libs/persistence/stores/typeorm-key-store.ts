import { DuplicateKeyIdError, type KeyStore, type StoredKey } from '../../keys';
import type { Transaction } from '../../x';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { type JwkRow, JwkSchema } from '../schemas/oauth2.schema';

/** `KeyStore` on `oauth2_jwks`; (set_id, kid) is unique, newest first means created_at then pk descending. */
export class TypeormKeyStore implements KeyStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(tx?: Transaction) {
    return this.persistence.manager(tx).getRepository(JwkSchema);
  }

  async addKey(key: StoredKey, tx?: Transaction): Promise<void> {
    try {
      await this.repo(tx).insert({ set_id: key.set, kid: key.kid, alg: key.alg, key_use: key.use, key_data: key.keyData, created_at: key.createdAt });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DuplicateKeyIdError(key.set, key.kid);
      throw error;
    }
  }

  async listKeys(set: string, tx?: Transaction): Promise<StoredKey[]> {
    const rows = await this.repo(tx).find({ where: { set_id: set }, order: { created_at: 'DESC', pk: 'DESC' } });
    return rows.map(fromRow);
  }

  async getKey(set: string, kid: string, tx?: Transaction): Promise<StoredKey | undefined> {
    const row = await this.repo(tx).findOneBy({ set_id: set, kid });
    return row ? fromRow(row) : undefined;
  }

  async deleteKey(set: string, kid: string, tx?: Transaction): Promise<boolean> {
    return ((await this.repo(tx).delete({ set_id: set, kid })).affected ?? 0) > 0;
  }

  async deleteSet(set: string, tx?: Transaction): Promise<number> {
    return (await this.repo(tx).delete({ set_id: set })).affected ?? 0;
  }
}

function fromRow(r: JwkRow): StoredKey {
  return { set: r.set_id, kid: r.kid, alg: r.alg, use: r.key_use, keyData: r.key_data, createdAt: r.created_at };
}
