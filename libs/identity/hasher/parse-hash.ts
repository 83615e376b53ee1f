import { decodeBase64 } from './decode-base64';
import { DEFAULT_HASH_LIMITS, type HashLimits } from './hash-limits';
import { MD5_CRYPT_MAX_SALT } from './md5-crypt';
import type { ParsedHash, Pbkdf2Digest } from './parsed-hash';
import { SHA_CRYPT_MAX_SALT, SHA_CRYPT_ROUNDS } from './sha-crypt';
import { UnknownHashFormatError } from './unknown-hash-format-error';

/** Fewest bytes a derived key (pbkdf2, scrypt, argon2) may have: shorter ones make guessing a match feasible. */
const MIN_DERIVED_KEY_BYTES = 8;
/** Argon2's own minimum salt length (RFC 9106). */
const ARGON2_MIN_SALT_BYTES = 8;

const DIGEST_BYTES = { md5: 16, sha1: 20, sha256: 32, sha512: 64, 'sha3-224': 28, 'sha3-384': 48 } as const;

const PBKDF2_DIGESTS: Record<string, Pbkdf2Digest> = {
  sha1: 'sha1',
  sha224: 'sha3-224', // Kratos quirk: its "sha224" is SHA3-224 (golang.org/x/crypto/sha3.New224).
  sha256: 'sha256',
  sha384: 'sha3-384', // Likewise SHA3-384.
  sha512: 'sha512',
};

const SSHA_DIGESTS = { SSHA: 'sha1', SSHA256: 'sha256', SSHA512: 'sha512' } as const;
const SHA_DIGESTS = { sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' } as const;

const BCRYPT = /^\$(2[aby])\$(\d\d)\$([./A-Za-z0-9]{53})$/;
const CRYPT_SALT_CHARS = /^[\x21-\x7e]*$/;
const CRYPT_HASH_CHARS = /^[./0-9A-Za-z]+$/;

function fail(detail: string): never {
  throw new UnknownHashFormatError(detail);
}

/** A decimal integer without sign or leading zeros, at most 2^32 - 1, else fail. */
function integer(text: string | undefined, what: string): number {
  if (text === undefined || !/^(0|[1-9]\d{0,9})$/.test(text)) fail(`${what} is not an integer`);
  const value = Number(text);
  if (value > 0xffff_ffff) fail(`${what} is too large`);
  return value;
}

function within(value: number, min: number, max: number, what: string): number {
  if (value < min || value > max) fail(`${what} must be ${min}..${max}, got ${value}`);
  return value;
}

function base64(text: string | undefined, what: string): Buffer {
  const bytes = text === undefined ? undefined : decodeBase64(text);
  if (!bytes) fail(`${what} is not valid base64`);
  return bytes;
}

/**
 * `key=value` pairs with exactly the given keys, e.g. `m=65536,t=3,p=1`, returned in the order of `keys`. The
 * pairs must come in that order unless `anyOrder` (node's argon2 package writes `m=,p=,t=`).
 */
function params(text: string | undefined, keys: readonly string[], what: string, anyOrder = false): number[] {
  const pairs = (text ?? '').split(',').map((pair) => pair.split('='));
  const names = pairs.map(([key]) => key);
  const expected = anyOrder ? [...keys].sort() : keys;
  const actual = anyOrder ? [...names].sort() : names;
  if (pairs.some((pair) => pair.length !== 2) || actual.join(',') !== expected.join(',')) {
    fail(`${what} parameters must be ${keys.join(',')}`);
  }
  return keys.map((key) => integer(pairs[names.indexOf(key)][1], `${what} ${key}`));
}

function derivedKey(text: string | undefined, limits: HashLimits, what: string): Buffer {
  const bytes = base64(text, what);
  within(bytes.length, MIN_DERIVED_KEY_BYTES, limits.maxDerivedKeyBytes, `${what} length`);
  return bytes;
}

function digestOf(text: string | undefined, size: number, what: string): Buffer {
  const bytes = base64(text, what);
  if (bytes.length !== size) fail(`${what} must be ${size} bytes`);
  return bytes;
}

/** A `pf=` salting pattern; it must contain `{PASSWORD}`, or every password would match. */
function pattern(text: string | undefined): Buffer {
  if (!text?.startsWith('pf=')) fail('salting pattern must be pf=<base64>');
  const bytes = base64(text.slice(3), 'salting pattern');
  if (!bytes.includes('{PASSWORD}')) fail('salting pattern must contain {PASSWORD}');
  return bytes;
}

function scryptCost(n: number, r: number, p: number, limits: HashLimits, what: string): void {
  if (n < 2 || (n & (n - 1)) !== 0) fail(`${what} N must be a power of two greater than 1`);
  if (r < 1 || p < 1) fail(`${what} r and p must be positive`);
  if (128 * n * r > limits.scryptMaxMemoryBytes) fail(`${what} needs more than ${limits.scryptMaxMemoryBytes} bytes of memory`);
  within(p, 1, limits.scryptMaxParallelism, `${what} p`);
}

function parseBcrypt(hash: string, limits: HashLimits): ParsedHash {
  const m = BCRYPT.exec(hash);
  if (!m) fail('bcrypt hash must be $2x$NN$ and 53 base64 characters');
  const cost = within(Number(m[2]), 4, limits.bcryptMaxCost, 'bcrypt cost');
  // $2y$ (PHP's crypt_blowfish) and $2b$ (OpenBSD) name the same corrected algorithm; native bcrypt knows only $2b$.
  return { format: 'bcrypt', cost, hash: m[1] === '2y' ? `$2b$${m[2]}$${m[3]}` : hash };
}

function parseArgon2(parts: string[], limits: HashLimits): ParsedHash {
  if (parts.length !== 6) fail('argon2 hash must have 6 fields');
  if (parts[2] !== 'v=19') fail('argon2 version must be 19');
  const [memory, iterations, parallelism] = params(parts[3], ['m', 't', 'p'], 'argon2', true);
  within(parallelism, 1, limits.argon2MaxParallelism, 'argon2 p');
  within(memory, 8 * parallelism, limits.argon2MaxMemory, 'argon2 m');
  within(iterations, 1, limits.argon2MaxIterations, 'argon2 t');
  const salt = base64(parts[4], 'argon2 salt');
  if (salt.length < ARGON2_MIN_SALT_BYTES) fail('argon2 salt must be at least 8 bytes');
  const format = parts[1] === 'argon2i' ? 'argon2i' : 'argon2id';
  return { format, memory, iterations, parallelism, salt, hash: derivedKey(parts[5], limits, 'argon2 hash') };
}

function parsePbkdf2(parts: string[], limits: HashLimits): ParsedHash {
  if (parts.length !== 5) fail('pbkdf2 hash must have 5 fields');
  const digest = PBKDF2_DIGESTS[parts[1].slice('pbkdf2-'.length)];
  const [iterations, keyLength] = params(parts[2], ['i', 'l'], 'pbkdf2');
  if (iterations < 1) fail('pbkdf2 i must be positive');
  const salt = base64(parts[3], 'pbkdf2 salt');
  const hash = derivedKey(parts[4], limits, 'pbkdf2 hash');
  if (hash.length !== keyLength) fail('pbkdf2 hash length must equal l');
  if (iterations * Math.ceil(hash.length / DIGEST_BYTES[digest]) > limits.pbkdf2MaxWork) fail('pbkdf2 i x blocks is too large');
  return { format: 'pbkdf2', digest, iterations, salt, hash };
}

function parseScrypt(parts: string[], limits: HashLimits): ParsedHash {
  if (parts.length !== 5) fail('scrypt hash must have 5 fields');
  const [n, r, p] = params(parts[2], ['ln', 'r', 'p'], 'scrypt');
  scryptCost(n, r, p, limits, 'scrypt');
  return { format: 'scrypt', n, r, p, salt: base64(parts[3], 'scrypt salt'), hash: derivedKey(parts[4], limits, 'scrypt hash') };
}

function parseFirescrypt(parts: string[], limits: HashLimits): ParsedHash {
  if (parts.length !== 7) fail('firescrypt hash must have 7 fields');
  const [memCost, rounds, p] = params(parts[2], ['ln', 'r', 'p'], 'firescrypt');
  within(memCost, 1, 30, 'firescrypt ln');
  scryptCost(2 ** memCost, rounds, p, limits, 'firescrypt');
  const salt = base64(parts[3], 'firescrypt salt');
  const hash = base64(parts[4], 'firescrypt hash');
  const saltSeparator = base64(parts[5], 'firescrypt salt separator');
  const signerKey = base64(parts[6], 'firescrypt signer key');
  if (signerKey.length < MIN_DERIVED_KEY_BYTES) fail('firescrypt signer key is too short');
  if (hash.length !== signerKey.length) fail('firescrypt hash length must equal the signer key length');
  return { format: 'firescrypt', memCost, rounds, p, salt, saltSeparator, signerKey, hash };
}

function parseMd5(parts: string[]): ParsedHash {
  if (parts.length === 3) return { format: 'md5', hash: digestOf(parts[2], DIGEST_BYTES.md5, 'md5 hash') };
  if (parts.length !== 5) fail('md5 hash must have 3 or 5 fields');
  const salted = { pattern: pattern(parts[2]), salt: base64(parts[3], 'md5 salt') };
  return { format: 'md5', salted, hash: digestOf(parts[4], DIGEST_BYTES.md5, 'md5 hash') };
}

function parseSha(parts: string[]): ParsedHash {
  const digest = SHA_DIGESTS[parts[1] as keyof typeof SHA_DIGESTS];
  if (parts.length !== 5) fail(`${digest} hash must have 5 fields`);
  const salt = base64(parts[3], `${digest} salt`);
  return { format: 'sha', digest, pattern: pattern(parts[2]), salt, hash: digestOf(parts[4], DIGEST_BYTES[digest], `${digest} hash`) };
}

function parseSsha(hash: string): ParsedHash {
  const m = /^\{(SSHA|SSHA256|SSHA512)\}(.*)$/s.exec(hash);
  if (!m) fail('ssha hash must start with {SSHA}, {SSHA256} or {SSHA512}');
  const digest = SSHA_DIGESTS[m[1] as keyof typeof SSHA_DIGESTS];
  const bytes = base64(m[2], 'ssha value');
  const size = DIGEST_BYTES[digest];
  if (bytes.length <= size) fail('ssha value must hold the digest and a salt');
  return { format: 'ssha', digest, hash: bytes.subarray(0, size), salt: bytes.subarray(size) };
}

function cryptSalt(salt: string | undefined, max: number, what: string): string {
  if (salt === undefined || salt.length > max || !CRYPT_SALT_CHARS.test(salt)) fail(`${what} salt must be up to ${max} printable characters`);
  return salt;
}

function cryptHash(hash: string | undefined, length: number, what: string): string {
  if (hash === undefined || hash.length !== length || !CRYPT_HASH_CHARS.test(hash)) fail(`${what} hash must be ${length} crypt-base64 characters`);
  return hash;
}

function parseMd5Crypt(parts: string[]): ParsedHash {
  if (parts.length !== 4) fail('md5-crypt hash must be $1$salt$hash');
  return { format: 'md5-crypt', salt: cryptSalt(parts[2], MD5_CRYPT_MAX_SALT, 'md5-crypt'), hash: cryptHash(parts[3], 22, 'md5-crypt') };
}

function parseShaCrypt(format: 'sha256-crypt' | 'sha512-crypt', parts: string[], limits: HashLimits): ParsedHash {
  const length = format === 'sha256-crypt' ? 43 : 86;
  let rest = parts.slice(2);
  let rounds: number | undefined;
  if (rest.length === 3) {
    const m = /^rounds=(\d+)$/.exec(rest[0]);
    if (!m) fail(`${format} hash must be $id$[rounds=N$]salt$hash`);
    // crypt(3) writes the rounds it used, so a stored value below the minimum cannot come from it.
    rounds = within(integer(m[1], `${format} rounds`), SHA_CRYPT_ROUNDS.min, limits.shaCryptMaxRounds, `${format} rounds`);
    rest = rest.slice(1);
  }
  if (rest.length !== 2) fail(`${format} hash must be $id$[rounds=N$]salt$hash`);
  return { format, rounds, salt: cryptSalt(rest[0], SHA_CRYPT_MAX_SALT, format), hash: cryptHash(rest[1], length, format) };
}

/**
 * Recognises and fully validates a stored password hash in any format Ory Kratos accepts for
 * `credentials.password.config.hashed_password` (plus the native `$1$`, `$5$`, `$6$` crypt forms), without
 * computing anything expensive.
 *
 * Accepted: bcrypt `$2a$`/`$2b$`/`$2y$`; argon2id/argon2i PHC (v=19); `$pbkdf2-sha1|sha224|sha256|sha384|sha512$`
 * (sha224/sha384 mean SHA3, as in Kratos); `$scrypt$` (N written as `ln`); `$firescrypt$`; `$md5$` plain or
 * salted; `$sha1$`/`$sha256$`/`$sha512$` salted; `{SSHA}`/`{SSHA256}`/`{SSHA512}`; md5-crypt, sha256-crypt and
 * sha512-crypt, native or with Kratos's `$md5-crypt$`, `$sha256-crypt$`, `$sha512-crypt$` prefixes. Base64 fields
 * use the standard alphabet, padding optional; integers are plain decimals.
 *
 * Invariants of the result: parameters are within the format's rules and under `limits` (the DoS caps), byte
 * fields decoded, and no field is so short that any password would match: digests have their full size, derived
 * keys at least 8 bytes, salting patterns contain `{PASSWORD}`.
 *
 * @throws UnknownHashFormatError for an unknown prefix, and for a known prefix with a malformed body.
 */
export function parseHash(hash: string, limits: HashLimits = DEFAULT_HASH_LIMITS): ParsedHash {
  if (typeof hash !== 'string' || hash.length === 0) fail('empty hash');
  if (hash.length > limits.maxHashLength) fail(`hash is longer than ${limits.maxHashLength} characters`);
  if (hash.startsWith('{')) return parseSsha(hash);
  if (!hash.startsWith('$')) fail('unrecognised prefix');
  const parts = hash.split('$');
  const id = parts[1];
  switch (id) {
    case '2a':
    case '2b':
    case '2y':
      return parseBcrypt(hash, limits);
    case 'argon2id':
    case 'argon2i':
      return parseArgon2(parts, limits);
    case 'pbkdf2-sha1':
    case 'pbkdf2-sha224':
    case 'pbkdf2-sha256':
    case 'pbkdf2-sha384':
    case 'pbkdf2-sha512':
      return parsePbkdf2(parts, limits);
    case 'scrypt':
      return parseScrypt(parts, limits);
    case 'firescrypt':
      return parseFirescrypt(parts, limits);
    case 'md5':
      return parseMd5(parts);
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return parseSha(parts);
    case '1':
    case 'md5-crypt':
      return parseMd5Crypt(parts);
    case '5':
    case 'sha256-crypt':
      return parseShaCrypt('sha256-crypt', parts, limits);
    case '6':
    case 'sha512-crypt':
      return parseShaCrypt('sha512-crypt', parts, limits);
    default:
      return fail('unrecognised prefix');
  }
}
