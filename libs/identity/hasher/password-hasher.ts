import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import * as bcrypt from 'bcrypt';
import { argon2 } from './argon2-module';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { DEFAULT_HASH_LIMITS, type HashLimits } from './hash-limits';
import type { HasherSettings } from './hasher-settings';
import { parseHash } from './parse-hash';
import { BCRYPT_MAX_PASSWORD_BYTES, MAX_PASSWORD_BYTES, PasswordTooLongError } from './password-too-long-error';
import { verifyParsedHash } from './verify-parsed-hash';

/**
 * Hashes new passwords with the configured algorithm and verifies passwords against stored hashes of any
 * supported format (our own bcrypt/argon2id, and everything Kratos imports: see {@link parseHash}).
 *
 * Invariants:
 * - At most `concurrency` hash or verify computations run at once (FIFO queue beyond that); each runs off the
 *   event loop (bcrypt, argon2, scrypt and pbkdf2 in libuv's threadpool; the pure-JS crypt formats yield).
 * - A password is never truncated: bcrypt refuses more than 72 bytes, everything refuses more than 4096 bytes.
 * - Hashes this instance produces always pass its own `verify` and report `needsRehash() === false`: the DoS
 *   limits of {@link DEFAULT_HASH_LIMITS} are raised to the configured bcrypt/argon2 parameters when these are higher.
 */
export class PasswordHasher {
  /** The number of hash/verify computations allowed to run at once. */
  readonly concurrency: number;
  /** The parameter caps applied to stored hashes by `verify` and `needsRehash`. */
  readonly limits: Readonly<HashLimits>;
  private readonly limiter: ConcurrencyLimiter;

  constructor(private readonly settings: HasherSettings) {
    this.concurrency = settings.max_concurrency > 0 ? settings.max_concurrency : 2 * availableParallelism();
    this.limiter = new ConcurrencyLimiter(this.concurrency);
    const d = DEFAULT_HASH_LIMITS;
    this.limits = Object.freeze({
      ...d,
      bcryptMaxCost: Math.max(d.bcryptMaxCost, settings.bcrypt.cost),
      argon2MaxMemory: Math.max(d.argon2MaxMemory, settings.argon2.memory),
      argon2MaxIterations: Math.max(d.argon2MaxIterations, settings.argon2.iterations),
      argon2MaxParallelism: Math.max(d.argon2MaxParallelism, settings.argon2.parallelism),
      maxDerivedKeyBytes: Math.max(d.maxDerivedKeyBytes, settings.argon2.key_length),
      maxHashLength: Math.max(d.maxHashLength, 128 + 2 * (settings.argon2.key_length + settings.argon2.salt_length)),
    });
  }

  /**
   * Hashes a new password: bcrypt (`$2b$<cost>$...`) with the configured cost, or argon2id as a PHC string
   * (`$argon2id$v=19$m=<memory>,t=<iterations>,p=<parallelism>$<salt>$<hash>`) with a fresh random salt of
   * `salt_length` bytes and a `key_length`-byte hash.
   *
   * @throws PasswordTooLongError (a 400) when bcrypt is configured and the password is over 72 UTF-8 bytes
   * (bcrypt would silently ignore the rest), or with any algorithm when it is over 4096 bytes.
   */
  async hash(password: string): Promise<string> {
    const bytes = Buffer.byteLength(password, 'utf8');
    if (bytes > MAX_PASSWORD_BYTES) throw new PasswordTooLongError(MAX_PASSWORD_BYTES);
    const { algorithm, bcrypt: b, argon2: a } = this.settings;
    if (algorithm === 'bcrypt') {
      if (bytes > BCRYPT_MAX_PASSWORD_BYTES) throw new PasswordTooLongError(BCRYPT_MAX_PASSWORD_BYTES, 'bcrypt');
      return this.limiter.run(() => bcrypt.hash(password, b.cost));
    }
    const salt = randomBytes(a.salt_length);
    const key = await this.limiter.run(() =>
      argon2().hash(password, {
        raw: true,
        type: argon2().argon2id,
        version: 0x13,
        memoryCost: a.memory,
        timeCost: a.iterations,
        parallelism: a.parallelism,
        hashLength: a.key_length,
        salt,
      }),
    );
    // Written by hand: the argon2 package orders the parameters m,p,t; Kratos and the PHC spec write m,t,p.
    const b64 = (buf: Buffer) => buf.toString('base64').replace(/=+$/, '');
    return `$argon2id$v=19$m=${a.memory},t=${a.iterations},p=${a.parallelism}$${b64(salt)}$${b64(key)}`;
  }

  /**
   * Checks a password against a stored hash in any supported format, dispatching on the hash's prefix and
   * comparing in constant time.
   *
   * Resolves `false` for a wrong password, and for one that could not have been hashed (over 4096 bytes, or
   * over 72 bytes against a bcrypt hash); never rejects because of the password.
   *
   * @throws UnknownHashFormatError (rejects) when the stored hash cannot be parsed or is over the limits.
   */
  async verify(password: string, hash: string): Promise<boolean> {
    const parsed = parseHash(hash, this.limits);
    const bytes = Buffer.from(password, 'utf8');
    if (bytes.length > MAX_PASSWORD_BYTES) return false;
    return this.limiter.run(() => verifyParsedHash(bytes, parsed));
  }

  /**
   * Whether a stored hash should be replaced by `hash(password)` after a successful login: true unless it is in
   * the configured algorithm with exactly the configured parameters (bcrypt: the cost, whatever the
   * `$2a$`/`$2b$`/`$2y$` spelling; argon2: argon2id with the same m, t, p, salt length and key length). Any
   * imported format (pbkdf2, scrypt, md5, ...) needs a rehash.
   *
   * @throws UnknownHashFormatError when the stored hash cannot be parsed.
   */
  needsRehash(hash: string): boolean {
    const parsed = parseHash(hash, this.limits);
    const { algorithm, bcrypt: b, argon2: a } = this.settings;
    if (algorithm === 'bcrypt') return parsed.format !== 'bcrypt' || parsed.cost !== b.cost;
    return !(
      parsed.format === 'argon2id' &&
      parsed.memory === a.memory &&
      parsed.iterations === a.iterations &&
      parsed.parallelism === a.parallelism &&
      parsed.salt.length === a.salt_length &&
      parsed.hash.length === a.key_length
    );
  }
}
