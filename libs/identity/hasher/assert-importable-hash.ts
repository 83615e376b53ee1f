import { DEFAULT_HASH_LIMITS, type HashLimits } from './hash-limits';
import { parseHash } from './parse-hash';

/**
 * Validates an imported `credentials.password.config.hashed_password` completely, without a password: the
 * format is known, every field decodes, and the parameters are sane and under `limits`. Call it before storing
 * anything, so a hash that could never verify (or would cost minutes to) is a 400 at import rather than a
 * locked-out user later. Cheap: nothing is hashed.
 *
 * @throws UnknownHashFormatError (a 400 at the admin API) when the hash is not importable.
 */
export function assertImportableHash(hash: string, limits: HashLimits = DEFAULT_HASH_LIMITS): void {
  parseHash(hash, limits);
}
