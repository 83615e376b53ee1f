import type { V0alpha2Api } from '@ory/client';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { RunningServer } from '../../../apps/cli/src/server';
import { OPENID_ID_TOKEN_SET } from '../../../libs/keys';
import { type Registry, createRegistry } from '../../../libs/registry';
import { FixedClock } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { sqliteFactory, type TestDatabase } from '../../helpers/databases';
import { oryClient } from '../../helpers/ory-client';
import { testCtx } from '../../../libs/x/testing';

const ctx = testCtx();

const REFRESH_MS = 5000;

/**
 * Live rotation across processes: a key added through the admin API signs at once in the process that
 * stored it, and within `oauth2.keys.refresh_interval` in a second process on the same database; the
 * old key stays published, so tokens signed before the rotation still verify.
 */
describe('JWK rotation through the admin API', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let other: Registry;
  let admin: V0alpha2Api;
  const clockA = new FixedClock();
  const clockB = new FixedClock();

  beforeAll(async () => {
    db = await sqliteFactory.create();
    server = await bootApps({ DSN: db.dsn, OAUTH2_KEYS_REFRESH_INTERVAL: `${REFRESH_MS}ms` }, { clock: clockA });
    other = await createRegistry(server.registry.config, { clock: clockB }).init({ migrate: false });
    admin = oryClient(server.adminUrl);
  });
  afterAll(async () => {
    await other.close();
    await server.close();
    await db.drop();
  });

  const verifyAgainst = async (registry: Registry, jwt: string) =>
    jwtVerify(jwt, createLocalJWKSet((await registry.keyManager.publicJwks(ctx)) as Parameters<typeof createLocalJWKSet>[0]));

  it('signs with the new newest key of hydra.openid.id-token: here at once, in another process after the refresh interval', async () => {
    // Both processes warm their caches; the set is generated (ES256) on first use.
    const before = await server.registry.keyManager.signingKey(ctx, OPENID_ID_TOKEN_SET);
    expect(before.alg).toBe('ES256');
    expect((await other.keyManager.signingKey(ctx, OPENID_ID_TOKEN_SET)).kid).toBe(before.kid);
    const oldToken = await other.keyManager.signJwt(ctx, OPENID_ID_TOKEN_SET, { sub: 'before' });

    clockA.advance(1000);
    const { data } = await admin.adminCreateJsonWebKeySet(OPENID_ID_TOKEN_SET, { alg: 'ES384', kid: 'rotated', use: 'sig' });
    expect(data.keys![0].kid).toBe('rotated');

    // The process that served the admin call signs with the new key at once.
    const here = await server.registry.keyManager.signJwt(ctx, OPENID_ID_TOKEN_SET, { sub: 'here' });
    expect(decodeProtectedHeader(here)).toMatchObject({ alg: 'ES384', kid: 'rotated' });

    // The other process keeps its cached set until the refresh interval has passed.
    clockB.advance(REFRESH_MS - 1);
    expect((await other.keyManager.signingKey(ctx, OPENID_ID_TOKEN_SET)).kid).toBe(before.kid);
    clockB.advance(1);
    expect((await other.keyManager.signingKey(ctx, OPENID_ID_TOKEN_SET)).kid).toBe('rotated');
    const newToken = await other.keyManager.signJwt(ctx, OPENID_ID_TOKEN_SET, { sub: 'after' });
    expect(decodeProtectedHeader(newToken).kid).toBe('rotated');

    // Both tokens verify against the published keys of either process: the old key stays published.
    for (const registry of [server.registry, other]) {
      expect((await verifyAgainst(registry, oldToken)).payload.sub).toBe('before');
      expect((await verifyAgainst(registry, newToken)).payload.sub).toBe('after');
      expect((await registry.keyManager.publicJwks(ctx)).keys.map((k) => k.kid).slice(0, 2)).toEqual(['rotated', before.kid]);
    }

    // Deleting the old key unpublishes it (after the interval elsewhere); old tokens then stop verifying.
    await admin.adminDeleteJsonWebKey(OPENID_ID_TOKEN_SET, before.kid);
    await expect(verifyAgainst(server.registry, oldToken)).rejects.toThrow();
    clockB.advance(REFRESH_MS);
    await expect(verifyAgainst(other, oldToken)).rejects.toThrow();
  });
});
