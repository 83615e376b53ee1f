import { JwtSigner, KeyManager } from '../keys';
import { TypeormKeyStore } from '../persistence';
import { CourierWiring } from './wire-courier';

/** Keys: the realm's JWK sets and the JWT signer. */
export abstract class KeysWiring extends CourierWiring {
  get keyStore(): TypeormKeyStore {
    return this.once('keyStore', () => new TypeormKeyStore(this.persistence));
  }

  /** JWK sets: encrypted at rest, cached for signers for `oauth2.keys.refresh_interval`. */
  get keyManager(): KeyManager {
    return this.once('keyManager', () => new KeyManager(this.deps));
  }

  /** Signs JWTs with a managed key set or a JWKS URL (the session tokenizer's signer). */
  get jwtSigner(): JwtSigner {
    return this.once('jwtSigner', () => new JwtSigner(this.deps));
  }
}
