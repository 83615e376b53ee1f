import { CompactSign, compactVerify, createLocalJWKSet, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { loadConfig } from '../config';
import { isOryError } from '../http/errors';
import { FixedClock, type Transaction, isUuid, type Ctx, withTx } from '../x';
import { JWT_ACCESS_TOKEN_SET, OPENID_ID_TOKEN_SET, PRIVATE_JWK_MEMBERS, toPublicJwk } from './json-web-key';
import { JwtSigner } from './jwt-signer';
import { KeyCipher } from './key-cipher';
import { generateSigningKey } from './key-generator';
import { KeyManager } from './key-manager';
import { MemoryKeyStore } from './memory-key-store';
import { describeKeyStoreContract } from './testing/key-store.contract';
import { testCtx } from '../x/testing';

const ctx = testCtx();

describeKeyStoreContract('memory', async () => new MemoryKeyStore());

const OLD_SECRET = 'system-secret-old-aaaaaaaaaaaa';
const NEW_SECRET = 'system-secret-new-bbbbbbbbbbbb';
const REFRESH_MS = 5000;
const config = loadConfig({ skipDefaultFile: true, env: { OAUTH2_KEYS_REFRESH_INTERVAL: `${REFRESH_MS}ms` } });
const transactions = { withTransaction: <T>(ctx: Ctx, work: (ctx: Ctx) => Promise<T>) => work(withTx(ctx, {} as Transaction)) };

/** A manager over `keyStore`, as one Tessera process with its own clock and system secrets would have. */
const managerOn = (keyStore: MemoryKeyStore, clock = new FixedClock(), system = [OLD_SECRET]) =>
  new KeyManager({ keyStore, clock, transactions, config, secrets: { default: [], cookie: [], cipher: [], system } });

const make = () => {
  const keyStore = new MemoryKeyStore();
  const clock = new FixedClock();
  return { keyStore, clock, manager: managerOn(keyStore, clock) };
};

/** The thrown OryError's status and Hydra body fields. */
async function failure(call: Promise<unknown>): Promise<{ code: number; error?: string; description?: string }> {
  try {
    await call;
  } catch (e) {
    if (!isOryError(e)) throw e;
    return { code: e.code, error: e.oauth2Error, description: e.reason };
  }
  throw new Error('expected a failure');
}

describe('KeyManager', () => {
  it('generates ES256 and RS256 keys once, with unique kids, encrypted at rest', async () => {
    const { keyStore, manager } = make();
    const keys = await manager.ensureSet(ctx, OPENID_ID_TOKEN_SET, ['ES256', 'RS256']);
    expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(2);
    expect(keys.every((k) => typeof k.d === 'string')).toBe(true);
    const stored = await keyStore.listKeys(ctx, OPENID_ID_TOKEN_SET);
    expect(stored.every((s) => !s.keyData.includes(String(keys[0].d)))).toBe(true);
    const again = await manager.ensureSet(ctx, OPENID_ID_TOKEN_SET, ['ES256', 'RS256']);
    expect(again.map((k) => k.kid).sort()).toEqual(keys.map((k) => k.kid).sort());
  });

  it('shares one generation between concurrent callers', async () => {
    const { keyStore, manager } = make();
    await Promise.all([manager.ensureSet(ctx, 's', ['ES256']), manager.ensureSet(ctx, 's', ['ES256'])]);
    expect(await keyStore.listKeys(ctx, 's')).toHaveLength(1);
  });

  it('produces keys that sign and verify (ES256), with the public form stripped of d', async () => {
    const { manager } = make();
    const [key] = await manager.ensureSet(ctx, 'sig', ['ES256']);
    const jws = await new CompactSign(new TextEncoder().encode('hi')).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(await importJWK(key, 'ES256'));
    const pub = toPublicJwk(key);
    expect(pub.d).toBeUndefined();
    const { payload } = await compactVerify(jws, await importJWK(pub, 'ES256'));
    expect(new TextDecoder().decode(payload)).toBe('hi');
  });

  it('lists the newest key of an algorithm first after rotation', async () => {
    const { clock, manager } = make();
    await manager.ensureSet(ctx, 'rot', ['ES256']);
    clock.advance(1000);
    const newer = await manager.generateKey(ctx, 'rot', 'ES256');
    expect((await manager.getSet(ctx, 'rot'))[0].kid).toBe(newer.kid);
  });

  describe('createKey', () => {
    it.each(['ES256', 'ES384', 'ES512', 'EdDSA', 'PS256'])('creates a private %s key with a UUID kid and use sig when both are empty', async (alg) => {
      const { manager } = make();
      const key = await manager.createKey(ctx, 'admin', { alg, kid: '', use: '' });
      expect(key).toMatchObject({ alg, use: 'sig', d: expect.any(String) });
      expect(isUuid(key.kid)).toBe(true);
      const jwt = await manager.signJwt(ctx, 'admin', { sub: 'x' });
      expect(decodeProtectedHeader(jwt)).toEqual({ alg, kid: key.kid, typ: 'JWT' });
      await jwtVerify(jwt, await importJWK(toPublicJwk(key), alg));
    });

    it('keeps a given kid and use, and answers 409 for a kid the set holds already', async () => {
      const { manager } = make();
      expect(await manager.createKey(ctx, 'admin', { alg: 'ES256', kid: 'k1', use: 'enc' })).toMatchObject({ kid: 'k1', use: 'enc' });
      expect(await failure(manager.createKey(ctx, 'admin', { alg: 'ES256', kid: 'k1' }))).toEqual({
        code: 409,
        error: 'Unable to insert or update resource because a resource with that value exists already',
        description: 'The JSON Web Key Set admin already holds a key with kid k1.',
      });
      await manager.createKey(ctx, 'other-set', { alg: 'ES256', kid: 'k1' });
    });

    it.each(['HS256', 'HS512', 'none', 'ES256K', ''])('answers 400 Unsupported key algorithm for alg %p', async (alg) => {
      const { manager } = make();
      expect(await failure(manager.createKey(ctx, 'admin', { alg }))).toEqual({ code: 400, error: 'Bad Request', description: 'Unsupported key algorithm' });
    });
  });

  describe('requireSet / requireKey / deleteSet / deleteKey', () => {
    it('answers Hydra 404s for an unknown or emptied set and an unknown key; deleting twice succeeds', async () => {
      const { manager } = make();
      expect(await failure(manager.requireSet(ctx, 'nope'))).toMatchObject({ code: 404, error: 'Not Found' });
      expect(await failure(manager.requireKey(ctx, 'nope', 'k'))).toEqual({ code: 404, error: 'Unable to locate the resource', description: '' });
      await manager.createKey(ctx, 's', { alg: 'ES256', kid: 'a' });
      await manager.createKey(ctx, 's', { alg: 'ES256', kid: 'b' });
      expect((await manager.requireKey(ctx, 's', 'a')).kid).toBe('a');
      await manager.deleteKey(ctx, 's', 'a');
      await manager.deleteKey(ctx, 's', 'a');
      expect((await manager.requireSet(ctx, 's')).map((k) => k.kid)).toEqual(['b']);
      await manager.deleteSet(ctx, 's');
      await manager.deleteSet(ctx, 's');
      expect(await failure(manager.requireSet(ctx, 's'))).toMatchObject({ code: 404 });
    });
  });

  describe('replaceSet / upsertKey', () => {
    it('replaces every key, keeping the body order (the first key signs)', async () => {
      const { manager } = make();
      await manager.createKey(ctx, 's', { alg: 'ES256', kid: 'old' });
      const [a, b] = [await generateSigningKey('ES256', 'a'), await generateSigningKey('EdDSA', 'b')];
      expect(await manager.replaceSet(ctx, 's', { keys: [b, toPublicJwk(a)] })).toEqual([b, toPublicJwk(a)]);
      expect((await manager.requireSet(ctx, 's')).map((k) => k.kid)).toEqual(['b', 'a']);
      expect((await manager.signingKey(ctx, 's')).kid).toBe('b');
    });

    it('refuses a body that repeats a kid (409) or holds an invalid key (400), and changes nothing', async () => {
      const { manager } = make();
      await manager.createKey(ctx, 's', { alg: 'ES256', kid: 'keep' });
      const a = await generateSigningKey('ES256', 'a');
      expect(await failure(manager.replaceSet(ctx, 's', { keys: [a, a] }))).toMatchObject({ code: 409 });
      expect(await failure(manager.replaceSet(ctx, 's', { keys: [a, { ...a, kid: 'b', alg: 'HS256' }] }))).toMatchObject({ code: 400, description: 'Unsupported key algorithm' });
      expect((await manager.requireSet(ctx, 's')).map((k) => k.kid)).toEqual(['keep']);
    });

    it('upserts one key as the newest, and refuses a body kid that differs from the path', async () => {
      const { clock, manager } = make();
      await manager.createKey(ctx, 's', { alg: 'ES256', kid: 'a' });
      clock.advance(1000);
      await manager.createKey(ctx, 's', { alg: 'ES256', kid: 'b' });
      const replacement = await generateSigningKey('ES384', 'a');
      expect(await manager.upsertKey(ctx, 's', 'a', replacement)).toEqual(replacement);
      expect((await manager.requireSet(ctx, 's')).map((k) => [k.kid, k.alg])).toEqual([['a', 'ES384'], ['b', 'ES256']]);
      expect(await failure(manager.upsertKey(ctx, 's', 'other', replacement))).toMatchObject({ code: 400, description: expect.stringContaining('must match the kid in the URL') });
    });
  });

  describe('encryption at rest and secrets.system rotation', () => {
    it('stores no private member, nor any key member, in clear text', async () => {
      const { keyStore, manager } = make();
      const rsa = await manager.createKey(ctx, 's', { alg: 'PS256', kid: 'rsa' });
      const ec = await manager.createKey(ctx, 's', { alg: 'ES512', kid: 'ec' });
      const rows = await keyStore.listKeys(ctx, 's');
      for (const key of [rsa, ec]) {
        const row = rows.find((r) => r.kid === key.kid)!;
        expect(row.keyData).toMatch(/^aes256gcm\$/);
        for (const member of PRIVATE_JWK_MEMBERS.filter((m) => typeof key[m] === 'string')) expect(row.keyData).not.toContain(String(key[member]));
        expect(row.keyData).not.toContain('"d"');
        expect(row.keyData).not.toContain(String(key.x ?? key.n));
      }
    });

    it('reads keys sealed with an old secret after rotation, and seals new keys with the first secret', async () => {
      const keyStore = new MemoryKeyStore();
      const before = managerOn(keyStore, new FixedClock(), [OLD_SECRET]);
      const oldKey = await before.createKey(ctx, 's', { alg: 'ES256', kid: 'old' });
      const rotated = managerOn(keyStore, new FixedClock(), [NEW_SECRET, OLD_SECRET]);
      expect(await rotated.requireKey(ctx, 's', 'old')).toEqual(oldKey);
      const newKey = await rotated.createKey(ctx, 's', { alg: 'ES256', kid: 'new' });
      const onlyNew = new KeyCipher([NEW_SECRET]);
      expect(JSON.parse(onlyNew.decrypt((await keyStore.getKey(ctx, 's', 'new'))!.keyData))).toEqual(newKey);
      const oldRow = (await keyStore.getKey(ctx, 's', 'old'))!;
      expect(() => onlyNew.decrypt(oldRow.keyData)).toThrow(/no configured cipher secret decrypts/);
      // Without the old secret, the old key is unreadable: rotation must keep old secrets listed.
      await expect(managerOn(keyStore, new FixedClock(), [NEW_SECRET]).getKey(ctx, 's', 'old')).rejects.toThrow(/no configured cipher secret decrypts/);
    });
  });

  describe('signingKeys / signingKey (cached)', () => {
    it('generates a missing set with ES256 on first use and returns the same frozen array until it changes', async () => {
      const { clock, manager } = make();
      const first = await manager.signingKeys(ctx, 'fresh');
      expect(first.map((k) => k.alg)).toEqual(['ES256']);
      expect(Object.isFrozen(first)).toBe(true);
      clock.advance(REFRESH_MS);
      expect(await manager.signingKeys(ctx, 'fresh')).toBe(first);
    });

    it('signs with a key another process added only after the refresh interval; its own writes at once', async () => {
      const keyStore = new MemoryKeyStore();
      const [clockA, clockB] = [new FixedClock(), new FixedClock()];
      const [a, b] = [managerOn(keyStore, clockA), managerOn(keyStore, clockB)];
      const initial = await a.signingKey(ctx, OPENID_ID_TOKEN_SET);
      expect((await b.signingKey(ctx, OPENID_ID_TOKEN_SET)).kid).toBe(initial.kid);

      clockB.advance(1);
      const added = await b.createKey(ctx, OPENID_ID_TOKEN_SET, { alg: 'ES256', kid: 'rotated' });
      expect((await b.signingKey(ctx, OPENID_ID_TOKEN_SET)).kid).toBe(added.kid);

      clockA.advance(REFRESH_MS - 1);
      expect((await a.signingKey(ctx, OPENID_ID_TOKEN_SET)).kid).toBe(initial.kid);
      clockA.advance(1);
      expect((await a.signingKey(ctx, OPENID_ID_TOKEN_SET)).kid).toBe('rotated');
      // The older key stays in the set (and published) until deleted.
      expect((await a.signingKeys(ctx, OPENID_ID_TOKEN_SET)).map((k) => k.kid)).toEqual(['rotated', initial.kid]);
    });

    it('skips public keys when choosing the signing key, generating one when the set has no private key', async () => {
      const { manager } = make();
      const pub = toPublicJwk(await generateSigningKey('ES256', 'public-only'));
      await manager.replaceSet(ctx, 's', { keys: [pub] });
      const signing = await manager.signingKey(ctx, 's');
      expect(signing.kid).not.toBe('public-only');
      expect(signing.d).toEqual(expect.any(String));
    });
  });

  describe('publicJwks', () => {
    it('publishes the public form of the broadcast sets only, never a private member', async () => {
      const { manager } = make();
      await manager.createKey(ctx, OPENID_ID_TOKEN_SET, { alg: 'PS256', kid: 'rsa' });
      await manager.createKey(ctx, 'not-broadcast', { alg: 'ES256', kid: 'hidden' });
      const jwks = await manager.publicJwks(ctx);
      const idTokenKids = (await manager.getSet(ctx, OPENID_ID_TOKEN_SET)).map((k) => k.kid);
      const accessTokenKids = (await manager.getSet(ctx, JWT_ACCESS_TOKEN_SET)).map((k) => k.kid);
      expect(jwks.keys.map((k) => k.kid)).toEqual([...idTokenKids, ...accessTokenKids]);
      expect(accessTokenKids).toHaveLength(1);
      for (const key of jwks.keys) for (const member of PRIVATE_JWK_MEMBERS) expect(key).not.toHaveProperty(member);
      expect(JSON.stringify(jwks)).not.toContain('hidden');
    });

    it('verifies what signJwt signed', async () => {
      const { manager } = make();
      const jwt = await manager.signJwt(ctx, OPENID_ID_TOKEN_SET, { sub: 'alice' });
      const { payload } = await jwtVerify(jwt, createLocalJWKSet((await manager.publicJwks(ctx)) as Parameters<typeof createLocalJWKSet>[0]));
      expect(payload.sub).toBe('alice');
    });
  });
});

describe('JwtSigner', () => {
  it('signs with a managed set, or with the first private key of a base64:// JWKS', async () => {
    const { clock, manager } = make();
    const signer = new JwtSigner({ keyManager: manager, clock, config });
    const fromSet = await signer.sign(ctx, { sub: 'a' }, { keySet: 'tokenizer' });
    expect(decodeProtectedHeader(fromSet).kid).toBe((await manager.signingKey(ctx, 'tokenizer')).kid);

    const key = await generateSigningKey('EdDSA', 'file-key');
    const url = `base64://${Buffer.from(JSON.stringify({ keys: [toPublicJwk(await generateSigningKey('ES256', 'pub')), key] })).toString('base64')}`;
    const fromUrl = await signer.sign(ctx, { sub: 'b' }, { jwksUrl: url });
    expect(decodeProtectedHeader(fromUrl)).toEqual({ alg: 'EdDSA', kid: 'file-key', typ: 'JWT' });
    await jwtVerify(fromUrl, await importJWK(toPublicJwk(key), 'EdDSA'));
  });

  it('fails with a 500 for a JWKS URL without a usable private key', async () => {
    const { clock, manager } = make();
    const signer = new JwtSigner({ keyManager: manager, clock, config });
    const url = `base64://${Buffer.from(JSON.stringify({ keys: [toPublicJwk(await generateSigningKey('ES256', 'pub'))] })).toString('base64')}`;
    await expect(signer.sign(ctx, {}, { jwksUrl: url })).rejects.toMatchObject({ code: 500 });
    await expect(signer.sign(ctx, {}, { jwksUrl: 'base64://bm90IGpzb24=' })).rejects.toMatchObject({ code: 500 });
  });
});
