import { exportJWK, generateKeyPair } from 'jose';
import { newId } from '../x';
import type { JsonWebKey, SigningAlgorithm } from './json-web-key';

/** RSA modulus for generated keys (RS*, PS*). */
export const RSA_MODULUS_BITS = 2048;

/**
 * Generates a private signing JWK with jose (extractable). ES256/384/512 use P-256/P-384/P-521,
 * EdDSA uses Ed25519, RS* and PS* a 2048-bit modulus (Hydra uses 4096 bits; 2048 is the common OIDC
 * size and keeps boot, rotation and the admin API fast).
 * Invariant: the kid is a fresh UUID v4 unless one is given, so kids never collide across sets.
 */
export async function generateSigningKey(alg: SigningAlgorithm, kid: string = newId(), use = 'sig'): Promise<JsonWebKey> {
  const options = alg.startsWith('RS') || alg.startsWith('PS') ? { modulusLength: RSA_MODULUS_BITS } : alg === 'EdDSA' ? { crv: 'Ed25519' } : {};
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...options });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid, alg, use } as JsonWebKey;
}
