import { createHash } from 'node:crypto';
import { encodeCryptBase64, type CryptBase64Group } from './encode-crypt-base64';

/** The SHA-crypt variants: `$5$` (SHA-256) and `$6$` (SHA-512). */
export type ShaCryptVariant = 'sha256' | 'sha512';

/** Rounds bounds from Drepper's specification; requests outside are clamped, as glibc does. */
export const SHA_CRYPT_ROUNDS = { min: 1000, max: 999_999_999, default: 5000 } as const;
/** The most salt characters SHA-crypt reads; longer salts are cut. */
export const SHA_CRYPT_MAX_SALT = 16;

const SHA256_ORDER: readonly CryptBase64Group[] = [
  [0, 10, 20, 4],
  [21, 1, 11, 4],
  [12, 22, 2, 4],
  [3, 13, 23, 4],
  [24, 4, 14, 4],
  [15, 25, 5, 4],
  [6, 16, 26, 4],
  [27, 7, 17, 4],
  [18, 28, 8, 4],
  [9, 19, 29, 4],
  [-1, 31, 30, 3],
];
const SHA512_ORDER: readonly CryptBase64Group[] = [
  [0, 21, 42, 4],
  [22, 43, 1, 4],
  [44, 2, 23, 4],
  [3, 24, 45, 4],
  [25, 46, 4, 4],
  [47, 5, 26, 4],
  [6, 27, 48, 4],
  [28, 49, 7, 4],
  [50, 8, 29, 4],
  [9, 30, 51, 4],
  [31, 52, 10, 4],
  [53, 11, 32, 4],
  [12, 33, 54, 4],
  [34, 55, 13, 4],
  [56, 14, 35, 4],
  [15, 36, 57, 4],
  [37, 58, 16, 4],
  [59, 17, 38, 4],
  [18, 39, 60, 4],
  [40, 61, 19, 4],
  [62, 20, 41, 4],
  [-1, -1, 63, 2],
];

/** Rounds computed between two yields to the event loop (about a millisecond of work). */
const ROUNDS_PER_SLICE = 1000;

/** `length` bytes made of `block` repeated (the P and S sequences of the specification). */
function stretch(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let at = 0; at < length; at += block.length) block.copy(out, at, 0, Math.min(block.length, length - at));
  return out;
}

/**
 * Ulrich Drepper's SHA-crypt ("Unix crypt using SHA-256 and SHA-512", the `$5$` and `$6$` of glibc), returning
 * the full string: `$5$<salt>$<43 chars>` / `$6$<salt>$<86 chars>`, or with `rounds=<n>$` after the id when
 * `rounds` is given (even when it equals the default 5000, as glibc does). The salt is used up to its first `$`
 * and at most 16 characters; `rounds` is clamped to 1000..999,999,999.
 *
 * The rounds loop runs on the JavaScript thread (no native implementation is available), so it yields to the
 * event loop every 1000 rounds: a slow hash delays its own caller, not the process. Callers bound `rounds`
 * (see {@link DEFAULT_HASH_LIMITS}). Only for verifying imported hashes.
 */
export async function shaCrypt(variant: ShaCryptVariant, password: Buffer, salt: string, rounds?: number): Promise<string> {
  const id = variant === 'sha256' ? '5' : '6';
  const size = variant === 'sha256' ? 32 : 64;
  const h = () => createHash(variant);
  const s = Buffer.from(salt.split('$')[0], 'utf8').subarray(0, SHA_CRYPT_MAX_SALT);
  const n = rounds === undefined ? SHA_CRYPT_ROUNDS.default : Math.min(Math.max(Math.floor(rounds), SHA_CRYPT_ROUNDS.min), SHA_CRYPT_ROUNDS.max);

  // Steps 1-12: digest B, then digest A.
  const b = h().update(password).update(s).update(password).digest();
  const a = h().update(password).update(s);
  let left = password.length;
  for (; left > size; left -= size) a.update(b);
  a.update(b.subarray(0, left));
  for (let i = password.length; i > 0; i >>= 1) a.update(i & 1 ? b : password);
  let c = a.digest();

  // Steps 13-20: the P and S byte sequences.
  const dp = h();
  for (let i = 0; i < password.length; i++) dp.update(password);
  const p = stretch(dp.digest(), password.length);
  const ds = h();
  for (let i = 0; i < 16 + c[0]; i++) ds.update(s);
  const sBytes = stretch(ds.digest(), s.length);

  // Step 21: the rounds.
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % ROUNDS_PER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const round = h();
    round.update(i & 1 ? p : c);
    if (i % 3) round.update(sBytes);
    if (i % 7) round.update(p);
    round.update(i & 1 ? c : p);
    c = round.digest();
  }

  const order = variant === 'sha256' ? SHA256_ORDER : SHA512_ORDER;
  const roundsPart = rounds === undefined ? '' : `rounds=${n}$`;
  return `$${id}$${roundsPart}${s.toString('utf8')}$${encodeCryptBase64(c, order)}`;
}
