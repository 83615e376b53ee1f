import { exportJWK, generateKeyPair } from 'jose';
import { newId } from '../x';
import type { JsonWebKey, SigningAlgorithm } from './json-web-key';

/**
 * Generates a private signing JWK with jose (extractable). ES256 uses P-256; RS256 uses a 2048-bit
 * modulus (Hydra uses 4096 bits; 2048 is the common OIDC size and keeps boot and rotation fast).
 * Invariant: the kid is a fresh UUID v4 unless one is given, so kids never collide across sets.
 */
export async function generateSigningKey(alg: SigningAlgorithm, kid: string = newId(), use = 'sig'): Promise<JsonWebKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid, alg, use } as JsonWebKey;
}
