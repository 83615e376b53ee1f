import { loadConfig } from '../../libs/config';
import type { Identity } from '../../libs/identity';
import { makeIdentity } from '../../libs/identity/testing/identity-pool.contract';
import { type Persistence, TypeormIdentityPool, TypeormSessionStore } from '../../libs/persistence';
import { type Session, SessionManager } from '../../libs/session';
import { FixedClock, newId } from '../../libs/x';
import { testCtx } from '../../libs/x/testing';
import { databaseFactories, sharedPersistence } from '../helpers/databases';

const ctx = testCtx();

jest.setTimeout(120_000);

const PARALLEL = 20;
const DEVICE = { ipAddress: '203.0.113.7', userAgent: 'jest', location: '' };

/**
 * Read-modify-writes of one session under parallel transactions on every database: steps added to a
 * session (`SessionManager.addMethod`, read locked through `SessionStore.getForUpdate`) are all kept, and a
 * revocation racing them is never undone by a step-up or extension that read the session before it.
 */
for (const factory of databaseFactories()) {
  describe(`session concurrency contract (${factory.label})`, () => {
    const open = sharedPersistence(factory);
    let persistence: Persistence;
    let store: TypeormSessionStore;
    let identities: TypeormIdentityPool;
    let manager: SessionManager;

    beforeAll(async () => {
      persistence = await open();
      store = new TypeormSessionStore(persistence);
      identities = new TypeormIdentityPool(persistence);
      manager = new SessionManager({
        config: loadConfig({ env: {}, overrides: { serve: { public: { base_url: 'https://auth.example.com/' } } } }),
        secrets: { default: ['d'.repeat(32)], cookie: ['c'.repeat(32)], cipher: ['e'.repeat(32)], system: ['s'.repeat(32)] },
        clock: new FixedClock(),
        sessionStore: store,
        identityPool: identities,
        transactions: persistence,
      });
    });

    const identity = async (): Promise<Identity> => {
      const created = makeIdentity(`sc-${newId().slice(0, 8)}@example.com`);
      await identities.create(ctx, created);
      return created;
    };
    const login = async (): Promise<Session> => (await manager.issue(ctx, await identity(), 'password', 'aal1', DEVICE)).session;
    const stepUp = (id: string, i: number): Promise<Session> => persistence.withTransaction(ctx, (ctx) => manager.addMethod(ctx, id, i % 2 ? 'lookup_secret' : 'totp', 'aal2'));
    /** Settles every promise; the rejections must all be 401 `session_inactive`. */
    const settle = async (work: Promise<unknown>[]): Promise<number> => {
      const results = await Promise.allSettled(work);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      for (const r of rejected) expect(r.reason).toMatchObject({ code: 401, id: 'session_inactive' });
      return results.length - rejected.length;
    };

    it('getForUpdate reads the stored session, and undefined for an unknown id', async () => {
      const session = await login();
      await persistence.withTransaction(ctx, async (txCtx) => {
        expect(await store.getForUpdate(txCtx, session.id)).toEqual(await store.get(ctx, session.id));
        expect(await store.getForUpdate(txCtx, newId())).toBeUndefined();
      });
    });

    it(`${PARALLEL} parallel step-ups of one session keep every method`, async () => {
      const session = await login();
      await Promise.all(Array.from({ length: PARALLEL }, (_, i) => stepUp(session.id, i)));
      const stored = (await store.get(ctx, session.id))!;
      expect(stored.authenticationMethods).toHaveLength(PARALLEL + 1);
      expect(stored.authenticationMethods.filter((m) => m.method === 'totp')).toHaveLength(PARALLEL / 2);
      expect(stored.authenticationMethods.filter((m) => m.method === 'lookup_secret')).toHaveLength(PARALLEL / 2);
      expect(stored).toMatchObject({ active: true, aal: 'aal2' });
    });

    it(`a revocation racing ${PARALLEL} step-ups stays: the session ends revoked`, async () => {
      const session = await login();
      const steps = Array.from({ length: PARALLEL }, (_, i) => stepUp(session.id, i));
      const revoked = manager.revoke(ctx, session.id);
      const succeeded = await settle(steps);
      expect(await revoked).toBe(true);
      const stored = (await store.get(ctx, session.id))!;
      expect(stored.active).toBe(false);
      // The steps that committed before the revocation are recorded; the others were refused.
      expect(stored.authenticationMethods).toHaveLength(succeeded + 1);
      // No step is accepted after it.
      await expect(stepUp(session.id, 0)).rejects.toMatchObject({ code: 401 });
    });

    it(`revoking other sessions (revokeAllExcept) racing ${PARALLEL} step-ups of them leaves them revoked`, async () => {
      const owner = await identity();
      const { session: current } = await manager.issue(ctx, owner, 'password', 'aal1', DEVICE);
      const others = await Promise.all(Array.from({ length: 4 }, () => manager.issue(ctx, owner, 'password', 'aal1', DEVICE)));
      const steps = others.flatMap((o) => Array.from({ length: PARALLEL / 4 }, (_, i) => stepUp(o.session.id, i)));
      const revoked = persistence.withTransaction(ctx, (ctx) => store.revokeAllExcept(ctx, current.identityId, current.id));
      await settle(steps);
      expect(await revoked).toBe(others.length);
      for (const o of others) expect((await store.get(ctx, o.session.id))?.active).toBe(false);
      expect((await store.get(ctx, current.id))?.active).toBe(true);
    });

    it(`an admin extension racing ${PARALLEL} step-ups keeps every method and the new expiry`, async () => {
      const session = await login();
      const steps = Array.from({ length: PARALLEL }, (_, i) => stepUp(session.id, i));
      const extended = manager.extend(ctx, session.id);
      await Promise.all(steps);
      await extended;
      const stored = (await store.get(ctx, session.id))!;
      expect(stored.authenticationMethods).toHaveLength(PARALLEL + 1);
      expect(stored).toMatchObject({ active: true, aal: 'aal2' });
      expect(stored.expiresAt.getTime()).toBeGreaterThanOrEqual(session.expiresAt.getTime());
    });

    it('an extension racing a revocation never revives the session', async () => {
      const session = await login();
      await Promise.all([...Array.from({ length: PARALLEL / 2 }, () => manager.extend(ctx, session.id)), manager.revoke(ctx, session.id), ...Array.from({ length: PARALLEL / 2 }, () => manager.extend(ctx, session.id))]);
      expect((await store.get(ctx, session.id))?.active).toBe(false);
    });
  });
}
