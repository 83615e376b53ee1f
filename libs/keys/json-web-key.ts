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

/**
 * Signing algorithms Tessera generates and accepts keys for (Hydra v2's list; HS256/HS512 are not
 * supported). ES256 is the default for generated sets; RS256 exists because OIDC requires it.
 */
export const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** One of {@link SIGNING_ALGORITHMS}. */
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** True when `alg` names a supported signing algorithm. */
export function isSigningAlgorithm(alg: unknown): alg is SigningAlgorithm {
  return typeof alg === 'string' && (SIGNING_ALGORITHMS as readonly string[]).includes(alg);
}

/** The private members of RFC 7517/7518 keys; never published. */
export const PRIVATE_JWK_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'];

/** The public form of a key: private members removed (a public key is returned unchanged). */
export function toPublicJwk(key: JsonWebKey): JsonWebKey {
  return Object.fromEntries(Object.entries(key).filter(([member]) => !PRIVATE_JWK_MEMBERS.includes(member))) as JsonWebKey;
}

/** True when the key carries private material. */
export function isPrivateJwk(key: JsonWebKey): boolean {
  return PRIVATE_JWK_MEMBERS.some((member) => key[member] !== undefined);
}
