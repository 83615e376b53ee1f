import type { Ctx } from '../x';

/** One stored key of a set; `keyData` is the JWK encrypted by `KeyCipher`, never plaintext. */
export interface StoredKey {
  readonly set: string;
  readonly kid: string;
  readonly alg: string;
  readonly use: string;
  readonly keyData: string;
  readonly createdAt: Date;
}

/** A key with this kid exists in the set already (Hydra: 409). */
export class DuplicateKeyIdError extends Error {
  constructor(
    readonly set: string,
    readonly kid: string,
  ) {
    super(`The key set ${set} already holds a key with kid ${kid}.`);
    this.name = 'DuplicateKeyIdError';
  }
}

/** Persistence port for JWK sets (Hydra's `jwk.Manager`). */
export interface KeyStore {
  /** @throws DuplicateKeyIdError when (set, kid) is taken. */
  addKey(ctx: Ctx, key: StoredKey): Promise<void>;
  /** The keys of a set, newest first (the first one of an algorithm signs); `[]` for an unknown set. */
  listKeys(ctx: Ctx, set: string): Promise<StoredKey[]>;
  /** One key, or `undefined`. */
  getKey(ctx: Ctx, set: string, kid: string): Promise<StoredKey | undefined>;
  /** False when there was no such key. */
  deleteKey(ctx: Ctx, set: string, kid: string): Promise<boolean>;
  /** Deletes every key of the set; returns how many. */
  deleteSet(ctx: Ctx, set: string): Promise<number>;
}

export interface KeyStoreProvider {
  readonly keyStore: KeyStore;
}
