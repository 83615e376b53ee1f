import { SignJWT, importJWK } from 'jose';
import { loadConfig } from '../../config';
import { type JsonWebKey, KeyManager, MemoryKeyStore, generateSigningKey, toPublicJwk } from '../../keys';
import { FixedClock, type Transaction, newId, type Ctx, withTx } from '../../x';
import { AssertionVerifier } from './jwt-bearer';
import { MemoryJtiStore, MemoryTrustGrantStore } from './memory-grant-store';
import type { TrustGrant } from './trust-grant';
import { testCtx } from '../../x/testing';

const ctx = testCtx();

const ISS = 'https://idp.example.com';
const TOKEN_URL = 'https://auth.example.com/oauth2/token';
const transactions = { withTransaction: <T>(ctx: Ctx, work: (ctx: Ctx) => Promise<T>) => work(withTx(ctx, {} as Transaction)) };

function setup(env: Record<string, string> = {}) {
  const config = loadConfig({ skipDefaultFile: true, env });
  const clock = new FixedClock(new Date('2026-01-01T00:00:00.000Z'));
  const trustGrantStore = new MemoryTrustGrantStore();
  const jtiStore = new MemoryJtiStore();
  const keyManager = new KeyManager({ keyStore: new MemoryKeyStore(), clock, transactions, config, secrets: { default: [], cookie: [], cipher: [], system: ['system-secret-aaaaaaaaaaaaaaa'] } });
  const verifier = new AssertionVerifier({ trustGrantStore, jtiStore, keyManager, clock, config });
  const trust = async (key: JsonWebKey, overrides: Partial<TrustGrant> = {}) => {
    if (!(await keyManager.getKey(ctx, ISS, key.kid))) await keyManager.addKey(ctx, ISS, toPublicJwk(key));
    const grant: TrustGrant = {
      id: newId(),
      issuer: ISS,
      subject: 'alice',
      allowAnySubject: false,
      scope: ['api:read', 'api:write'],
      publicKey: { set: ISS, kid: key.kid },
      createdAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 3_600_000),
      ...overrides,
    };
    await trustGrantStore.create(ctx, grant);
    return grant;
  };
  const sign = async (key: JsonWebKey, claims: Record<string, unknown> = {}, kid: string | undefined = key.kid) => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const body = { iss: ISS, sub: 'alice', aud: TOKEN_URL, iat: now, exp: now + 300, jti: newId(), ...claims };
    for (const [k, v] of Object.entries(body)) if (v === undefined) delete (body as Record<string, unknown>)[k];
    return new SignJWT(body).setProtectedHeader({ alg: key.alg, ...(kid ? { kid } : {}) }).sign(await importJWK(key, key.alg));
  };
  const verify = (assertion: string | undefined, scope: string[] = []) => verifier.verify(ctx, { assertion, audience: TOKEN_URL, scope });
  return { clock, trust, sign, verify };
}

describe('AssertionVerifier', () => {
  let key: JsonWebKey;
  let other: JsonWebKey;
  beforeAll(async () => {
    key = await generateSigningKey('ES256', 'idp-1');
    other = await generateSigningKey('ES256', 'idp-1');
  });

  it('accepts a valid assertion and reports subject, trusted scope and expiry', async () => {
    const t = setup();
    await t.trust(key);
    const outcome = await t.verify(await t.sign(key), ['api:read']);
    expect(outcome).toMatchObject({ kind: 'accepted', issuer: ISS, subject: 'alice', trustedScope: ['api:read', 'api:write'] });
  });

  it('finds the key without a kid header, and accepts any subject when the grant allows it', async () => {
    const t = setup();
    await t.trust(key, { subject: '', allowAnySubject: true });
    expect(await t.verify(await t.sign(key, { sub: 'bob' }, undefined))).toMatchObject({ kind: 'accepted', subject: 'bob' });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a wrong aud', { aud: 'https://elsewhere.example.com/token' }, 'invalid_grant', '"aud"'],
    ['no exp', { exp: undefined }, 'invalid_grant', '"exp"'],
    ['an exp in the past', { exp: 1767225500 }, 'invalid_grant', 'expired'],
    ['an nbf in the future', { nbf: 1767225700 }, 'invalid_grant', '"nbf"'],
    ['no iat', { iat: undefined }, 'invalid_grant', '"iat"'],
    ['no jti', { jti: undefined }, 'invalid_grant', '"jti"'],
    ['a lifetime beyond max_ttl', { exp: 1767225600 + 721 * 3600 }, 'invalid_grant', 'max_ttl'],
    ['another subject', { sub: 'mallory' }, 'invalid_grant', 'No public JWK was registered for issuer "https://idp.example.com" and subject "mallory".'],
    ['an unknown issuer', { iss: 'https://evil.example.com' }, 'invalid_grant', 'No public JWK'],
  ])('rejects %s', async (_name, claims, error, text) => {
    const t = setup();
    await t.trust(key);
    const outcome = await t.verify(await t.sign(key, claims));
    expect(outcome).toMatchObject({ kind: 'rejected', error });
    expect(outcome.kind === 'rejected' && outcome.description).toContain(text);
  });

  it('honours iat_optional and jti_optional', async () => {
    const t = setup({ OAUTH2_GRANT_JWT_IAT_OPTIONAL: 'true', OAUTH2_GRANT_JWT_JTI_OPTIONAL: 'true' });
    await t.trust(key);
    expect(await t.verify(await t.sign(key, { iat: undefined, jti: undefined }))).toMatchObject({ kind: 'accepted' });
  });

  it('rejects a signature by a key that is not trusted, even with a trusted kid', async () => {
    const t = setup();
    await t.trust(key);
    expect(await t.verify(await t.sign(other))).toMatchObject({ kind: 'rejected', error: 'invalid_grant', description: expect.stringContaining('invalid signature') });
  });

  it('rejects an expired trust grant', async () => {
    const t = setup();
    await t.trust(key);
    t.clock.advance(3_600_000);
    expect(await t.verify(await t.sign(key))).toMatchObject({ kind: 'rejected', error: 'invalid_grant', description: expect.stringContaining('expired at') });
  });

  it('rejects a scope the trust does not cover with invalid_scope', async () => {
    const t = setup();
    await t.trust(key);
    expect(await t.verify(await t.sign(key), ['api:read', 'admin'])).toMatchObject({
      kind: 'rejected',
      error: 'invalid_scope',
      description: 'The public key registered for issuer "https://idp.example.com" and subject "alice" is not allowed to request scope "admin".',
    });
  });

  it('rejects a replayed jti with jti_known until the assertion expires', async () => {
    const t = setup();
    await t.trust(key);
    const assertion = await t.sign(key);
    expect(await t.verify(assertion)).toMatchObject({ kind: 'accepted' });
    expect(await t.verify(assertion)).toEqual({ kind: 'rejected', error: 'jti_known', description: 'The jti was already used.' });
  });

  it('rejects a missing or unparsable assertion', async () => {
    const t = setup();
    expect(await t.verify(undefined)).toMatchObject({ kind: 'rejected', error: 'invalid_request' });
    expect(await t.verify('not-a-jwt')).toMatchObject({ kind: 'rejected', error: 'invalid_grant', description: expect.stringContaining('Unable to parse') });
  });
});
