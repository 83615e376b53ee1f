/**
 * Upper bounds on the parameters of a stored hash, so that one imported hash cannot make each login attempt
 * cost minutes of CPU or gigabytes of memory (a denial of service through the admin import API or a tampered
 * database row). A hash over any bound is refused as malformed ({@link UnknownHashFormatError}) when it is
 * imported, and never computed.
 */
export interface HashLimits {
  /** Longest accepted hash string, in characters. */
  maxHashLength: number;
  /** pbkdf2, scrypt, argon2: most bytes in a derived key (the fewest is always 8). */
  maxDerivedKeyBytes: number;
  /** bcrypt: highest cost (log2 of the rounds). */
  bcryptMaxCost: number;
  /** argon2: most memory in KiB, passes and lanes. */
  argon2MaxMemory: number;
  argon2MaxIterations: number;
  argon2MaxParallelism: number;
  /** pbkdf2: most iterations times output blocks (`i x ceil(l / digest size)`), the real work. */
  pbkdf2MaxWork: number;
  /** scrypt and firebase-scrypt: most memory (`128 x N x r` bytes) and most parallel lanes `p`. */
  scryptMaxMemoryBytes: number;
  scryptMaxParallelism: number;
  /** sha256-crypt and sha512-crypt: most rounds (they run in JavaScript, about 2 µs a round). */
  shaCryptMaxRounds: number;
}

/**
 * The limits used unless a caller passes its own: generous for every real-world export we know of (bcrypt
 * cost 16 is ~5 s; argon2 1 GiB / 32 passes / 256 lanes; pbkdf2 10 million iterations, above OWASP's
 * 2023 advice of 1.3 million for SHA-1; scrypt 256 MiB, i.e. N = 2^18 at r = 8, p <= 16; SHA-crypt one million
 * rounds, ~2 s). {@link PasswordHasher} raises the bcrypt and argon2 bounds to its own settings when those are
 * higher, so the hashes it makes always verify.
 */
export const DEFAULT_HASH_LIMITS: Readonly<HashLimits> = Object.freeze({
  maxHashLength: 4096,
  maxDerivedKeyBytes: 1024,
  bcryptMaxCost: 16,
  argon2MaxMemory: 1024 * 1024,
  argon2MaxIterations: 32,
  argon2MaxParallelism: 256,
  pbkdf2MaxWork: 10_000_000,
  scryptMaxMemoryBytes: 256 * 1024 * 1024,
  scryptMaxParallelism: 16,
  shaCryptMaxRounds: 1_000_000,
});
