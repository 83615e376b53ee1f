import { generateKeyPairSync } from 'node:crypto';
import { isOryError } from '../http/errors';
import { type JsonWebKey, toPublicJwk } from './json-web-key';
import { validateJsonWebKey, validateJsonWebKeySet } from './jwk-validator';
import { generateSigningKey } from './key-generator';

/** The 400's description, or a failure when the call succeeds or throws something else. */
async function reason(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (e) {
    if (isOryError(e) && e.code === 400) return e.reason;
    throw e;
  }
  throw new Error('expected a 400');
}

describe('validateJsonWebKey', () => {
  let es256: JsonWebKey;
  let ps256: JsonWebKey;
  beforeAll(async () => {
    es256 = await generateSigningKey('ES256', 'ec');
    ps256 = await generateSigningKey('PS256', 'rsa');
  });

  it('accepts private and public keys of every supported type, defaulting use to sig', async () => {
    const { use: _use, ...withoutUse } = es256;
    expect(await validateJsonWebKey(withoutUse)).toEqual({ ...withoutUse, use: 'sig' });
    expect(await validateJsonWebKey(toPublicJwk(ps256))).toEqual(toPublicJwk(ps256));
    for (const alg of ['ES384', 'ES512', 'EdDSA'] as const) {
      const key = await generateSigningKey(alg, alg);
      expect(await validateJsonWebKey(key)).toEqual(key);
    }
  });

  it.each([
    ['a body that is not an object', () => 'nope', 'the JSON Web Key must be object.'],
    ['a missing kid', (k: JsonWebKey) => ({ ...k, kid: undefined }), "the JSON Web Key must have required property 'kid'."],
    ['an empty kid', (k: JsonWebKey) => ({ ...k, kid: '' }), 'the JSON Web Key: kid must NOT have fewer than 1 characters.'],
    ['an HMAC algorithm', (k: JsonWebKey) => ({ ...k, alg: 'HS256' }), 'Unsupported key algorithm'],
    ['a symmetric key', () => ({ kty: 'oct', kid: 'h', alg: 'ES256', k: 'c2VjcmV0' }), 'the JSON Web Key: member k is not allowed.'],
    ['a symmetric key type', () => ({ kty: 'oct', kid: 'h', alg: 'ES256' }), 'the JSON Web Key: kty must be equal to one of the allowed values (RSA, EC, OKP).'],
    ['an unknown member', (k: JsonWebKey) => ({ ...k, secret: 'x' }), 'the JSON Web Key: member secret is not allowed.'],
    ['an EC key without y', (k: JsonWebKey) => ({ ...k, y: undefined }), "the JSON Web Key must have required property 'y'."],
    ['a use other than sig/enc', (k: JsonWebKey) => ({ ...k, use: 'both' }), 'the JSON Web Key: use must be equal to one of the allowed values (sig, enc).'],
    ['an alg that does not fit the curve', (k: JsonWebKey) => ({ ...k, alg: 'ES384' }), 'the JSON Web Key: alg ES384 needs kty EC with crv P-384, not kty EC with crv P-256.'],
    ['an alg that does not fit the key type', (k: JsonWebKey) => ({ ...k, alg: 'RS256' }), 'the JSON Web Key: alg RS256 needs kty RSA, not kty EC with crv P-256.'],
  ])('refuses %s', async (_label, mutate, expected) => {
    const input = JSON.parse(JSON.stringify(mutate(es256) ?? null)) as unknown;
    expect(await reason(validateJsonWebKey(input))).toBe(expected);
  });

  it('refuses a private part that does not belong to the public part', async () => {
    const other = await generateSigningKey('ES256', 'other');
    expect(await reason(validateJsonWebKey({ ...es256, d: other.d }))).toMatch(/private part must match its public part/);
    expect(await reason(validateJsonWebKey({ ...es256, x: other.x }))).toMatch(/not a valid ES256 key/);
  });

  it('refuses RSA moduli under 2048 bits', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const small = { ...privateKey.export({ format: 'jwk' }), kid: 'small', alg: 'RS256', use: 'sig' };
    expect(await reason(validateJsonWebKey(small))).toBe('the JSON Web Key: RSA keys need a modulus of at least 2048 bits.');
  });
});

describe('validateJsonWebKeySet', () => {
  it('names the index of the first bad key', async () => {
    const good = await generateSigningKey('ES256', 'good');
    expect(await validateJsonWebKeySet({ keys: [good] })).toEqual([good]);
    expect(await validateJsonWebKeySet({ keys: [] })).toEqual([]);
    expect(await reason(validateJsonWebKeySet({ keys: [good, { ...good, crv: 'P-384' }] }))).toBe('keys.1: alg ES256 needs kty EC with crv P-256, not kty EC with crv P-384.');
    expect(await reason(validateJsonWebKeySet({ keys: [good, { ...good, alg: 'HS512' }] }))).toBe('Unsupported key algorithm');
    expect(await reason(validateJsonWebKeySet({ keys: good }))).toBe('the JSON Web Key Set: keys must be array.');
    expect(await reason(validateJsonWebKeySet({}))).toBe("the JSON Web Key Set must have required property 'keys'.");
  });
});
