import { scrypt } from 'node:crypto';

/** scrypt cost parameters: N (a power of two > 1), block size r, parallelism p. */
export interface ScryptParams {
  n: number;
  r: number;
  p: number;
}

/**
 * node:crypto's scrypt as a promise, computed in libuv's threadpool. `maxmem` is raised to exactly what
 * OpenSSL needs for these parameters (`128 r (N + 2) + 128 r p` bytes, plus slack) instead of node's 32 MiB
 * default; callers bound the parameters first (see {@link DEFAULT_HASH_LIMITS}).
 */
export function scryptAsync(password: Buffer, salt: Buffer, keyLength: number, { n, r, p }: ScryptParams): Promise<Buffer> {
  const maxmem = 128 * r * (n + 2 + p) + 64 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N: n, r, p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
