import { DEFAULT_HASH_LIMITS, type HashLimits } from './hash-limits';
import { parseHash } from './parse-hash';
import type { HashFormat } from './parsed-hash';

/**
 * Names the format of a stored password hash after validating it fully (see {@link parseHash} for the accepted
 * formats and the checks).
 *
 * @throws UnknownHashFormatError for an unknown prefix, or a known prefix with a malformed body or parameters
 * over `limits`.
 */
export function parseHashFormat(hash: string, limits: HashLimits = DEFAULT_HASH_LIMITS): HashFormat {
  return parseHash(hash, limits).format;
}
