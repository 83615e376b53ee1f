import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'aes256gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts key material at rest with AES-256-GCM (Hydra encrypts JWKs with its system secret).
 * Invariants: the first secret encrypts; every secret is tried when decrypting, so rotating
 * `secrets.system` (new secret first, old ones kept) keeps stored keys readable. The GCM tag
 * authenticates the ciphertext: a wrong secret or a tampered value never decrypts to garbage.
 */
export class KeyCipher {
  private readonly keys: readonly Buffer[];

  /** @throws Error when `secrets` is empty. */
  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('KeyCipher needs at least one secret');
    this.keys = secrets.map((s) => createHash('sha256').update(`tessera.jwk.v1:${s}`, 'utf8').digest());
  }

  /** `aes256gcm$<iv>$<ciphertext+tag>` (base64url), with a fresh random IV. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}$${iv.toString('base64url')}$${body.toString('base64url')}`;
  }

  /** @throws Error when no secret decrypts the value (wrong secrets, tampering, or not a cipher text). */
  decrypt(value: string): string {
    const [prefix, ivText, bodyText] = value.split('$');
    if (prefix !== PREFIX || !ivText || !bodyText) throw new Error('not an encrypted key value');
    const iv = Buffer.from(ivText, 'base64url');
    const body = Buffer.from(bodyText, 'base64url');
    if (iv.length !== IV_BYTES || body.length <= TAG_BYTES) throw new Error('not an encrypted key value');
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        /* try the next secret */
      }
    }
    throw new Error('no system secret decrypts this key; was secrets.system rotated without keeping the old secret?');
  }
}
