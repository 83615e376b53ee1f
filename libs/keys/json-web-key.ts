/** A JSON Web Key (RFC 7517) as stored and served; private members are present only on private keys. */
export interface JsonWebKey {
  readonly kty: string;
  readonly kid: string;
  readonly alg: string;
  readonly use: string;
  readonly [member: string]: unknown;
}

/** A JSON Web Key Set. */
export interface JsonWebKeySet {
  readonly keys: readonly JsonWebKey[];
}

/** Signs ID tokens, logout tokens and signed userinfo; verifies `id_token_hint` (Hydra's set name). */
export const OPENID_ID_TOKEN_SET = 'hydra.openid.id-token';

/** Signs JWT access tokens (Hydra's set name). */
export const JWT_ACCESS_TOKEN_SET = 'hydra.jwt.access-token';

/** Signing algorithms Tessera generates keys for. ES256 is the default; RS256 exists because OIDC requires it. */
export type SigningAlgorithm = 'ES256' | 'RS256';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];

/** The public form of a key: private members removed (a public key is returned unchanged). */
export function toPublicJwk(key: JsonWebKey): JsonWebKey {
  return Object.fromEntries(Object.entries(key).filter(([member]) => !PRIVATE_MEMBERS.includes(member))) as JsonWebKey;
}

/** True when the key carries private material. */
export function isPrivateJwk(key: JsonWebKey): boolean {
  return PRIVATE_MEMBERS.some((member) => key[member] !== undefined);
}
