import { createHash, pbkdf2, timingSafeEqual } from 'node:crypto';
import * as bcrypt from 'bcrypt';
import { argon2 } from './argon2-module';
import { firebaseScrypt } from './firebase-scrypt';
import { md5Crypt } from './md5-crypt';
import type { ParsedHash } from './parsed-hash';
import { scryptAsync } from './scrypt-async';
import { BCRYPT_MAX_PASSWORD_BYTES } from './password-too-long-error';
import { shaCrypt } from './sha-crypt';

const SALT_TOKEN = Buffer.from('{SALT}');
const PASSWORD_TOKEN = Buffer.from('{PASSWORD}');

/** Equal-length byte strings compared in constant time; the lengths come from the stored hash, not a secret. */
function equalBytes(expected: Buffer, actual: Buffer): boolean {
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function pbkdf2Async(password: Buffer, salt: Buffer, iterations: number, keyLength: number, digest: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keyLength, digest, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Replaces `{SALT}` and `{PASSWORD}` in a salting pattern in one left-to-right pass (so a salt containing
 * `{PASSWORD}` is not substituted again), as Go's strings.Replacer does in Kratos.
 */
function applyPattern(pattern: Buffer, salt: Buffer, password: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let literal = 0;
  let at = 0;
  while (at < pattern.length) {
    const token = [SALT_TOKEN, PASSWORD_TOKEN].find((t) => pattern.subarray(at, at + t.length).equals(t));
    if (!token) {
      at++;
      continue;
    }
    chunks.push(pattern.subarray(literal, at), token === SALT_TOKEN ? salt : password);
    at += token.length;
    literal = at;
  }
  chunks.push(pattern.subarray(literal));
  return Buffer.concat(chunks);
}

/**
 * Checks `password` (UTF-8 bytes) against a hash already validated by {@link parseHash}: recomputes it with the
 * stored parameters and compares in constant time (node's `timingSafeEqual`, or bcrypt's own comparison).
 *
 * Resolves `false` for a wrong password, including a password bcrypt could not have hashed (over 72 bytes):
 * it never rejects for a mismatch. Expensive formats run in libuv's threadpool (bcrypt, argon2, scrypt,
 * pbkdf2); SHA-crypt runs in JavaScript but yields to the event loop. Callers bound concurrency.
 */
export async function verifyParsedHash(password: Buffer, parsed: ParsedHash): Promise<boolean> {
  switch (parsed.format) {
    case 'bcrypt':
      if (password.length > BCRYPT_MAX_PASSWORD_BYTES) return false;
      return bcrypt.compare(password, parsed.hash);
    case 'argon2id':
    case 'argon2i': {
      const actual = await argon2().hash(password, {
        raw: true,
        type: parsed.format === 'argon2id' ? argon2().argon2id : argon2().argon2i,
        version: 0x13,
        memoryCost: parsed.memory,
        timeCost: parsed.iterations,
        parallelism: parsed.parallelism,
        salt: parsed.salt,
        hashLength: parsed.hash.length,
      });
      return equalBytes(parsed.hash, actual);
    }
    case 'pbkdf2':
      return equalBytes(parsed.hash, await pbkdf2Async(password, parsed.salt, parsed.iterations, parsed.hash.length, parsed.digest));
    case 'scrypt':
      return equalBytes(parsed.hash, await scryptAsync(password, parsed.salt, parsed.hash.length, parsed));
    case 'firescrypt':
      return equalBytes(parsed.hash, await firebaseScrypt(password, parsed));
    case 'md5': {
      const input = parsed.salted ? applyPattern(parsed.salted.pattern, parsed.salted.salt, password) : password;
      return equalBytes(parsed.hash, createHash('md5').update(input).digest());
    }
    case 'sha':
      return equalBytes(parsed.hash, createHash(parsed.digest).update(applyPattern(parsed.pattern, parsed.salt, password)).digest());
    case 'ssha':
      return equalBytes(parsed.hash, createHash(parsed.digest).update(password).update(parsed.salt).digest());
    case 'md5-crypt':
      return equalBytes(Buffer.from(parsed.hash), Buffer.from(md5Crypt(password, parsed.salt).slice(-22)));
    case 'sha256-crypt':
    case 'sha512-crypt': {
      const variant = parsed.format === 'sha256-crypt' ? 'sha256' : 'sha512';
      const computed = await shaCrypt(variant, password, parsed.salt, parsed.rounds);
      return equalBytes(Buffer.from(parsed.hash), Buffer.from(computed.slice(computed.lastIndexOf('$') + 1)));
    }
  }
}
