import type { SecretKind, SecretStore } from '../../config';
import type { Ctx } from '../../x';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { SecretSchema } from '../schemas/secret.schema';

/**
 * `SecretStore` on the `secrets` table. Concurrent first boots agree: the first insert wins. The table has no
 * realm column: secrets are process config (they encrypt keys and sign cookies of every realm), so `ctx.realm`
 * is ignored here.
 */
export class TypeormSecretStore implements SecretStore {
  constructor(private readonly persistence: Persistence) {}

  async get(ctx: Ctx, kind: SecretKind): Promise<readonly string[] | undefined> {
    const row = await this.persistence.manager(ctx.tx).getRepository(SecretSchema).findOneBy({ kind });
    return row?.value;
  }

  async putIfAbsent(ctx: Ctx, kind: SecretKind, values: readonly string[]): Promise<readonly string[]> {
    try {
      await this.persistence
        .manager(ctx.tx)
        .getRepository(SecretSchema)
        .insert({ kind, value: [...values], created_at: new Date() });
      return values;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const stored = await this.get(ctx, kind);
      if (!stored) throw error;
      return stored;
    }
  }
}
