/** bcrypt reads at most this many bytes (UTF-8) of a password. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;
/** No algorithm is given a longer password (UTF-8 bytes): it bounds the work one request can cause. */
export const MAX_PASSWORD_BYTES = 4096;

/**
 * Thrown by {@link PasswordHasher.hash} when a password cannot be hashed without losing part of it, or is
 * longer than Tessera accepts.
 *
 * bcrypt reads at most 72 bytes (UTF-8) of a password; rather than truncating silently (so that every password
 * sharing the first 72 bytes would match), Tessera refuses longer passwords when bcrypt is the hasher. Every
 * algorithm refuses passwords longer than 4096 bytes, to bound the work one request can cause. Callers map it
 * to a 400 validation error; the message is safe to show.
 */
export class PasswordTooLongError extends Error {
  /** The most bytes accepted. */
  readonly maxBytes: number;

  /** @param algorithm the algorithm whose own limit applies (bcrypt), or none for Tessera's general cap */
  constructor(maxBytes: number, algorithm?: string) {
    super(
      algorithm
        ? `The password is longer than ${maxBytes} bytes, the most ${algorithm} can hash.`
        : `The password is longer than ${maxBytes} bytes, the most Tessera accepts.`,
    );
    this.name = 'PasswordTooLongError';
    this.maxBytes = maxBytes;
  }
}
