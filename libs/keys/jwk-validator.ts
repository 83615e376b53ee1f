import Ajv, { type ErrorObject } from 'ajv';
import { CompactSign, compactVerify, importJWK } from 'jose';
import { type JsonWebKey, type JsonWebKeySet, SIGNING_ALGORITHMS, type SigningAlgorithm, isPrivateJwk, toPublicJwk } from './json-web-key';
import { lazy } from '../x';
import { invalidJsonWebKey } from './key-errors';
import { RSA_MODULUS_BITS } from './key-generator';

const b64u = { type: 'string', pattern: '^[A-Za-z0-9_-]+$' };
const needs = (...members: string[]) => ({ type: 'object', required: members, properties: Object.fromEntries(members.map((m) => [m, true])) });

/**
 * The JSON shape of a JWK accepted by `PUT /admin/keys/{set}[/{kid}]`: Hydra's `JsonWebKey` members
 * (SDK: `alg`, `kid`, `kty`, `use` plus key material) and the few RFC 7517 extras Web Crypto exports.
 * Symmetric (`oct`) keys are refused: Hydra v2 has no HS* support and a set must never hold a
 * secret that would be published. Which members each key type needs is checked here too.
 */
export const jsonWebKeySchema = {
  $id: 'tessera:jwk',
  type: 'object',
  required: ['kty', 'kid', 'alg'],
  additionalProperties: false,
  properties: {
    kty: { enum: ['RSA', 'EC', 'OKP'] },
    kid: { type: 'string', minLength: 1, maxLength: 255 },
    alg: { enum: [...SIGNING_ALGORITHMS] },
    use: { enum: ['sig', 'enc'] },
    crv: { enum: ['P-256', 'P-384', 'P-521', 'Ed25519'] },
    n: b64u,
    e: b64u,
    x: b64u,
    y: b64u,
    d: b64u,
    p: b64u,
    q: b64u,
    dp: b64u,
    dq: b64u,
    qi: b64u,
    key_ops: { type: 'array', items: { type: 'string' } },
    ext: { type: 'boolean' },
    x5c: { type: 'array', items: { type: 'string' } },
    x5u: { type: 'string' },
    x5t: { type: 'string' },
    'x5t#S256': { type: 'string' },
  },
  allOf: [
    { if: { type: 'object', properties: { kty: { const: 'RSA' } } }, then: needs('n', 'e') },
    { if: { type: 'object', properties: { kty: { const: 'EC' } } }, then: needs('crv', 'x', 'y') },
    { if: { type: 'object', properties: { kty: { const: 'OKP' } } }, then: needs('crv', 'x') },
  ],
} as const;

/** `{"keys": [...]}` as sent to `PUT /admin/keys/{set}`. */
export const jsonWebKeySetSchema = {
  $id: 'tessera:jwks',
  type: 'object',
  required: ['keys'],
  additionalProperties: false,
  properties: { keys: { type: 'array', maxItems: 100, items: { $ref: 'tessera:jwk' } } },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true });
// Compiled on first use: loading this module at boot compiles nothing.
const checkKey = lazy(() => ajv.compile<JsonWebKey>(jsonWebKeySchema));
const checkSet = lazy(() => {
  checkKey(); // the set's items are `$ref: tessera:jwk`, which checkKey's compile registers
  return ajv.compile<JsonWebKeySet>(jsonWebKeySetSchema);
});

/** Which key type (and curve) each algorithm needs. */
const KEY_TYPE: Record<SigningAlgorithm, { kty: string; crv?: string }> = {
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

const PROBE = new TextEncoder().encode('tessera jwk probe');

/**
 * Checks one JWK from an admin body: the JSON shape (ajv), then that `alg` fits the key type and curve,
 * that RSA moduli have at least 2048 bits, that jose can import the key and, for a private key, that it
 * signs something its own public part verifies (a private key that does not match its public members
 * is refused). `use` defaults to `sig`, as in Hydra.
 * @throws OryError 400 `Bad Request` naming the member (`Unsupported key algorithm` for a bad `alg`)
 */
export async function validateJsonWebKey(input: unknown, where = 'the JSON Web Key'): Promise<JsonWebKey> {
  const validKey = checkKey();
  if (!validKey(input)) throw invalidJsonWebKey(describe(validKey.errors ?? [], where));
  return checkMaterial({ ...input, use: input.use ?? 'sig' }, where);
}

/**
 * Checks a `{"keys": [...]}` body; each key as {@link validateJsonWebKey}.
 * @throws OryError 400 naming the first problem (`keys.2.crv: ...`)
 */
export async function validateJsonWebKeySet(input: unknown): Promise<JsonWebKey[]> {
  const validSet = checkSet();
  if (!validSet(input)) throw invalidJsonWebKey(describe(validSet.errors ?? [], 'the JSON Web Key Set'));
  const keys: JsonWebKey[] = [];
  for (const [i, key] of input.keys.entries()) keys.push(await checkMaterial({ ...key, use: key.use ?? 'sig' }, `keys.${i}`));
  return keys;
}

async function checkMaterial(key: JsonWebKey, where: string): Promise<JsonWebKey> {
  const alg = key.alg as SigningAlgorithm;
  const wanted = KEY_TYPE[alg];
  if (key.kty !== wanted.kty || (wanted.crv !== undefined && key.crv !== wanted.crv)) {
    const has = `kty ${key.kty}${key.crv ? ` with crv ${String(key.crv)}` : ''}`;
    throw invalidJsonWebKey(`${where}: alg ${alg} needs kty ${wanted.kty}${wanted.crv ? ` with crv ${wanted.crv}` : ''}, not ${has}.`);
  }
  if (key.kty === 'RSA' && Buffer.from(String(key.n), 'base64url').length * 8 < RSA_MODULUS_BITS) {
    throw invalidJsonWebKey(`${where}: RSA keys need a modulus of at least ${RSA_MODULUS_BITS} bits.`);
  }
  try {
    const publicKey = await importJWK(toPublicJwk(key), alg);
    if (isPrivateJwk(key)) {
      const jws = await new CompactSign(PROBE).setProtectedHeader({ alg }).sign(await importJWK(key, alg));
      await compactVerify(jws, publicKey);
    }
  } catch {
    throw invalidJsonWebKey(`${where}: the key material is not a valid ${alg} key (its private part must match its public part).`);
  }
  return key;
}

function describe(errors: ErrorObject[], where: string): string {
  const e = errors[0];
  if (!e) return `${where} is invalid.`;
  const path = e.instancePath.replace(/^\//, '').split('/').join('.');
  if (e.keyword === 'enum' && path.endsWith('alg')) return 'Unsupported key algorithm';
  const at = path ? `${where}: ${path}` : where;
  if (e.keyword === 'additionalProperties') return `${at}: member ${(e.params as { additionalProperty: string }).additionalProperty} is not allowed.`;
  if (e.keyword === 'enum') return `${at} ${e.message ?? 'is invalid'} (${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}).`;
  return `${at} ${e.message ?? 'is invalid'}.`;
}
