/**
 * A stored password hash, decoded and validated by {@link parseHash}: everything needed to verify a password
 * against it, with no string parsing left. Byte fields are never empty where emptiness would make any password
 * match (`hash` always has the full digest or at least 8 derived bytes).
 */
export type ParsedHash =
  /** `$2a$`, `$2b$`, `$2y$`; `hash` is the string to hand to bcrypt (`$2y$` rewritten to the identical `$2b$`). */
  | { format: 'bcrypt'; cost: number; hash: string }
  /** `$argon2id$` / `$argon2i$` PHC strings, version 19 only; `memory` in KiB. */
  | { format: 'argon2id' | 'argon2i'; memory: number; iterations: number; parallelism: number; salt: Buffer; hash: Buffer }
  /** `$pbkdf2-<alg>$i=,l=$salt$hash`; Kratos's sha224/sha384 mean SHA3-224/SHA3-384, kept as node digest names. */
  | { format: 'pbkdf2'; digest: Pbkdf2Digest; iterations: number; salt: Buffer; hash: Buffer }
  /** `$scrypt$ln=<N>,r=,p=$salt$hash` (Kratos writes N itself under the name `ln`). */
  | { format: 'scrypt'; n: number; r: number; p: number; salt: Buffer; hash: Buffer }
  /** Firebase's modified scrypt; `memCost` is log2 N, `rounds` is scrypt's r. `hash.length === signerKey.length`. */
  | {
      format: 'firescrypt';
      memCost: number;
      rounds: number;
      p: number;
      salt: Buffer;
      saltSeparator: Buffer;
      signerKey: Buffer;
      hash: Buffer;
    }
  /** `$md5$<hash>` (`salted` undefined) or `$md5$pf=<pattern>$<salt>$<hash>`. */
  | { format: 'md5'; salted?: { pattern: Buffer; salt: Buffer }; hash: Buffer }
  /** `$sha1$`, `$sha256$`, `$sha512$` with `pf=<pattern>$<salt>$<hash>`. */
  | { format: 'sha'; digest: 'sha1' | 'sha256' | 'sha512'; pattern: Buffer; salt: Buffer; hash: Buffer }
  /** LDAP `{SSHA}`, `{SSHA256}`, `{SSHA512}`: digest(password + salt) followed by the salt. */
  | { format: 'ssha'; digest: 'sha1' | 'sha256' | 'sha512'; salt: Buffer; hash: Buffer }
  /** `$1$salt$hash` or `$md5-crypt$salt$hash`; `hash` is the 22 crypt-base64 characters. */
  | { format: 'md5-crypt'; salt: string; hash: string }
  /** `$5$`/`$6$` or `$sha256-crypt$`/`$sha512-crypt$`, optional `rounds=N$`; `hash` is crypt-base64. */
  | { format: 'sha256-crypt' | 'sha512-crypt'; rounds?: number; salt: string; hash: string };

/** The node:crypto digest names pbkdf2 hashes may use. */
export type Pbkdf2Digest = 'sha1' | 'sha256' | 'sha512' | 'sha3-224' | 'sha3-384';

/** Every format Tessera verifies, as a string-literal union (Kratos's names where it has them). */
export type HashFormat = ParsedHash['format'];
