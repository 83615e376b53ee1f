import type { SecretKind, SecretStore } from '../../config';
import type { Transaction } from '../../x';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { SecretSchema } from '../schemas/secret.schema';

/** `SecretStore` on the `secrets` table. Concurrent first boots agree: the first insert wins. */
export class TypeormSecretStore implements SecretStore {
  constructor(private readonly persistence: Persistence) {}

  async get(kind: SecretKind, tx?: Transaction): Promise<readonly string[] | undefined> {
    const row = await this.persistence.manager(tx).getRepository(SecretSchema).findOneBy({ kind });
    return row?.value;
  }

  async putIfAbsent(kind: SecretKind, values: readonly string[], tx?: Transaction): Promise<readonly string[]> {
    try {
      await this.persistence
        .manager(tx)
        .getRepository(SecretSchema)
        .insert({ kind, value: [...values], created_at: new Date() });
      return values;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const stored = await this.get(kind, tx);
      if (!stored) throw error;
      return stored;
    }
  }
}
