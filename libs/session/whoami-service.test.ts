import { testCtx } from '../x/testing';
import { composedSessionIdentityReader } from './session-identity-reader';
import { rejection } from './testing/rejection';
import { sessionFixtures } from './testing/session-fixtures';
import { WhoamiCache } from './whoami-cache';
import { WhoamiService } from './whoami-service';

const ctx = testCtx();

/** The whoami service over the memory stores, with a cache on a clock the test moves. */
function fixtures(overrides: Record<string, unknown> = {}) {
  const f = sessionFixtures(overrides);
  let now = 0;
  const whoamiCache = new WhoamiCache({ ttlMs: 1_000, maxEntries: 100, now: () => now });
  const service = new WhoamiService({ ...f, whoamiCache, sessionIdentityReader: composedSessionIdentityReader(f.sessionStore, f.identityPool) });
  return { ...f, whoamiCache, service, tick: (ms: number) => (now += ms) };
}

describe('WhoamiService', () => {
  it('answers as SessionManager.whoami does, and caches the read', async () => {
    const f = fixtures();
    const { session, token } = await f.login(f.identity());
    const result = await f.service.whoami(ctx, token);
    expect(result).toEqual(await f.sessionManager.whoami(ctx, token));
    expect(result.session.id).toBe(session.id);
    expect(f.whoamiCache.size).toBe(1);
  });

  it('is 401 session_inactive without a token, for an unknown or overlong one', async () => {
    const f = fixtures();
    for (const token of [undefined, '', 'unknown', 'x'.repeat(513)]) {
      expect(await rejection(f.service.whoami(ctx, token))).toMatchObject({ code: 401, id: 'session_inactive' });
    }
  });

  it('judges a cached session by the clock: expired is 401 even inside the TTL', async () => {
    const f = fixtures();
    const { token } = await f.login(f.identity());
    await f.service.whoami(ctx, token);
    f.clock.advance(24 * 3_600_000);
    expect((await rejection(f.service.whoami(ctx, token))).id).toBe('session_inactive');
  });

  it('serves a change it was not told of until the TTL has passed, then reads it', async () => {
    const f = fixtures();
    const identity = f.identity();
    const { token } = await f.login(identity);
    await f.service.whoami(ctx, token);
    f.identityPool.add({ ...identity, state: 'inactive' }); // behind the cache's back, as another process would
    await expect(f.service.whoami(ctx, token)).resolves.toBeDefined();
    f.tick(1_000);
    expect((await rejection(f.service.whoami(ctx, token))).code).toBe(401);
  });

  it('reads again at once after the change is reported', async () => {
    const f = fixtures();
    const { session, token } = await f.login(f.identity());
    await f.service.whoami(ctx, token);
    await f.sessionStore.update(ctx, { ...session, active: false });
    f.whoamiCache.invalidate(ctx.realm, { sessionId: session.id });
    expect((await rejection(f.service.whoami(ctx, token))).code).toBe(401);
  });

  it('refuses an aal1 session of an identity with a second factor (403 session_aal2_required)', async () => {
    const f = fixtures();
    const now = new Date();
    const identity = f.identity();
    f.identityPool.add({ ...identity, credentials: { ...identity.credentials, totp: { type: 'totp', identifiers: [identity.id], config: { totp_url: 'otpauth://totp/x' }, version: 0, createdAt: now, updatedAt: now } } });
    const { token } = await f.login(identity);
    expect(await rejection(f.service.whoami(ctx, token))).toMatchObject({ code: 403, id: 'session_aal2_required' });
  });
});
