import { createHash, createHmac, randomInt } from 'node:crypto';
import { constantTimeEqual } from '../x';

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random `[A-Za-z0-9]` string (Kratos session, logout and link tokens are 32 characters). */
export function randomAlphanumeric(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUM[randomInt(ALPHANUM.length)];
  return out;
}

/** SHA-256 hex of a high-entropy token: what is stored and looked up (no slow KDF needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The logout token of a session: 32 alphanumerics derived with HMAC-SHA256 from the session id and the
 * newest cookie secret, so nothing extra is stored and rotating the secret invalidates old links.
 */
export function logoutTokenFor(sessionId: string, secret: string): string {
  const mac = createHmac('sha256', secret).update(`logout:${sessionId}`).digest();
  let out = '';
  for (let i = 0; i < 32; i++) out += ALPHANUM[mac[i] % ALPHANUM.length];
  return out;
}

/** True when `token` is the logout token of `sessionId` under any of the (rotated) secrets. */
export function verifyLogoutToken(sessionId: string, token: string, secrets: readonly string[]): boolean {
  return secrets.some((s) => constantTimeEqual(logoutTokenFor(sessionId, s), token));
}
