import { DuplicateKeyIdError, type KeyStore, type StoredKey } from './key-store';
import type { Ctx } from '../x';

/** In-memory `KeyStore` for unit tests; same ordering rules as the database store. */
export class MemoryKeyStore implements KeyStore {
  private readonly keys: StoredKey[] = [];

  async addKey(ctx: Ctx, key: StoredKey): Promise<void> {
    if (this.keys.some((k) => k.set === key.set && k.kid === key.kid)) throw new DuplicateKeyIdError(key.set, key.kid);
    this.keys.push({ ...key });
  }

  async listKeys(ctx: Ctx, set: string): Promise<StoredKey[]> {
    return this.keys
      .map((k, i) => ({ k, i }))
      .filter(({ k }) => k.set === set)
      .sort((a, b) => b.k.createdAt.getTime() - a.k.createdAt.getTime() || b.i - a.i)
      .map(({ k }) => ({ ...k }));
  }

  async getKey(ctx: Ctx, set: string, kid: string): Promise<StoredKey | undefined> {
    const found = this.keys.find((k) => k.set === set && k.kid === kid);
    return found ? { ...found } : undefined;
  }

  async deleteKey(ctx: Ctx, set: string, kid: string): Promise<boolean> {
    const index = this.keys.findIndex((k) => k.set === set && k.kid === kid);
    if (index < 0) return false;
    this.keys.splice(index, 1);
    return true;
  }

  async deleteSet(ctx: Ctx, set: string): Promise<number> {
    const before = this.keys.length;
    for (let i = this.keys.length - 1; i >= 0; i--) if (this.keys[i].set === set) this.keys.splice(i, 1);
    return before - this.keys.length;
  }
}
