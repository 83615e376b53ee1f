import { type Transaction, withTx } from '../x';
import { rejection } from './testing/rejection';
import { sessionFixtures } from './testing/session-fixtures';
import { testCtx } from '../x/testing';

const ctx = testCtx();

const HOUR = 3_600_000;

describe('SessionManager', () => {
  describe('authenticate', () => {
    it('returns the session and identity when the token is valid', async () => {
      const f = sessionFixtures();
      const identity = f.identity();
      const { session, token } = await f.login(identity);
      const active = await f.sessionManager.authenticate(ctx, token);
      expect(active.session.id).toBe(session.id);
      expect(active.identity.id).toBe(identity.id);
    });

    it('throws 401 session_inactive when there is no token or an unknown one', async () => {
      const f = sessionFixtures();
      for (const token of [undefined, '', 'unknown-token']) {
        const error = await rejection(f.sessionManager.authenticate(ctx, token));
        expect(error).toMatchObject({ code: 401, id: 'session_inactive', reason: 'No valid session credentials found in the request.' });
        expect(error.message).toBe('The request could not be authorized');
      }
    });

    it('throws 401 when the session was revoked', async () => {
      const f = sessionFixtures();
      const { session, token } = await f.login(f.identity());
      await f.sessionManager.revoke(ctx, session.id);
      expect((await rejection(f.sessionManager.authenticate(ctx, token))).code).toBe(401);
    });

    it('throws 401 once the session lifespan has passed', async () => {
      const f = sessionFixtures();
      const { token } = await f.login(f.identity());
      f.clock.advance(24 * HOUR - 1);
      await expect(f.sessionManager.authenticate(ctx, token)).resolves.toBeDefined();
      f.clock.advance(1);
      expect((await rejection(f.sessionManager.authenticate(ctx, token))).id).toBe('session_inactive');
    });

    it('throws 401 when the identity was deactivated', async () => {
      const f = sessionFixtures();
      const identity = f.identity();
      const { token } = await f.login(identity);
      f.identityPool.add({ ...identity, state: 'inactive' });
      expect((await rejection(f.sessionManager.authenticate(ctx, token))).code).toBe(401);
    });
  });

  describe('whoami', () => {
    it('counts the cache lifetime in whole seconds until expiry', async () => {
      const f = sessionFixtures();
      const { token } = await f.login(f.identity());
      expect((await f.sessionManager.whoami(ctx, token)).cacheForSeconds).toBe(24 * 3600);
      f.clock.advance(HOUR + 1500);
      expect((await f.sessionManager.whoami(ctx, token)).cacheForSeconds).toBe(23 * 3600 - 2);
    });

    it('throws 403 session_aal2_required for an aal1 session of an identity with a second factor', async () => {
      const f = sessionFixtures();
      const base = f.identity();
      const now = new Date();
      const identity = f.identityPool.add({
        ...base,
        credentials: {
          ...base.credentials,
          totp: { type: 'totp', identifiers: [base.id], config: { totp_url: 'otpauth://totp/x?secret=ABC' }, version: 0, createdAt: now, updatedAt: now },
        },
      });
      const { token } = await f.login(identity);
      const error = await rejection(f.sessionManager.whoami(ctx, token));
      expect(error).toMatchObject({ code: 403, id: 'session_aal2_required' });
      expect(error.extra).toEqual({ redirect_browser_to: 'https://auth.example.com/self-service/login/browser?aal=aal2' });
      expect(error.details).toEqual({ redirect_browser_to: 'https://auth.example.com/self-service/login/browser?aal=aal2' });
    });

    it('accepts that session once it has the second factor, or when whoami only requires aal1', async () => {
      const f = sessionFixtures();
      const relaxed = sessionFixtures({ session: { whoami: { required_aal: 'aal1' } } });
      for (const fx of [f, relaxed]) {
        const base = fx.identity();
        const now = new Date();
        const identity = fx.identityPool.add({
          ...base,
          credentials: { ...base.credentials, lookup_secret: { type: 'lookup_secret', identifiers: [base.id], config: { recovery_codes: [{ code: 'abcd1234' }] }, version: 0, createdAt: now, updatedAt: now } },
        });
        const { session, token } = await fx.login(identity);
        if (fx === f) await f.sessionManager.addMethod(withTx(ctx, {} as Transaction), session.id, 'lookup_secret', 'aal2');
        await expect(fx.sessionManager.whoami(ctx, token)).resolves.toMatchObject({ identity: { id: identity.id } });
      }
    });
  });

  describe('addMethod', () => {
    const txCtx = withTx(ctx, {} as Transaction);

    it('adds to the session as stored, not to an earlier copy', async () => {
      const f = sessionFixtures();
      const { session } = await f.login(f.identity());
      await f.sessionManager.addMethod(txCtx, session.id, 'totp', 'aal2');
      const next = await f.sessionManager.addMethod(txCtx, session.id, 'lookup_secret', 'aal2');
      expect(next.authenticationMethods.map((m) => m.method)).toEqual(['password', 'totp', 'lookup_secret']);
      expect((await f.sessionStore.get(ctx, session.id))?.authenticationMethods.map((m) => m.method)).toEqual(['password', 'totp', 'lookup_secret']);
    });

    it('refuses a revoked, expired or unknown session with 401 and leaves it as it is', async () => {
      const f = sessionFixtures();
      const { session } = await f.login(f.identity());
      expect(await f.sessionManager.revoke(ctx, session.id)).toBe(true);
      expect(await rejection(f.sessionManager.addMethod(txCtx, session.id, 'totp', 'aal2'))).toMatchObject({ code: 401, id: 'session_inactive' });
      expect(await f.sessionStore.get(ctx, session.id)).toMatchObject({ active: false, aal: 'aal1' });
      const other = await f.login(f.identity());
      f.clock.advance(f.config.session.lifespan + 1);
      expect((await rejection(f.sessionManager.addMethod(txCtx, other.session.id, 'totp', 'aal2'))).code).toBe(401);
      expect((await rejection(f.sessionManager.addMethod(txCtx, '6c8f4c2e-0000-4000-8000-000000000000', 'totp', 'aal2'))).code).toBe(401);
    });
  });

  describe('revoke', () => {
    it('is false for an unknown session and true again for a revoked one', async () => {
      const f = sessionFixtures();
      const { session } = await f.login(f.identity());
      expect(await f.sessionManager.revoke(ctx, '6c8f4c2e-0000-4000-8000-000000000000')).toBe(false);
      expect(await f.sessionManager.revoke(ctx, session.id)).toBe(true);
      expect(await f.sessionManager.revoke(ctx, session.id)).toBe(true);
      expect((await f.sessionStore.get(ctx, session.id))?.active).toBe(false);
    });
  });

  describe('extend', () => {
    it('renews the lifespan from now when the session may be extended', async () => {
      const f = sessionFixtures();
      const { session } = await f.login(f.identity());
      f.clock.advance(10 * HOUR);
      const extended = await f.sessionManager.extend(ctx, session.id);
      expect(extended.expiresAt.getTime()).toBe(f.clock.now().getTime() + 24 * HOUR);
      expect((await f.sessionStore.get(ctx, session.id))?.expiresAt).toEqual(extended.expiresAt);
    });

    it('leaves the session alone before earliest_possible_extend, and throws 404 for an unknown id', async () => {
      const f = sessionFixtures({ session: { earliest_possible_extend: '1h' } });
      const { session } = await f.login(f.identity());
      f.clock.advance(10 * HOUR);
      expect((await f.sessionManager.extend(ctx, session.id)).expiresAt).toEqual(session.expiresAt);
      f.clock.advance(13 * HOUR + 1);
      expect((await f.sessionManager.extend(ctx, session.id)).expiresAt.getTime()).toBe(f.clock.now().getTime() + 24 * HOUR);
      expect((await rejection(f.sessionManager.extend(ctx, '6c8f4c2e-0000-4000-8000-000000000000'))).code).toBe(404);
    });
  });
});
