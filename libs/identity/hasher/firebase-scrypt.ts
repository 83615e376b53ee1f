import { createCipheriv } from 'node:crypto';
import { scryptAsync } from './scrypt-async';

/** The parameters of one Firebase Auth password hash (from the project's "password hash parameters"). */
export interface FirebaseScryptParams {
  /** Per-user salt. */
  salt: Buffer;
  /** Project-wide separator appended to the salt (`base64_salt_separator`). */
  saltSeparator: Buffer;
  /** Project-wide key that gets encrypted (`base64_signer_key`). */
  signerKey: Buffer;
  /** log2 of scrypt's N (`mem_cost`). */
  memCost: number;
  /** scrypt's block size r (`rounds`). */
  rounds: number;
  /** scrypt's parallelism p (Firebase uses 1). */
  p: number;
}

/**
 * Firebase Auth's modified scrypt (github.com/firebase/scrypt): the derived key is
 * `scrypt(password, salt || saltSeparator, N = 2^memCost, r = rounds, p, 32 bytes)`, and the stored hash is the
 * signer key encrypted with AES-256-CTR under that derived key and an all-zero 16-byte IV. Returns that hash
 * (as long as the signer key); the caller compares it with the stored one in constant time.
 */
export async function firebaseScrypt(password: Buffer, params: FirebaseScryptParams): Promise<Buffer> {
  const salt = Buffer.concat([params.salt, params.saltSeparator]);
  const key = await scryptAsync(password, salt, 32, { n: 2 ** params.memCost, r: params.rounds, p: params.p });
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(params.signerKey), cipher.final()]);
}
