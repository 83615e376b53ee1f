import { DuplicateKeyIdError, type KeyStore, type StoredKey } from './key-store';
import { ByRealm, type Ctx } from '../x';

/** In-memory `KeyStore` for unit tests; same ordering rules as the database store. */
export class MemoryKeyStore implements KeyStore {
  private readonly keysByRealm = new ByRealm<StoredKey[]>(() => []);
  private keys(ctx: Ctx): StoredKey[] {
    return this.keysByRealm.of(ctx);
  }

  async addKey(ctx: Ctx, key: StoredKey): Promise<void> {
    if (this.keys(ctx).some((k) => k.set === key.set && k.kid === key.kid)) throw new DuplicateKeyIdError(key.set, key.kid);
    this.keys(ctx).push({ ...key });
  }

  async listKeys(ctx: Ctx, set: string): Promise<StoredKey[]> {
    return this.keys(ctx)
      .map((k, i) => ({ k, i }))
      .filter(({ k }) => k.set === set)
      .sort((a, b) => b.k.createdAt.getTime() - a.k.createdAt.getTime() || b.i - a.i)
      .map(({ k }) => ({ ...k }));
  }

  async getKey(ctx: Ctx, set: string, kid: string): Promise<StoredKey | undefined> {
    const found = this.keys(ctx).find((k) => k.set === set && k.kid === kid);
    return found ? { ...found } : undefined;
  }

  async deleteKey(ctx: Ctx, set: string, kid: string): Promise<boolean> {
    const index = this.keys(ctx).findIndex((k) => k.set === set && k.kid === kid);
    if (index < 0) return false;
    this.keys(ctx).splice(index, 1);
    return true;
  }

  async deleteSet(ctx: Ctx, set: string): Promise<number> {
    const before = this.keys(ctx).length;
    for (let i = this.keys(ctx).length - 1; i >= 0; i--) if (this.keys(ctx)[i].set === set) this.keys(ctx).splice(i, 1);
    return before - this.keys(ctx).length;
  }
}
