import { compactVerify, CompactSign, importJWK } from 'jose';
import { FixedClock } from '../x';
import { OPENID_ID_TOKEN_SET, toPublicJwk } from './json-web-key';
import { KeyManager } from './key-manager';
import { MemoryKeyStore } from './memory-key-store';
import { describeKeyStoreContract } from './testing/key-store.contract';

describeKeyStoreContract('memory', async () => new MemoryKeyStore());

describe('KeyManager', () => {
  const secrets = { default: [], cookie: [], cipher: [], system: ['system-secret-aaaaaaaaaaaaaaaa'] };
  const make = () => {
    const keyStore = new MemoryKeyStore();
    const clock = new FixedClock();
    return { keyStore, clock, manager: new KeyManager({ keyStore, clock, secrets }) };
  };

  it('generates ES256 and RS256 keys once, with unique kids, encrypted at rest', async () => {
    const { keyStore, manager } = make();
    const keys = await manager.ensureSet(OPENID_ID_TOKEN_SET, ['ES256', 'RS256']);
    expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(2);
    expect(keys.every((k) => typeof k.d === 'string')).toBe(true);
    const stored = await keyStore.listKeys(OPENID_ID_TOKEN_SET);
    expect(stored.every((s) => !s.keyData.includes(String(keys[0].d)))).toBe(true);
    const again = await manager.ensureSet(OPENID_ID_TOKEN_SET, ['ES256', 'RS256']);
    expect(again.map((k) => k.kid).sort()).toEqual(keys.map((k) => k.kid).sort());
  });

  it('shares one generation between concurrent callers', async () => {
    const { keyStore, manager } = make();
    await Promise.all([manager.ensureSet('s', ['ES256']), manager.ensureSet('s', ['ES256'])]);
    expect(await keyStore.listKeys('s')).toHaveLength(1);
  });

  it('produces keys that sign and verify (ES256), with the public form stripped of d', async () => {
    const { manager } = make();
    const [key] = await manager.ensureSet('sig', ['ES256']);
    const jws = await new CompactSign(new TextEncoder().encode('hi')).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(await importJWK(key, 'ES256'));
    const pub = toPublicJwk(key);
    expect(pub.d).toBeUndefined();
    const { payload } = await compactVerify(jws, await importJWK(pub, 'ES256'));
    expect(new TextDecoder().decode(payload)).toBe('hi');
  });

  it('lists the newest key of an algorithm first after rotation', async () => {
    const { clock, manager } = make();
    await manager.ensureSet('rot', ['ES256']);
    clock.advance(1000);
    const newer = await manager.generateKey('rot', 'ES256');
    expect((await manager.getSet('rot'))[0].kid).toBe(newer.kid);
  });
});
