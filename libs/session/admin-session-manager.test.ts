import { rejection } from './testing/rejection';
import { sessionFixtures } from './testing/session-fixtures';
import { testCtx } from '../x/testing';

const ctx = testCtx();

const HOUR = 3_600_000;
const UNKNOWN = '6c8f4c2e-0000-4000-8000-000000000000';

describe('AdminSessionManager', () => {
  async function scene() {
    const f = sessionFixtures();
    const alice = f.identity();
    const bob = f.identity();
    const a1 = await f.login(alice);
    const a2 = await f.login(alice);
    await f.sessionManager.revoke(ctx, a2.session.id);
    const b1 = await f.login(bob);
    return { f, alice, bob, a1, a2, b1 };
  }

  describe('listForIdentity', () => {
    it("lists the identity's sessions with the identity, filtered by active", async () => {
      const { f, alice, a1, a2 } = await scene();
      const all = await f.adminSessionManager.listForIdentity(ctx, alice.id, { size: 250 });
      expect(all.items.map((i) => i.session.id)).toEqual([a2.session.id, a1.session.id]);
      expect(all.items.every((i) => i.identity?.id === alice.id)).toBe(true);
      const active = await f.adminSessionManager.listForIdentity(ctx, alice.id, { size: 250, active: true });
      expect(active.items.map((i) => i.session.id)).toEqual([a1.session.id]);
      const inactive = await f.adminSessionManager.listForIdentity(ctx, alice.id, { size: 250, active: false });
      expect(inactive.items.map((i) => i.session.id)).toEqual([a2.session.id]);
    });

    it('counts an expired session as inactive', async () => {
      const { f, alice, a1, a2 } = await scene();
      f.clock.advance(25 * HOUR);
      expect((await f.adminSessionManager.listForIdentity(ctx, alice.id, { size: 250, active: true })).items).toHaveLength(0);
      const inactive = await f.adminSessionManager.listForIdentity(ctx, alice.id, { size: 250, active: false });
      expect(inactive.items.map((i) => i.session.id).sort()).toEqual([a1.session.id, a2.session.id].sort());
    });

    it('throws 404 for an unknown identity and 400 for a malformed id', async () => {
      const { f } = await scene();
      expect((await rejection(f.adminSessionManager.listForIdentity(ctx, UNKNOWN, { size: 1 }))).code).toBe(404);
      expect((await rejection(f.adminSessionManager.listForIdentity(ctx, 'nope', { size: 1 }))).code).toBe(400);
    });
  });

  describe('deleteForIdentity', () => {
    it("deletes the identity's sessions only", async () => {
      const { f, alice, a1, a2, b1 } = await scene();
      await f.adminSessionManager.deleteForIdentity(ctx, alice.id);
      expect(await f.sessionStore.get(ctx, a1.session.id)).toBeUndefined();
      expect(await f.sessionStore.get(ctx, a2.session.id)).toBeUndefined();
      expect((await f.sessionStore.get(ctx, b1.session.id))?.id).toBe(b1.session.id);
      expect((await rejection(f.adminSessionManager.deleteForIdentity(ctx, UNKNOWN))).code).toBe(404);
    });
  });

  describe('list', () => {
    it('lists every session with its identity', async () => {
      const { f, alice, bob, a1, a2, b1 } = await scene();
      const all = await f.adminSessionManager.list(ctx, { size: 250 });
      expect(all.items.map((i) => [i.session.id, i.identity?.id])).toEqual([
        [b1.session.id, bob.id],
        [a2.session.id, alice.id],
        [a1.session.id, alice.id],
      ]);
      expect((await f.adminSessionManager.list(ctx, { size: 250, active: true })).items).toHaveLength(2);
    });
  });

  describe('get / extend / revoke', () => {
    it('reads, extends and revokes one session', async () => {
      const { f, alice, a1 } = await scene();
      expect((await f.adminSessionManager.get(ctx, a1.session.id)).identity?.id).toBe(alice.id);
      f.clock.advance(HOUR);
      const extended = await f.adminSessionManager.extend(ctx, a1.session.id);
      expect(extended.session.expiresAt.getTime()).toBe(f.clock.now().getTime() + 24 * HOUR);
      expect(extended.identity?.id).toBe(alice.id);
      await f.adminSessionManager.revoke(ctx, a1.session.id);
      expect((await f.sessionStore.get(ctx, a1.session.id))?.active).toBe(false);
      expect(await f.sessionManager.resolve(ctx, a1.token)).toBeUndefined();
    });

    it('throws 404 for unknown and 400 for malformed ids', async () => {
      const { f } = await scene();
      for (const call of [(id: string) => f.adminSessionManager.get(ctx, id), (id: string) => f.adminSessionManager.extend(ctx, id), (id: string) => f.adminSessionManager.revoke(ctx, id)]) {
        expect((await rejection(call(UNKNOWN))).code).toBe(404);
        expect((await rejection(call('x'))).code).toBe(400);
      }
    });
  });
});
