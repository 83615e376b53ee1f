import { rejection } from './testing/rejection';
import { sessionFixtures } from './testing/session-fixtures';

describe('LogoutManager', () => {
  describe('createLogoutUrl', () => {
    it("builds the public logout URL with the session's 32-character logout token", async () => {
      const f = sessionFixtures();
      const { session, token } = await f.login(f.identity());
      const url = await f.logoutManager.createLogoutUrl(token);
      expect(url.logoutToken).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(url.logoutToken).toBe(f.sessionManager.logoutToken(session));
      expect(url.logoutUrl).toBe(`https://auth.example.com/self-service/logout?token=${url.logoutToken}`);
    });

    it('throws 401 session_inactive without a valid session', async () => {
      const f = sessionFixtures();
      expect(await rejection(f.logoutManager.createLogoutUrl('nope'))).toMatchObject({ code: 401, id: 'session_inactive' });
    });
  });

  describe('logoutWithToken', () => {
    it('revokes the session when the logout token is its own', async () => {
      const f = sessionFixtures();
      const { session, token } = await f.login(f.identity());
      await f.logoutManager.logoutWithToken(token, f.sessionManager.logoutToken(session));
      expect((await f.sessionStore.get(session.id))?.active).toBe(false);
    });

    it('throws 400 without a logout token, 401 without a session, 403 for another session\'s token', async () => {
      const f = sessionFixtures();
      const identity = f.identity();
      const mine = await f.login(identity);
      const other = await f.login(identity);
      expect((await rejection(f.logoutManager.logoutWithToken(mine.token, undefined))).code).toBe(400);
      expect((await rejection(f.logoutManager.logoutWithToken(mine.token, ''))).code).toBe(400);
      expect((await rejection(f.logoutManager.logoutWithToken(undefined, f.sessionManager.logoutToken(mine.session)))).code).toBe(401);
      const forbidden = await rejection(f.logoutManager.logoutWithToken(mine.token, f.sessionManager.logoutToken(other.session)));
      expect(forbidden.code).toBe(403);
      expect((await f.sessionManager.resolve(mine.token))?.session.id).toBe(mine.session.id);
      expect((await f.sessionManager.resolve(other.token))?.session.id).toBe(other.session.id);
    });
  });

  describe('logoutApi', () => {
    it('revokes the session of the token, and throws 403 for an unknown token', async () => {
      const f = sessionFixtures();
      const { token } = await f.login(f.identity());
      await f.logoutManager.logoutApi(token);
      expect(await f.sessionManager.resolve(token)).toBeUndefined();
      expect(await rejection(f.logoutManager.logoutApi('unknown'))).toMatchObject({
        code: 403,
        reason: 'The provided Ory Session Token could not be found, is invalid, or otherwise malformed.',
      });
    });
  });
});
