import { createHash } from 'node:crypto';
import { encodeCryptBase64, type CryptBase64Group } from './encode-crypt-base64';

const MAGIC = '$1$';
const ORDER: readonly CryptBase64Group[] = [
  [0, 6, 12, 4],
  [1, 7, 13, 4],
  [2, 8, 14, 4],
  [3, 9, 15, 4],
  [4, 10, 5, 4],
  [-1, -1, 11, 2],
];

/** The most salt characters md5-crypt reads; longer salts are cut, as crypt(3) does. */
export const MD5_CRYPT_MAX_SALT = 8;

/**
 * Poul-Henning Kamp's md5-crypt (FreeBSD `crypt_md5.c`, glibc `$1$`), returning the full
 * `$1$<salt>$<22 chars>` string. The salt is used up to its first `$` and at most 8 characters; the
 * work is fixed (1000 MD5 rounds, a few milliseconds), so it runs synchronously.
 *
 * Only for verifying imported hashes: md5-crypt is far too fast for new passwords.
 */
export function md5Crypt(password: Buffer, salt: string): string {
  const s = Buffer.from(salt.split('$')[0], 'utf8').subarray(0, MD5_CRYPT_MAX_SALT);
  const md5 = () => createHash('md5');

  const alternate = md5().update(password).update(s).update(password).digest();
  const ctx = md5().update(password).update(MAGIC).update(s);
  for (let left = password.length; left > 0; left -= 16) ctx.update(alternate.subarray(0, Math.min(left, 16)));
  for (let i = password.length; i > 0; i >>= 1) ctx.update(i & 1 ? Buffer.alloc(1) : password.subarray(0, 1));
  let final = ctx.digest();

  for (let i = 0; i < 1000; i++) {
    const round = md5();
    round.update(i & 1 ? password : final);
    if (i % 3) round.update(s);
    if (i % 7) round.update(password);
    round.update(i & 1 ? final : password);
    final = round.digest();
  }
  return `${MAGIC}${s.toString('utf8')}$${encodeCryptBase64(final, ORDER)}`;
}
