import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'aes256gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for small secrets kept at rest (TOTP keys, pending second-factor state), keyed from a
 * list of secrets such as `secrets.cipher`.
 *
 * Invariants: the first secret encrypts; every secret is tried when decrypting, so rotating the list
 * (new secret first, older ones kept) keeps stored values readable. Each value gets a fresh random IV.
 * `purpose` separates keys: a value encrypted for one purpose never decrypts under another, even with
 * the same secrets. The GCM tag authenticates the ciphertext, so a wrong secret or a tampered value
 * fails instead of decrypting to garbage.
 */
export class SecretCipher {
  private readonly keys: readonly Buffer[];

  /** @throws Error when `secrets` is empty. */
  constructor(purpose: string, secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('SecretCipher needs at least one secret');
    this.keys = secrets.map((s) => createHash('sha256').update(`tessera.${purpose}.v1:${s}`, 'utf8').digest());
  }

  /** `aes256gcm$<iv>$<ciphertext+tag>` (base64url). */
  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}$${iv.toString('base64url')}$${body.toString('base64url')}`;
  }

  /** True when `value` has the shape `encrypt` produces (it may still fail to decrypt). */
  static isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(`${PREFIX}$`);
  }

  /** @throws Error when no secret decrypts the value (rotated-out secret, tampering, or not a cipher text). */
  decrypt(value: string): string {
    const [prefix, ivText, bodyText, extra] = value.split('$');
    if (prefix !== PREFIX || !ivText || !bodyText || extra !== undefined) throw new Error('not an encrypted value');
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length <= TAG_BYTES) throw new Error('not an encrypted value');
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        /* try the next secret */
      }
    }
    throw new Error('no configured cipher secret decrypts this value; was the secret rotated without keeping the old one?');
  }

  /**
   * A keyed digest (HMAC-SHA256 with the newest secret's key) for values that only need to be
   * recognised later, never read back: `hmac256$<base64url>`.
   */
  digest(value: string): string {
    return `hmac256$${createHmac('sha256', this.keys[0]).update(value, 'utf8').digest('base64url')}`;
  }

  /** True when `digest` of `value` under any configured secret equals `stored` (constant time per comparison). */
  matchesDigest(value: string, stored: string): boolean {
    if (!stored.startsWith('hmac256$')) return false;
    const want = Buffer.from(stored.slice('hmac256$'.length), 'base64url');
    if (want.length !== 32) return false;
    let found = false;
    for (const key of this.keys) {
      const got = createHmac('sha256', key).update(value, 'utf8').digest();
      if (timingSafeEqual(got, want)) found = true;
    }
    return found;
  }
}
