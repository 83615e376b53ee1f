import { SecretCipher } from '../x';

/**
 * Encrypts key material at rest with AES-256-GCM (Hydra encrypts JWKs with its system secret): a
 * {@link SecretCipher} for the `jwk` purpose keyed from `secrets.system`. The first secret encrypts;
 * every secret decrypts, so rotating `secrets.system` (new first, old kept) keeps stored keys readable.
 */
export class KeyCipher extends SecretCipher {
  /** @throws Error when `secrets` is empty. */
  constructor(secrets: readonly string[]) {
    super('jwk', secrets);
  }
}
