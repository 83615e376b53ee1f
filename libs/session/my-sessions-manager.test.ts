import { rejection } from './testing/rejection';
import { sessionFixtures } from './testing/session-fixtures';
import { testCtx } from '../x/testing';

const ctx = testCtx();

const HOUR = 3_600_000;

describe('MySessionsManager', () => {
  async function scene() {
    const f = sessionFixtures();
    const me = f.identity();
    const current = await f.login(me);
    const other = await f.login(me);
    f.clock.advance(1000);
    const newest = await f.login(me);
    const revoked = await f.login(me);
    await f.sessionManager.revoke(ctx, revoked.session.id);
    const stranger = await f.login(f.identity());
    return { f, me, current, other, newest, revoked, stranger };
  }

  describe('list', () => {
    it("lists the caller's other active sessions newest first, without the current, revoked or foreign ones", async () => {
      const { f, me, current, other, newest } = await scene();
      const page = await f.mySessionsManager.list(ctx, current.token, { size: 250 });
      expect(page.items).toHaveLength(2);
      expect(page.items.map((i) => i.session.id)).toEqual([newest.session.id, other.session.id]);
      expect(page.items.every((i) => i.identity?.id === me.id)).toBe(true);
    });

    it('leaves out sessions that expired', async () => {
      const f = sessionFixtures();
      const me = f.identity();
      const old = await f.login(me);
      f.clock.advance(20 * HOUR);
      const current = await f.login(me);
      f.clock.advance(5 * HOUR);
      expect((await f.sessionManager.resolve(ctx, old.token))).toBeUndefined();
      expect((await f.mySessionsManager.list(ctx, current.token, { size: 250 })).items).toHaveLength(0);
    });

    it('pages', async () => {
      const { f, current, other } = await scene();
      const page = await f.mySessionsManager.list(ctx, current.token, { size: 1, offset: 1 });
      expect(page.next).toBeUndefined();
      expect(page.items.map((i) => i.session.id)).toEqual([other.session.id]);
    });

    it('throws 401 session_inactive without a valid session', async () => {
      const { f, revoked } = await scene();
      expect(await rejection(f.mySessionsManager.list(ctx, revoked.token, { size: 250 }))).toMatchObject({ code: 401, id: 'session_inactive' });
    });
  });

  describe('revokeOthers', () => {
    it("revokes the caller's other active sessions only and counts them", async () => {
      const { f, current, other, newest, stranger } = await scene();
      expect(await f.mySessionsManager.revokeOthers(ctx, current.token)).toBe(2);
      expect((await f.sessionManager.resolve(ctx, current.token))?.session.id).toBe(current.session.id);
      expect(await f.sessionManager.resolve(ctx, other.token)).toBeUndefined();
      expect(await f.sessionManager.resolve(ctx, newest.token)).toBeUndefined();
      expect((await f.sessionManager.resolve(ctx, stranger.token))?.session.id).toBe(stranger.session.id);
      expect(await f.mySessionsManager.revokeOthers(ctx, current.token)).toBe(0);
    });

    it('throws 401 without a session', async () => {
      const { f } = await scene();
      expect((await rejection(f.mySessionsManager.revokeOthers(ctx, undefined))).code).toBe(401);
    });
  });

  describe('revoke', () => {
    it('revokes another session of the caller, also when it is already revoked', async () => {
      const { f, current, other, revoked } = await scene();
      await f.mySessionsManager.revoke(ctx, current.token, other.session.id);
      expect((await f.sessionStore.get(ctx, other.session.id))?.active).toBe(false);
      await f.mySessionsManager.revoke(ctx, current.token, revoked.session.id);
      expect((await f.sessionManager.resolve(ctx, current.token))?.session.id).toBe(current.session.id);
    });

    it('refuses the current session with 400', async () => {
      const { f, current } = await scene();
      const error = await rejection(f.mySessionsManager.revoke(ctx, current.token, current.session.id.toUpperCase()));
      expect(error).toMatchObject({ code: 400, reason: 'cannot revoke current session', debug: 'use the logout flow instead' });
      expect((await f.sessionManager.resolve(ctx, current.token))?.session.id).toBe(current.session.id);
    });

    it('throws 400 for a malformed id and 404 for a foreign or unknown session', async () => {
      const { f, current, stranger } = await scene();
      expect((await rejection(f.mySessionsManager.revoke(ctx, current.token, 'not-a-uuid'))).code).toBe(400);
      expect((await rejection(f.mySessionsManager.revoke(ctx, current.token, stranger.session.id))).code).toBe(404);
      expect((await rejection(f.mySessionsManager.revoke(ctx, current.token, '6c8f4c2e-0000-4000-8000-000000000000'))).code).toBe(404);
      expect((await f.sessionManager.resolve(ctx, stranger.token))?.session.id).toBe(stranger.session.id);
    });

    it('checks the session before the id (401 first)', async () => {
      const { f } = await scene();
      expect((await rejection(f.mySessionsManager.revoke(ctx, undefined, 'not-a-uuid'))).code).toBe(401);
    });
  });
});
