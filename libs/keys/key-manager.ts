import { createHash } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import type { RealmConfig, SecretsProvider } from '../config';
import type { ClockProvider, Ctx, TransactionRunnerProvider } from '../x';
import { JWT_ACCESS_TOKEN_SET, type JsonWebKey, type JsonWebKeySet, type SigningAlgorithm, isPrivateJwk, isSigningAlgorithm, toPublicJwk } from './json-web-key';
import { validateJsonWebKey, validateJsonWebKeySet } from './jwk-validator';
import { KeyCipher } from './key-cipher';
import { duplicateKeyId, invalidJsonWebKey, keyNotFound, keySetNotFound } from './key-errors';
import { generateSigningKey } from './key-generator';
import { DuplicateKeyIdError, type KeyStoreProvider, type StoredKey } from './key-store';

/** The configuration the key manager reads: `oauth2.keys.refresh_interval`, `webfinger.jwks.broadcast_keys`. */
export interface KeysConfigProvider {
  readonly config: Pick<RealmConfig, 'oauth2' | 'webfinger'>;
}

export type KeyManagerDeps = KeyStoreProvider & SecretsProvider & ClockProvider & TransactionRunnerProvider & KeysConfigProvider;

/** The longest JSON Web Key Set name (the `set_id` column); longer names are refused before anything is written. */
export const MAX_KEY_SET_NAME_LENGTH = 255;

/** What `POST /admin/keys/{set}` asks for (`CreateJsonWebKeySetBody` after validation). */
export interface CreateKeyInput {
  readonly alg: string;
  readonly kid?: string;
  readonly use?: string;
}

interface CachedSet {
  readonly keys: readonly JsonWebKey[];
  readonly readAt: number;
  readonly fingerprint: string;
}

/**
 * Reads, creates and replaces JWK sets, and serves them to signers through a short cache.
 *
 * Invariants:
 * - Private keys are encrypted with `secrets.system[0]` before they reach the store and decrypted with
 *   any system secret on the way out (rotate by putting a new secret first and keeping the old ones).
 * - A set lists newest first; the newest private key of a set is its signing key (Hydra), so adding a
 *   key rotates, and older keys stay published until deleted.
 * - Cached readers ({@link signingKeys}, {@link signingKey}, {@link publicJwks}, {@link signJwt}) never
 *   serve a set read longer ago than `oauth2.keys.refresh_interval` by the injected clock; writes made
 *   through this manager drop the cache of that set at once. Other processes sharing the database
 *   therefore pick up a new key within one interval, without a restart.
 * - `ensureSet` returns the set from the database, so processes that generate a missing set at the
 *   same time converge on the same keys.
 */
export class KeyManager {
  private cipherFor?: { secrets: readonly string[]; cipher: KeyCipher };
  private readonly pending = new Map<string, Promise<JsonWebKey[]>>();
  private readonly cache = new Map<string, CachedSet>();
  private readonly loading = new Map<string, Promise<readonly JsonWebKey[]>>();
  /** Bumped by every local write of a set, so a read that started before the write is not cached. */
  private readonly generation = new Map<string, number>();

  constructor(private readonly deps: KeyManagerDeps) {}

  private get cipher(): KeyCipher {
    const secrets = this.deps.secrets.system;
    if (this.cipherFor?.secrets !== secrets) this.cipherFor = { secrets, cipher: new KeyCipher(secrets) };
    return this.cipherFor.cipher;
  }

  // --- Uncached reads and writes ---

  /** The decrypted keys of a set, newest first; `[]` for an unknown set. */
  async getSet(ctx: Ctx, set: string): Promise<JsonWebKey[]> {
    return (await this.deps.keyStore.listKeys(ctx, set)).map((k) => this.decode(k));
  }

  /** One decrypted key, or `undefined`. */
  async getKey(ctx: Ctx, set: string, kid: string): Promise<JsonWebKey | undefined> {
    const stored = await this.deps.keyStore.getKey(ctx, set, kid);
    return stored ? this.decode(stored) : undefined;
  }

  /** Stores a key (private or public) in a set; it becomes the newest key. @throws DuplicateKeyIdError */
  async addKey(ctx: Ctx, set: string, key: JsonWebKey): Promise<void> {
    this.invalidate(set);
    await this.deps.keyStore.addKey(ctx, this.encode(set, key, this.deps.clock.now()));
  }

  /** Generates a key and adds it to the set; it becomes the set's signing key. @throws DuplicateKeyIdError */
  async generateKey(ctx: Ctx, set: string, alg: SigningAlgorithm, kid?: string, use = 'sig'): Promise<JsonWebKey> {
    const key = await generateSigningKey(alg, kid, use);
    await this.addKey(ctx, set, key);
    return key;
  }

  /**
   * The set's keys, first generating a key for every algorithm in `algs` that the set has none of.
   * Concurrent calls in one process share one generation.
   */
  async ensureSet(ctx: Ctx, set: string, algs: readonly SigningAlgorithm[]): Promise<JsonWebKey[]> {
    const running = this.pending.get(set);
    if (running) return running;
    const work = (async () => {
      const existing = await this.getSet(ctx, set);
      const missing = algs.filter((alg) => !existing.some((k) => k.alg === alg));
      if (missing.length === 0) return existing;
      for (const alg of missing) await this.generateKey(ctx, set, alg);
      return this.getSet(ctx, set);
    })();
    this.pending.set(set, work);
    try {
      return await work;
    } finally {
      this.pending.delete(set);
    }
  }

  // --- The admin API (hydra-api.md §5) ---

  /**
   * `POST /admin/keys/{set}`: generates a key and adds it to the set (creating the set). An empty kid
   * gets a UUID v4, an empty use becomes `sig`.
   * @returns the new key, with its private part
   * @throws OryError 400 `Unsupported key algorithm`; 409 when the set holds the kid already
   */
  async createKey(ctx: Ctx, set: string, input: CreateKeyInput): Promise<JsonWebKey> {
    if (!isSigningAlgorithm(input.alg)) throw invalidJsonWebKey('Unsupported key algorithm');
    try {
      return await this.generateKey(ctx, set, input.alg, input.kid || undefined, input.use || 'sig');
    } catch (error) {
      if (error instanceof DuplicateKeyIdError) throw duplicateKeyId(set, error.kid);
      throw error;
    }
  }

  /** `GET /admin/keys/{set}`: every key, private parts included, newest first. @throws OryError 404 for an empty or unknown set */
  async requireSet(ctx: Ctx, set: string): Promise<JsonWebKey[]> {
    const keys = await this.getSet(ctx, set);
    if (keys.length === 0) throw keySetNotFound(set);
    return keys;
  }

  /** `GET /admin/keys/{set}/{kid}`. @throws OryError 404 for an unknown key */
  async requireKey(ctx: Ctx, set: string, kid: string): Promise<JsonWebKey> {
    const key = await this.getKey(ctx, set, kid);
    if (!key) throw keyNotFound();
    return key;
  }

  /**
   * `PUT /admin/keys/{set}`: replaces every key of the set with the given ones, in one transaction.
   * The first key of the body becomes the newest (the signing key when it is private).
   * @throws OryError 400 for an invalid body or key; 409 when the body repeats a kid
   */
  async replaceSet(ctx: Ctx, set: string, body: unknown): Promise<JsonWebKey[]> {
    const keys = await validateJsonWebKeySet(body);
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key.kid)) throw duplicateKeyId(set, key.kid);
      seen.add(key.kid);
    }
    const now = this.deps.clock.now();
    this.invalidate(set);
    await this.deps.transactions.withTransaction(ctx, async (ctx) => {
      await this.deps.keyStore.deleteSet(ctx, set);
      // Same timestamp for all: the store breaks ties by insertion order, newest first, so insert in reverse.
      for (const key of [...keys].reverse()) await this.deps.keyStore.addKey(ctx, this.encode(set, key, now));
    });
    this.invalidate(set);
    return keys;
  }

  /**
   * `PUT /admin/keys/{set}/{kid}`: inserts or replaces one key; it becomes the newest key of the set.
   * @throws OryError 400 for an invalid key or a body kid that differs from the path's
   */
  async upsertKey(ctx: Ctx, set: string, kid: string, body: unknown): Promise<JsonWebKey> {
    const key = await validateJsonWebKey(body);
    if (key.kid !== kid) throw invalidJsonWebKey(`The kid of the JSON Web Key (${key.kid}) must match the kid in the URL (${kid}).`);
    this.invalidate(set);
    await this.deps.transactions.withTransaction(ctx, async (ctx) => {
      await this.deps.keyStore.deleteKey(ctx, set, kid);
      await this.deps.keyStore.addKey(ctx, this.encode(set, key, this.deps.clock.now()));
    });
    this.invalidate(set);
    return key;
  }

  /** `DELETE /admin/keys/{set}`. Deleting an unknown set succeeds (Hydra answers 204 either way). */
  async deleteSet(ctx: Ctx, set: string): Promise<void> {
    this.invalidate(set);
    await this.deps.keyStore.deleteSet(ctx, set);
    this.invalidate(set);
  }

  /** `DELETE /admin/keys/{set}/{kid}`. Deleting an unknown key succeeds (Hydra answers 204 either way). */
  async deleteKey(ctx: Ctx, set: string, kid: string): Promise<void> {
    this.invalidate(set);
    await this.deps.keyStore.deleteKey(ctx, set, kid);
    this.invalidate(set);
  }

  // --- Cached readers for signers and the published key set ---

  /**
   * The set's keys (private parts included), newest first, read at most `oauth2.keys.refresh_interval`
   * ago. A set without any private key (missing, empty, or public keys only) first gets a key for each
   * of `algs` (default ES256), so a missing set is created on first use. The same frozen array is
   * returned until the set changes, so callers can compare by identity and rebuild only on change.
   */
  /** The cached keys of a set while fresh (see {@link signingKeys}), without touching the database; else `undefined`. */
  freshSigningKeys(set: string): readonly JsonWebKey[] | undefined {
    const cached = this.cache.get(set);
    return cached && this.deps.clock.now().getTime() - cached.readAt < this.deps.config.oauth2.keys.refresh_interval ? cached.keys : undefined;
  }

  async signingKeys(ctx: Ctx, set: string, algs: readonly SigningAlgorithm[] = ['ES256']): Promise<readonly JsonWebKey[]> {
    const cached = this.cache.get(set);
    if (cached && this.deps.clock.now().getTime() - cached.readAt < this.deps.config.oauth2.keys.refresh_interval) return cached.keys;
    const running = this.loading.get(set);
    if (running) return running;
    const work = (async () => {
      let generation = this.generation.get(set) ?? 0;
      let keys = await this.getSet(ctx, set);
      if (!keys.some(isPrivateJwk)) {
        // Generating bumps the generation itself; only writes after the final read may veto caching.
        if (!(await this.ensureSet(ctx, set, algs)).some(isPrivateJwk)) await this.generateKey(ctx, set, algs[0] ?? 'ES256');
        generation = this.generation.get(set) ?? 0;
        keys = await this.getSet(ctx, set);
      }
      const fingerprint = createHash('sha256').update(JSON.stringify(keys)).digest('base64url');
      const previous = this.cache.get(set);
      const frozen = previous?.fingerprint === fingerprint ? previous.keys : Object.freeze(keys.map((k) => Object.freeze({ ...k })));
      if ((this.generation.get(set) ?? 0) === generation) this.cache.set(set, { keys: frozen, readAt: this.deps.clock.now().getTime(), fingerprint });
      return frozen;
    })();
    this.loading.set(set, work);
    try {
      return await work;
    } finally {
      if (this.loading.get(set) === work) this.loading.delete(set);
    }
  }

  /** The signing key of a set: its newest private key (cached as {@link signingKeys}). */
  async signingKey(ctx: Ctx, set: string, algs: readonly SigningAlgorithm[] = ['ES256']): Promise<JsonWebKey> {
    return (await this.signingKeys(ctx, set, algs)).find(isPrivateJwk)!;
  }

  /**
   * What `/.well-known/jwks.json` publishes: the public form of every key in the broadcast sets
   * (`webfinger.jwks.broadcast_keys`, default `hydra.openid.id-token`, plus `hydra.jwt.access-token`),
   * each newest first. Private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`, ...) never appear.
   * Missing sets are generated (ES256). Cached as {@link signingKeys}.
   */
  async publicJwks(ctx: Ctx): Promise<JsonWebKeySet> {
    const sets = [...new Set([...this.deps.config.webfinger.jwks.broadcast_keys, JWT_ACCESS_TOKEN_SET])];
    const keys: JsonWebKey[] = [];
    for (const set of sets) keys.push(...(await this.signingKeys(ctx, set)).map(toPublicJwk));
    return { keys };
  }

  /**
   * Signs `claims` as a compact JWT (`typ: JWT`, `kid` of the key) with the set's signing key; the set
   * is generated (ES256) when missing.
   */
  async signJwt(ctx: Ctx, set: string, claims: Record<string, unknown>): Promise<string> {
    return signJwtWithKey(await this.signingKey(ctx, set), claims);
  }

  /** Drops the cached copy of one set (or of all), so the next cached read goes to the database. */
  invalidate(set?: string): void {
    const sets = set === undefined ? [...this.cache.keys(), ...this.loading.keys()] : [set];
    for (const s of sets) {
      this.cache.delete(s);
      this.loading.delete(s);
      this.generation.set(s, (this.generation.get(s) ?? 0) + 1);
    }
  }

  /** @throws OryError 400 for a set name longer than the store holds ({@link MAX_KEY_SET_NAME_LENGTH}) */
  private encode(set: string, key: JsonWebKey, createdAt: Date): StoredKey {
    if (set.length > MAX_KEY_SET_NAME_LENGTH) throw invalidJsonWebKey(`The name of a JSON Web Key Set may be at most ${MAX_KEY_SET_NAME_LENGTH} characters.`);
    return { set, kid: key.kid, alg: key.alg, use: key.use, keyData: this.cipher.encrypt(JSON.stringify(key)), createdAt };
  }

  private decode(stored: StoredKey): JsonWebKey {
    return JSON.parse(this.cipher.decrypt(stored.keyData)) as JsonWebKey;
  }
}

/** Signs `claims` as a compact JWT with one private JWK (its `alg`; header `kid` and `typ: JWT`). */
export async function signJwtWithKey(key: JsonWebKey, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(await importJWK(key, key.alg));
}

export interface KeyManagerProvider {
  readonly keyManager: KeyManager;
}
