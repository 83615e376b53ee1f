import { randomInt } from 'node:crypto';
import type { SecretCipher } from '../../../x';

/** Kratos's shape: 12 codes of 8 characters from `[a-z0-9]` (about 41 bits each). */
export const RECOVERY_CODE_COUNT = 12;
export const RECOVERY_CODE_LENGTH = 8;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** One stored code: its keyed digest, never the code, and when it was used. */
export interface StoredRecoveryCode {
  /** `hmac256$…` of `<identity id>:<code>` (see `recoveryCodeDigest`). */
  readonly code: string;
  /** RFC 3339; set once the code has been used at login. */
  readonly used_at?: string;
}

/** `RECOVERY_CODE_COUNT` fresh codes from the CSPRNG (uniform over the alphabet). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => Array.from({ length: RECOVERY_CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''));
}

/** What users type, as stored: trimmed and lower-cased. */
export function normalizeRecoveryCode(code: string): string {
  return code.trim().toLowerCase();
}

/**
 * The stored form of a code: HMAC-SHA256 keyed from `secrets.cipher` over the identity id and the
 * code. The key means a leaked database alone does not allow guessing codes offline (41 bits would
 * not resist that with a plain hash); the identity id means equal codes of two identities differ.
 */
export function recoveryCodeDigest(cipher: SecretCipher, identityId: string, code: string): string {
  return cipher.digest(`${identityId}:${normalizeRecoveryCode(code)}`);
}

/** The index of the stored code `code` matches, or -1. Every entry is compared (no early exit). */
export function findRecoveryCode(cipher: SecretCipher, identityId: string, code: string, stored: readonly StoredRecoveryCode[]): number {
  const value = `${identityId}:${normalizeRecoveryCode(code)}`;
  let found = -1;
  stored.forEach((entry, index) => {
    if (typeof entry.code === 'string' && cipher.matchesDigest(value, entry.code) && found < 0) found = index;
  });
  return found;
}
