/**
 * Thrown when a stored or imported password hash is in no format Tessera can verify, or names a known format
 * but is malformed (wrong number of fields, bad base64, parameters out of range or above the DoS caps of
 * {@link DEFAULT_HASH_LIMITS}). It never means "wrong password": verification of a well-formed hash answers
 * `false` instead. At import time callers map it to a 400 and store nothing.
 */
export class UnknownHashFormatError extends Error {
  /** Why the hash was refused, for logs only (may name parameters, never contains the hash). */
  readonly detail: string;

  constructor(detail = 'unrecognised prefix') {
    super('The imported password does not match any known hash format.');
    this.name = 'UnknownHashFormatError';
    this.detail = detail;
  }
}
