import { resolve } from 'node:path';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { loadConfig, splitConfig } from '../../../libs/config';
import type { Identity } from '../../../libs/identity';
import { type Registry, createRegistry } from '../../../libs/registry';
import { encodeSessionCookie, toWire } from '../../../libs/session';
import { FixedClock, newId } from '../../../libs/x';
import { testCtx } from '../../../libs/x/testing';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';

jest.setTimeout(120_000);

/** The whoami cache's TTL in this file: the bound within which another process's change must show. */
const TTL_MS = 3_000;

const SESSION_INACTIVE = { id: 'session_inactive', code: 401, status: 'Unauthorized', reason: 'No valid session credentials found in the request.', message: 'The request could not be authorized' };

/**
 * `/sessions/whoami` served before express with the per-process cache (`cache.whoami`): every credential
 * form, the realm prefix, and what a change does — at once in this process, within the TTL from another
 * process (a second registry on the same database) — on SQLite and MySQL/MariaDB.
 */
for (const factory of databaseFactories()) {
  describe(`whoami fast path and cache on ${factory.label}`, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let other: Registry;
    const clock = new FixedClock(new Date());
    const ctx = testCtx();

    beforeAll(async () => {
      db = await factory.create();
      const realm = splitConfig(loadConfig({ files: [resolve(__dirname, '../../../config/test.yaml')], env: {} })).realm;
      const loadRealm = (name: string) => (name === 'acme' ? { config: realm, revision: '1' } : undefined);
      server = await bootApps({ DSN: db.dsn, CACHE_WHOAMI_TTL: `${TTL_MS}ms` }, { clock, loadRealm });
      other = await createRegistry(loadConfig({ files: [resolve(__dirname, '../../../config/test.yaml')], env: { DSN: db.dsn } })).init();
    });
    afterAll(async () => {
      await other?.close();
      await server?.close();
      await db?.drop();
    });

    const newIdentity = async (registry: Pick<Registry, 'identityManager' | 'identityPool'> = server.registry, c = ctx): Promise<Identity> => {
      const email = `w-${newId().slice(0, 8)}@example.com`;
      const created = await registry.identityManager.create(c, { schema_id: 'default', traits: { email } });
      return (await registry.identityPool.get(c, created.id)) as Identity;
    };
    const login = (identity: Identity, registry: Pick<Registry, 'sessionManager'> = server.registry, c = ctx) =>
      registry.sessionManager.issue(c, identity, 'password', 'aal1', { ipAddress: '203.0.113.9', userAgent: 'jest', location: '' });
    const whoami = (token: string, path = '/sessions/whoami') => request(server.publicUrl).get(path).set('X-Session-Token', token);

    it('answers the token, Bearer and cookie forms with the session, identity addresses and headers', async () => {
      const identity = await newIdentity();
      const { session, token } = await login(identity);
      const cookie = `${server.registry.config.session.cookie.name}=${encodeSessionCookie(token, session.expiresAt, server.registry.secrets.cookie)}`;
      const old = await server.registry.sessionManager.whoami(ctx, token);
      const expected = JSON.parse(JSON.stringify(toWire(old.session, old.identity, server.registry.config)));
      const answers = [
        await whoami(token),
        await request(server.publicUrl).get('/sessions/whoami').set('Authorization', `Bearer ${token}`),
        await request(server.publicUrl).get('/Sessions/WhoAmI/').set('Cookie', cookie),
      ];
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.headers['x-kratos-authenticated-identity-id']).toBe(identity.id);
        expect(res.headers['cache-control']).toBe('private, no-cache, no-store, must-revalidate');
        expect(res.headers['x-request-id']).toEqual(expect.any(String));
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['ory-session-cache-for']).toBe(String(Math.floor((session.expiresAt.getTime() - clock.now().getTime()) / 1000)));
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.body).toMatchObject({ id: session.id, active: true, authenticator_assurance_level: 'aal1' });
        // Field for field what the three-query path (SessionManager, the identity pool's full read) answers.
        expect(res.body).toEqual(expected);
      }
      expect(expected.identity).toMatchObject({
        verifiable_addresses: [expect.objectContaining({ value: identity.traits.email, verified: false, via: 'email', status: 'pending' })],
        recovery_addresses: [expect.objectContaining({ value: identity.traits.email, via: 'email' })],
      });
      expect(new Set(answers.map((r) => r.headers['x-request-id'])).size).toBe(3);
    });

    it('answers an identity with several addresses and credentials as the identity pool reads it (order, flags, timestamps)', async () => {
      const identity = await newIdentity();
      const t0 = new Date('2026-01-02T03:04:05.678Z');
      const t1 = new Date('2026-01-02T03:04:06.000Z');
      const address = (value: string, at: Date, verified: boolean) => ({
        id: newId(),
        value,
        via: 'email' as const,
        verified,
        status: verified ? ('completed' as const) : ('pending' as const),
        verifiedAt: verified ? t1 : undefined,
        createdAt: at,
        updatedAt: t1,
      });
      const current = (await server.registry.identityPool.get(ctx, identity.id))!;
      await server.registry.privilegedIdentityPool.update(ctx, {
        ...current,
        metadataPublic: { plan: 'pro' },
        metadataAdmin: { secret: 'never shown' },
        verifiableAddresses: [address(`z-${identity.traits.email}`, t0, true), address(`a-${identity.traits.email}`, t0, false), address(identity.traits.email as string, t1, false)],
        recoveryAddresses: [{ id: newId(), value: `r-${identity.traits.email}`, via: 'email', createdAt: t1, updatedAt: t1 }, { id: newId(), value: `q-${identity.traits.email}`, via: 'email', createdAt: t0, updatedAt: t1 }],
        credentials: {
          ...current.credentials,
          password: { type: 'password', identifiers: [identity.traits.email as string], config: { hashed_password: '$2b$04$notreallyahash' }, version: 0, createdAt: t0, updatedAt: t1 },
          lookup_secret: { type: 'lookup_secret', identifiers: [identity.id], config: { recovery_codes: [] }, version: 0, createdAt: t0, updatedAt: t1 },
        },
      });
      const { token } = await login(identity);
      const old = await server.registry.sessionManager.whoami(ctx, token);
      const res = await whoami(token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(JSON.parse(JSON.stringify(toWire(old.session, old.identity, server.registry.config))));
      expect(res.body.identity.verifiable_addresses.map((a: { value: string }) => a.value)).toEqual([`a-${identity.traits.email}`, `z-${identity.traits.email}`, identity.traits.email]);
      expect(res.body.identity.verifiable_addresses[1]).toMatchObject({ verified: true, status: 'completed', verified_at: t1.toISOString() });
      expect(res.body.identity.recovery_addresses.map((a: { value: string }) => a.value)).toEqual([`q-${identity.traits.email}`, `r-${identity.traits.email}`]);
      expect(res.body.identity.metadata_public).toEqual({ plan: 'pro' });
      expect(JSON.stringify(res.body)).not.toMatch(/never shown|hashed_password|notreallyahash/);
    });

    it('is 401 session_inactive without credentials (cacheable 60 s) and for an unknown token', async () => {
      const none = await request(server.publicUrl).get('/sessions/whoami');
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ error: { ...SESSION_INACTIVE, request: none.headers['x-request-id'] } });
      expect(none.headers['ory-session-cache-for']).toBe('60');
      expect(none.headers['ory-error-id']).toBe('session_inactive');
      const unknown = await whoami('b'.repeat(32));
      expect(unknown.status).toBe(401);
      expect(unknown.headers['ory-session-cache-for']).toBeUndefined();
    });

    it('serves a realm under /realms/{realm}/ with that realm only, and 404s an unknown realm', async () => {
      const acme = (await server.registry.forRealm('acme'))!;
      const acmeCtx = testCtx({ realm: 'acme' });
      const identity = await newIdentity(acme, acmeCtx);
      const { session, token } = await login(identity, acme, acmeCtx);
      const res = await whoami(token, '/realms/acme/sessions/whoami');
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(session.id);
      expect(res.body.identity.schema_url).toMatch(/\/realms\/acme\/schemas\//);
      // Cached for acme now: the same token is still unknown in the default realm.
      expect((await whoami(token)).status).toBe(401);
      const unknownRealm = await whoami(token, '/realms/nope/sessions/whoami');
      expect(unknownRealm.status).toBe(404);
      expect(unknownRealm.body.error).toMatchObject({ code: 404, status: 'Not Found', message: expect.any(String) });
    });

    it('is 401 once the session expired, even while it is cached', async () => {
      const { token } = await login(await newIdentity());
      expect((await whoami(token)).status).toBe(200);
      clock.advance(24 * 3_600_000);
      const expired = await whoami(token);
      expect(expired.status).toBe(401);
      expect(expired.body.error).toMatchObject(SESSION_INACTIVE);
    });

    it('is 401 at once after a revocation in this process (admin API and logout), although the session was cached', async () => {
      const a = await login(await newIdentity());
      expect((await whoami(a.token)).status).toBe(200);
      expect((await request(server.adminUrl).delete(`/admin/sessions/${a.session.id}`)).status).toBe(204);
      expect((await whoami(a.token)).status).toBe(401);

      const b = await login(await newIdentity());
      expect((await whoami(b.token)).status).toBe(200);
      expect((await request(server.publicUrl).delete('/self-service/logout/api').send({ session_token: b.token })).status).toBe(204);
      expect((await whoami(b.token)).status).toBe(401);
    });

    it('does not keep what it read while a revocation was uncommitted: 401 right after the commit', async () => {
      const { session, token } = await login(await newIdentity());
      expect((await whoami(token)).status).toBe(200);
      let during = 0;
      await server.registry.transactions.withTransaction(ctx, async (tx) => {
        await server.registry.sessionStore.update(tx, { ...session, active: false });
        // Another request reads now: on MySQL it sees the committed (active) row and may cache it.
        during = (await whoami(token)).status;
      });
      expect([200, 401]).toContain(during);
      expect((await whoami(token)).status).toBe(401);
    });

    it('is 403 session_aal2_required at once when this process gives the identity a second factor', async () => {
      const identity = await newIdentity();
      const { token } = await login(identity);
      expect((await whoami(token)).status).toBe(200);
      const now = new Date();
      const current = (await server.registry.identityPool.get(ctx, identity.id))!;
      await server.registry.privilegedIdentityPool.update(ctx, {
        ...current,
        credentials: { ...current.credentials, totp: { type: 'totp', identifiers: [identity.id], config: { totp_url: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP' }, version: 0, createdAt: now, updatedAt: now } },
      });
      const res = await whoami(token);
      expect(res.status).toBe(403);
      expect(res.headers['ory-error-id']).toBe('session_aal2_required');
      expect(res.body).toMatchObject({
        error: { id: 'session_aal2_required', code: 403, details: { redirect_browser_to: expect.stringContaining('/self-service/login/browser?aal=aal2') } },
        redirect_browser_to: expect.stringContaining('/self-service/login/browser?aal=aal2'),
      });
    });

    it('is 401 within the TTL after another process revoked the session', async () => {
      const { session, token } = await login(await newIdentity());
      expect((await whoami(token)).status).toBe(200);
      const cachedAt = Date.now();
      expect(await other.sessionManager.revoke(ctx, session.id)).toBe(true);
      const revokedAt = Date.now();
      // This process was not told: it may serve its cached read until the TTL has passed since that read.
      const soon = await whoami(token);
      if (Date.now() - cachedAt < TTL_MS - 500) expect(soon.status).toBe(200);
      let status = soon.status;
      while (status !== 401 && Date.now() - revokedAt < TTL_MS + 5_000) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await whoami(token)).status;
      }
      expect(status).toBe(401);
      expect(Date.now() - cachedAt).toBeLessThan(TTL_MS + 1_500);
    });
  });
}
