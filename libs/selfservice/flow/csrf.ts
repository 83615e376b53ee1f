import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens as nosurf does them: the cookie holds 32 random bytes (base64); forms carry a masked copy,
 * base64(pad ‖ pad XOR token), freshly masked per render so the form value never repeats.
 */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64');
}

/** A freshly masked form value for `token`. */
export function maskCsrfToken(token: string): string {
  const raw = Buffer.from(token, 'base64');
  const pad = randomBytes(raw.length);
  const masked = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) masked[i] = pad[i] ^ raw[i];
  return Buffer.concat([pad, masked]).toString('base64');
}

/** True when the masked form value unmasks to `token` (constant time). */
export function verifyMaskedCsrfToken(masked: string, token: string): boolean {
  const expected = Buffer.from(token, 'base64');
  const value = Buffer.from(masked, 'base64');
  if (expected.length !== 32 || value.length !== 64) return false;
  const unmasked = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) unmasked[i] = value[i] ^ value[i + 32];
  return timingSafeEqual(unmasked, expected);
}

/** True when two raw tokens are equal (constant time). */
export function sameCsrfToken(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'base64');
  const bb = Buffer.from(b, 'base64');
  return ba.length === 32 && bb.length === 32 && timingSafeEqual(ba, bb);
}

/** Kratos's CSRF cookie name: `csrf_token_` + hex SHA-256 of the public base URL. */
export function csrfCookieName(publicBaseUrl: string): string {
  return `csrf_token_${createHash('sha256').update(publicBaseUrl).digest('hex')}`;
}
