import { randomBytes, randomUUID } from 'node:crypto';

/** A new random UUID v4. */
export function newId(): string {
  return randomUUID();
}

/** `bytes` bytes from the CSPRNG as unpadded base64url; 32 bytes give 256 bits of entropy. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** True for a canonical UUID string of any version (case-insensitive). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
