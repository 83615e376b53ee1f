import type { SecretsProvider } from '../config';
import type { ClockProvider } from '../x';
import { type JsonWebKey, type SigningAlgorithm } from './json-web-key';
import { KeyCipher } from './key-cipher';
import { generateSigningKey } from './key-generator';
import type { KeyStoreProvider, StoredKey } from './key-store';

export type KeyManagerDeps = KeyStoreProvider & SecretsProvider & ClockProvider;

/**
 * Reads and creates JWK sets. Private keys are encrypted with `secrets.system[0]` before they reach
 * the store and decrypted with any system secret on the way out.
 * Invariant: `ensureSet` returns the set from the database (newest key first), so processes that
 * generate a missing set at the same time converge on the same keys.
 */
export class KeyManager {
  private cipherFor?: { secrets: readonly string[]; cipher: KeyCipher };
  private readonly pending = new Map<string, Promise<JsonWebKey[]>>();

  constructor(private readonly deps: KeyManagerDeps) {}

  private get cipher(): KeyCipher {
    const secrets = this.deps.secrets.system;
    if (this.cipherFor?.secrets !== secrets) this.cipherFor = { secrets, cipher: new KeyCipher(secrets) };
    return this.cipherFor.cipher;
  }

  /** The decrypted keys of a set, newest first; `[]` for an unknown set. */
  async getSet(set: string): Promise<JsonWebKey[]> {
    return (await this.deps.keyStore.listKeys(set)).map((k) => this.decode(k));
  }

  /** One decrypted key, or `undefined`. */
  async getKey(set: string, kid: string): Promise<JsonWebKey | undefined> {
    const stored = await this.deps.keyStore.getKey(set, kid);
    return stored ? this.decode(stored) : undefined;
  }

  /** Stores a key (private or public) in a set. @throws DuplicateKeyIdError */
  async addKey(set: string, key: JsonWebKey): Promise<void> {
    await this.deps.keyStore.addKey({
      set,
      kid: key.kid,
      alg: key.alg,
      use: key.use,
      keyData: this.cipher.encrypt(JSON.stringify(key)),
      createdAt: this.deps.clock.now(),
    });
  }

  /** Generates a key and adds it to the set; it becomes the set's signing key for its algorithm. */
  async generateKey(set: string, alg: SigningAlgorithm, kid?: string): Promise<JsonWebKey> {
    const key = await generateSigningKey(alg, kid);
    await this.addKey(set, key);
    return key;
  }

  /**
   * The set's keys, first generating a key for every algorithm in `algs` that the set has none of.
   * Concurrent calls in one process share one generation.
   */
  async ensureSet(set: string, algs: readonly SigningAlgorithm[]): Promise<JsonWebKey[]> {
    const running = this.pending.get(set);
    if (running) return running;
    const work = (async () => {
      const existing = await this.getSet(set);
      const missing = algs.filter((alg) => !existing.some((k) => k.alg === alg));
      if (missing.length === 0) return existing;
      for (const alg of missing) await this.generateKey(set, alg);
      return this.getSet(set);
    })();
    this.pending.set(set, work);
    try {
      return await work;
    } finally {
      this.pending.delete(set);
    }
  }

  private decode(stored: StoredKey): JsonWebKey {
    return JSON.parse(this.cipher.decrypt(stored.keyData)) as JsonWebKey;
  }
}

export interface KeyManagerProvider {
  readonly keyManager: KeyManager;
}
