import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * The session cookie value: AES-256-GCM (key = SHA-256 of a cookie secret) over the session token and
 * its expiry, so the cookie is opaque and tamper-evident. Encrypted with the newest secret; any
 * configured secret decrypts, so rotation keeps existing sessions.
 */
export function encodeSessionCookie(token: string, expiresAt: Date, secrets: readonly string[]): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secrets[0]), iv);
  const plain = Buffer.from(JSON.stringify({ t: token, e: expiresAt.toISOString() }), 'utf8');
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The session token inside a cookie value, or `undefined` when it is forged, garbled or from an unknown secret. */
export function decodeSessionCookie(value: string, secrets: readonly string[]): { token: string; expiresAt: Date } | undefined {
  const raw = Buffer.from(value, 'base64url');
  if (raw.length < 29) return undefined;
  for (const secret of secrets) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const parsed = JSON.parse(plain) as { t?: unknown; e?: unknown };
      if (typeof parsed.t === 'string' && typeof parsed.e === 'string') return { token: parsed.t, expiresAt: new Date(parsed.e) };
    } catch {
      /* next secret */
    }
  }
  return undefined;
}

/** Derived keys by secret (a process has a handful of secrets; every authenticated browser request needs one). */
const keys = new Map<string, Buffer>();

function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = createHash('sha256').update(`tessera-session-cookie:${secret}`).digest();
    if (keys.size >= 64) keys.clear();
    keys.set(secret, key);
  }
  return key;
}
