import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { randomSecret } from '../../x';

const PREFIX = 'hmac-sha256$';
const DIGEST_LENGTH = 32;

/** HMAC keys derived from system secrets, kept for the life of the process (secrets change only on restart). */
const pepperKeys = new Map<string, Buffer>();

function pepperKey(systemSecret: string): Buffer {
  let key = pepperKeys.get(systemSecret);
  if (!key) {
    key = createHash('sha256').update(`tessera.client-secret.v1:${systemSecret}`, 'utf8').digest();
    pepperKeys.set(systemSecret, key);
  }
  return key;
}

/** A new client secret or registration token: 256 bits from the CSPRNG, base64url. */
export function generateClientSecret(): string {
  return randomSecret(32);
}

/**
 * Hashes a client secret as HMAC-SHA256 keyed by the first system secret (the "pepper").
 * A fast keyed hash is enough: server-generated secrets carry 256 bits of entropy, and the pepper keeps
 * a leaked table useless without `secrets.system`. User-chosen secrets (admin API) are at least 6
 * characters, as in Hydra; those are weaker by choice of the operator.
 */
export function hashClientSecret(secret: string, peppers: readonly string[]): string {
  if (peppers.length === 0) throw new Error('hashClientSecret needs secrets.system');
  return `${PREFIX}${createHmac('sha256', pepperKey(peppers[0])).update(secret, 'utf8').digest('base64url')}`;
}

/**
 * Verifies a presented secret against a stored hash in constant time, trying every system secret so a
 * rotated pepper keeps old hashes valid.
 */
export function verifyClientSecret(secret: string, hash: string | undefined, peppers: readonly string[]): boolean {
  if (!hash || !hash.startsWith(PREFIX)) return false;
  const stored = Buffer.from(hash.slice(PREFIX.length), 'base64url');
  if (stored.length !== DIGEST_LENGTH) return false;
  let ok = false;
  for (const pepper of peppers) {
    // Both sides are 32-byte digests: timingSafeEqual compares them without leaking where they differ.
    ok = timingSafeEqual(createHmac('sha256', pepperKey(pepper)).update(secret, 'utf8').digest(), stored) || ok;
  }
  return ok;
}
