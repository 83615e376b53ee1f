import type { V0alpha2Api } from '@ory/client';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import type { Identity } from '../../../libs/identity';
import { encodeSessionCookie } from '../../../libs/session';
import { FixedClock, encodePageToken, newId } from '../../../libs/x';
import { linksOf } from '../../helpers/links';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../helpers/ory-client';
import { testCtx } from '../../../libs/x/testing';

const ctx = testCtx();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNKNOWN_ID = '6c8f4c2e-0000-4000-8000-000000000000';
const LOGOUT_RETURN = 'http://127.0.0.1:4455/bye';

const SESSION_INACTIVE = {
  id: 'session_inactive',
  code: 401,
  status: 'Unauthorized',
  reason: 'No valid session credentials found in the request.',
  message: 'The request could not be authorized',
};

/** `Set-Cookie` lines of a response. */
const setCookies = (res: { headers: Record<string, unknown> }): string[] => ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
/** True when a `Set-Cookie` line deletes the cookie (Max-Age 0 or an Expires in the past). */
const deletes = (line: string): boolean => /Max-Age=0/i.test(line) || Date.parse(/Expires=([^;]+)/i.exec(line)?.[1] ?? '') < Date.now();

describe('public session API', () => {
  let server: RunningServer;
  let pub: V0alpha2Api;
  let admin: V0alpha2Api;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    server = await bootApps(
      { SELFSERVICE_ALLOWED_RETURN_URLS: 'https://app.example.com/welcome', SELFSERVICE_FLOWS_LOGOUT_AFTER_DEFAULT_BROWSER_RETURN_URL: LOGOUT_RETURN },
      { clock },
    );
    pub = oryClient(server.publicUrl);
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  const newIdentity = async (): Promise<Identity> => {
    const created = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: `s-${newId().slice(0, 8)}@example.com` } });
    return (await server.registry.identityPool.get(ctx, created.data.id)) as Identity;
  };
  const login = (identity: Identity, userAgent = 'jest') =>
    server.registry.sessionManager.issue(ctx, identity, 'password', 'aal1', { ipAddress: '203.0.113.7', userAgent, location: '' });
  const cookieName = (): string => server.registry.config.session.cookie.name;
  const cookieValue = (token: string, expiresAt: Date): string => encodeSessionCookie(token, expiresAt, server.registry.secrets.cookie);
  const cookie = (token: string, expiresAt: Date): string => `${cookieName()}=${cookieValue(token, expiresAt)}`;
  const tokenHeader = (token: string) => ({ headers: { 'X-Session-Token': token } });

  describe('GET /sessions/whoami', () => {
    it('returns the session with a public identity for X-Session-Token, with the identity and cache headers', async () => {
      const identity = await newIdentity();
      const { session, token } = await login(identity);
      const res = await pub.toSession(token);
      expect(res.status).toBe(200);
      expect(res.headers['x-kratos-authenticated-identity-id']).toBe(identity.id);
      expect(res.headers['ory-session-cache-for']).toBe(String(DAY / 1000));
      expect(res.headers['cache-control']).toBe('private, no-cache, no-store, must-revalidate');
      const body = res.data;
      expect(body).toEqual({
        id: session.id,
        active: true,
        expires_at: session.expiresAt.toISOString(),
        authenticated_at: session.authenticatedAt.toISOString(),
        authenticator_assurance_level: 'aal1',
        authentication_methods: [{ method: 'password', aal: 'aal1', completed_at: session.authenticatedAt.toISOString() }],
        issued_at: session.issuedAt.toISOString(),
        identity: expect.objectContaining({ id: identity.id, schema_id: 'default', state: 'active', traits: identity.traits }),
        devices: [{ id: expect.any(String), ip_address: '203.0.113.7', user_agent: 'jest', location: '' }],
      });
      expect(body.identity).not.toHaveProperty('credentials');
      expect(body.identity).not.toHaveProperty('metadata_admin');
      expect(JSON.stringify(body)).not.toContain(token);
    });

    it('accepts Authorization: Bearer, the session cookie and X-Session-Cookie', async () => {
      const { session, token } = await login(await newIdentity());
      const bearer = await pub.toSession(undefined, undefined, { headers: { Authorization: `bearer ${token}` } });
      expect(bearer.data.id).toBe(session.id);
      const viaCookie = await request(server.publicUrl).get('/sessions/whoami').set('Cookie', cookie(token, session.expiresAt));
      expect(viaCookie.status).toBe(200);
      expect(viaCookie.body.id).toBe(session.id);
      const viaSdkCookie = await pub.toSession(undefined, cookie(token, session.expiresAt));
      expect(viaSdkCookie.data.id).toBe(session.id);
      const viaHeader = await request(server.publicUrl).get('/sessions/whoami').set('X-Session-Cookie', cookieValue(token, session.expiresAt));
      expect(viaHeader.body.id).toBe(session.id);
    });

    it('answers every method like GET (DELETE /sessions/whoami too)', async () => {
      const identity = await newIdentity();
      const { session, token } = await login(identity);
      for (const method of ['head', 'post', 'put', 'patch', 'delete'] as const) {
        const res = await request(server.publicUrl)[method]('/sessions/whoami').set('X-Session-Token', token);
        expect([method, res.status]).toEqual([method, 200]);
        expect(res.headers['x-kratos-authenticated-identity-id']).toBe(identity.id);
        expect(res.body.id).toBe(method === 'head' ? undefined : session.id); // HEAD: headers only
      }
      expect((await pub.toSession(token)).data.active).toBe(true);
    });

    it('answers 401 session_inactive, cacheable for 60 s when no credentials were sent at all', async () => {
      const none = await request(server.publicUrl).get('/sessions/whoami');
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ error: { ...SESSION_INACTIVE, request: none.headers['x-request-id'] } });
      expect(none.headers['ory-session-cache-for']).toBe('60');
      const garbled = await request(server.publicUrl).get('/sessions/whoami').set('Cookie', `${cookieName()}=garbage`);
      expect(garbled.status).toBe(401);
      expect(garbled.headers['ory-session-cache-for']).toBe('60');
      const unknown = await oryFailure(pub.toSession('a'.repeat(32)));
      expect(unknown.status).toBe(401);
      expect((unknown.data as { error: unknown }).error).toMatchObject(SESSION_INACTIVE);
      expect(unknown.headers['ory-session-cache-for']).toBeUndefined();
    });

    it('is 401 at once when the identity is deactivated (PATCH or PUT), and 200 again when reactivated', async () => {
      const identity = await newIdentity();
      const { token } = await login(identity);
      await admin.adminPatchIdentity(identity.id, [{ op: 'replace', path: '/state', value: 'inactive' }]);
      expect((await oryFailure(pub.toSession(token))).status).toBe(401);
      await admin.adminUpdateIdentity(identity.id, { schema_id: 'default', traits: identity.traits as object, state: 'active' });
      expect((await pub.toSession(token)).status).toBe(200);
      await admin.adminUpdateIdentity(identity.id, { schema_id: 'default', traits: identity.traits as object, state: 'inactive' });
      expect((await oryFailure(pub.toSession(token))).status).toBe(401);
    });

    it('is 401 once the session expired, and counts the cache header down until then', async () => {
      const { token } = await login(await newIdentity());
      clock.advance(DAY - HOUR);
      expect((await pub.toSession(token)).headers['ory-session-cache-for']).toBe(String(HOUR / 1000));
      clock.advance(HOUR);
      const expired = await oryFailure(pub.toSession(token));
      expect(expired.status).toBe(401);
      expect((expired.data as { error: { id: string } }).error.id).toBe('session_inactive');
    });

    it('re-issues the session cookie when the session outlives the cookie (after an admin extend)', async () => {
      const { session, token } = await login(await newIdentity());
      clock.advance(2 * HOUR);
      const extended = await admin.adminExtendSession(session.id);
      const newExpiry = new Date(extended.data.expires_at as string);
      expect(newExpiry.getTime()).toBe(clock.now().getTime() + DAY);
      const stale = await request(server.publicUrl).get('/sessions/whoami').set('Cookie', cookie(token, session.expiresAt));
      expect(stale.status).toBe(200);
      const reissued = setCookies(stale).find((c) => c.startsWith(`${cookieName()}=`));
      expect(reissued).toMatch(/HttpOnly/);
      expect(reissued).toMatch(new RegExp(`Max-Age=${DAY / 1000}`));
      const fresh = await request(server.publicUrl).get('/sessions/whoami').set('Cookie', reissued!.split(';')[0]);
      expect(fresh.status).toBe(200);
      expect(setCookies(fresh)).toEqual([]);
    });
  });

  describe('GET/DELETE /sessions and DELETE /sessions/{id}', () => {
    async function scene() {
      const me = await newIdentity();
      const current = await login(me, 'current');
      const older = await login(me, 'older');
      clock.advance(1000);
      const newer = await login(me, 'newer');
      const revoked = await login(me, 'revoked');
      await server.registry.sessionManager.revoke(ctx, revoked.session.id);
      const stranger = await login(await newIdentity(), 'stranger');
      return { me, current, older, newer, revoked, stranger };
    }

    it("lists the caller's other active sessions, paginated with Kratos headers pointing at the admin URL", async () => {
      const { me, current, older, newer } = await scene();
      const all = await pub.listSessions(current.token);
      expect(all.data.map((s) => s.id).sort()).toEqual([older.session.id, newer.session.id].sort());
      expect(all.data.map((s) => s.devices?.[0]?.user_agent).sort()).toEqual(['newer', 'older']);
      expect(all.data.every((s) => s.identity.id === me.id && s.active)).toBe(true);
      expect(all.headers['x-total-count']).toBeUndefined();
      expect(all.headers.link).toBe(`</sessions?page_size=250&page_token=${encodePageToken([])}>; rel="first"`);

      const first = await pub.listSessions(current.token, undefined, 1, 0);
      expect(first.data).toHaveLength(1);
      expect(first.headers['x-total-count']).toBeUndefined();
      const admin = server.registry.config.serve.admin.base_url;
      const links = linksOf(first.headers.link);
      expect(links.first).toBe(`${admin}sessions?page=0&per_page=1`);
      expect(links.next).toMatch(new RegExp(`^${admin}sessions\\?page=1&page_token=[\\w-]+&per_page=1$`));
      const second = await pub.listSessions(current.token, undefined, 1, 1);
      expect(second.data.map((s) => s.id)).not.toEqual(first.data.map((s) => s.id));

      const byToken = await request(server.publicUrl).get('/sessions?page_size=1').set('X-Session-Token', current.token);
      const rest = await request(server.publicUrl).get(linksOf(byToken.headers.link).next as string).set('X-Session-Token', current.token);
      expect([...byToken.body, ...rest.body].map((s: { id: string }) => s.id)).toEqual([...first.data, ...second.data].map((s) => s.id));
      expect(linksOf(rest.headers.link).next).toBeUndefined();
    });

    it('needs a valid session for all three (401 session_inactive)', async () => {
      for (const call of [pub.listSessions(), pub.revokeSessions(), pub.revokeSession(UNKNOWN_ID)]) {
        const failure = await oryFailure(call);
        expect(failure.status).toBe(401);
        expect((failure.data as { error: unknown }).error).toMatchObject(SESSION_INACTIVE);
      }
    });

    it('revokes one other session (204), refuses the current one (400), a malformed id (400) and foreign ones (404)', async () => {
      const { current, older, stranger } = await scene();
      const res = await pub.revokeSession(older.session.id, tokenHeader(current.token));
      expect(res.status).toBe(204);
      expect((await oryFailure(pub.toSession(older.token))).status).toBe(401);
      expect((await server.registry.sessionStore.get(ctx, older.session.id))?.active).toBe(false);

      const self = await oryFailure(pub.revokeSession(current.session.id, tokenHeader(current.token)));
      expect(self.status).toBe(400);
      expect((self.data as { error: { reason: string } }).error.reason).toBe('cannot revoke current session');
      expect((await pub.toSession(current.token)).status).toBe(200);

      expect((await oryFailure(pub.revokeSession('not-a-uuid', tokenHeader(current.token)))).status).toBe(400);
      expect((await oryFailure(pub.revokeSession(stranger.session.id, tokenHeader(current.token)))).status).toBe(404);
      expect((await pub.toSession(stranger.token)).status).toBe(200);
      expect((await oryFailure(pub.revokeSession(UNKNOWN_ID, tokenHeader(current.token)))).status).toBe(404);
    });

    it('revokes all other sessions with {"count": n} and keeps the current one', async () => {
      const { current, older, newer, stranger } = await scene();
      const res = await pub.revokeSessions(current.token);
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ count: 2 });
      for (const other of [older, newer]) expect((await oryFailure(pub.toSession(other.token))).status).toBe(401);
      expect((await pub.toSession(current.token)).status).toBe(200);
      expect((await pub.toSession(stranger.token)).status).toBe(200);
      expect((await pub.listSessions(current.token)).data).toEqual([]);
      expect((await pub.revokeSessions(current.token)).data).toEqual({ count: 0 });
    });
  });

  describe('logout', () => {
    it('gives the browser logout URL for the session cookie or token, 401 without a session', async () => {
      const { session, token } = await login(await newIdentity());
      const res = await pub.createSelfServiceLogoutFlowUrlForBrowsers(cookie(token, session.expiresAt));
      expect(res.status).toBe(200);
      expect(res.data.logout_token).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(res.data.logout_url).toBe(`${server.registry.config.serve.public.base_url}self-service/logout?token=${res.data.logout_token}`);
      const viaToken = await request(server.publicUrl).get('/self-service/logout/browser').set('X-Session-Token', token);
      expect(viaToken.body.logout_token).toBe(res.data.logout_token);
      const none = await oryFailure(pub.createSelfServiceLogoutFlowUrlForBrowsers());
      expect(none.status).toBe(401);
      expect((none.data as { error: unknown }).error).toMatchObject(SESSION_INACTIVE);
    });

    it('logs a browser out: revokes, deletes the cookie, renews CSRF and 303s to the logout return URL', async () => {
      const { session, token } = await login(await newIdentity());
      const sessionCookie = cookie(token, session.expiresAt);
      const { logout_url } = (await pub.createSelfServiceLogoutFlowUrlForBrowsers(sessionCookie)).data;
      const res = await request(server.publicUrl).get(new URL(logout_url).pathname + new URL(logout_url).search).set('Cookie', sessionCookie);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(LOGOUT_RETURN);
      const cleared = setCookies(res).find((c) => c.startsWith(`${cookieName()}=`));
      expect(cleared).toBeDefined();
      expect(deletes(cleared!)).toBe(true);
      expect(setCookies(res).some((c) => c.startsWith('csrf_token_'))).toBe(true);
      expect((await server.registry.sessionStore.get(ctx, session.id))?.active).toBe(false);
      expect((await request(server.publicUrl).get('/sessions/whoami').set('Cookie', sessionCookie)).status).toBe(401);
    });

    it('redirects to an allowed return_to, and refuses another one after revoking', async () => {
      const a = await login(await newIdentity());
      const tokenA = server.registry.sessionManager.logoutToken(a.session);
      const ok = await request(server.publicUrl)
        .get('/self-service/logout')
        .query({ token: tokenA, return_to: 'https://app.example.com/welcome/back' })
        .set('Cookie', cookie(a.token, a.session.expiresAt));
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe('https://app.example.com/welcome/back');

      const b = await login(await newIdentity());
      const evil = await request(server.publicUrl)
        .get('/self-service/logout')
        .query({ token: server.registry.sessionManager.logoutToken(b.session), return_to: 'https://evil.example.com/' })
        .set('Cookie', cookie(b.token, b.session.expiresAt))
        .set('Accept', 'application/json');
      expect(evil.status).toBe(400);
      expect(evil.body.error.id).toBe('self_service_flow_return_to_forbidden');
      expect((await oryFailure(pub.toSession(b.token))).status).toBe(401);
    });

    it('answers 204 to JSON clients (the SDK) and deletes the cookie', async () => {
      const { session, token } = await login(await newIdentity());
      const sessionCookie = cookie(token, session.expiresAt);
      const res = await pub.submitSelfServiceLogoutFlow(server.registry.sessionManager.logoutToken(session), undefined, { headers: { Cookie: sessionCookie } });
      expect(res.status).toBe(204);
      expect(deletes(setCookies(res).find((c) => c.startsWith(`${cookieName()}=`)) ?? '')).toBe(true);
      expect((await oryFailure(pub.toSession(token))).status).toBe(401);
    });

    it('answers JSON clients 400 without a token, 401 without a session, 403 for a foreign token', async () => {
      const identity = await newIdentity();
      const mine = await login(identity);
      const other = await login(identity);
      const get = (query: Record<string, string>, sessionCookie?: string) => {
        const req = request(server.publicUrl).get('/self-service/logout').query(query).set('Accept', 'application/json');
        return sessionCookie ? req.set('Cookie', sessionCookie) : req;
      };
      const mineCookie = cookie(mine.token, mine.session.expiresAt);
      expect((await get({}, mineCookie)).status).toBe(400);
      const noSession = await get({ token: server.registry.sessionManager.logoutToken(mine.session) });
      expect(noSession.status).toBe(401);
      expect(noSession.body.error.id).toBe('session_inactive');
      const foreign = await get({ token: server.registry.sessionManager.logoutToken(other.session) }, mineCookie);
      expect(foreign.status).toBe(403);
      expect((await pub.toSession(mine.token)).status).toBe(200);
      expect((await pub.toSession(other.token)).status).toBe(200);
    });

    it('sends browsers with a failed logout to the error UI, where the error can be read', async () => {
      const { session, token } = await login(await newIdentity());
      const res = await request(server.publicUrl).get('/self-service/logout').set('Cookie', cookie(token, session.expiresAt));
      expect(res.status).toBe(303);
      const location = new URL(res.headers.location);
      expect(`${location.origin}${location.pathname}`).toBe(server.registry.config.selfservice.flows.error.ui_url);
      const stored = await pub.getSelfServiceError(location.searchParams.get('id')!);
      expect(stored.data.error).toMatchObject({ code: 400, status: 'Bad Request', reason: 'Please include a token in the URL query.' });
      expect((await pub.toSession(token)).status).toBe(200);
    });

    it('falls back to selfservice.default_browser_return_url without a logout return URL', async () => {
      const plain = await bootApps();
      try {
        const identity = (await plain.registry.identityPool.get(
          ctx,
          (await oryClient(plain.adminUrl).adminCreateIdentity({ schema_id: 'default', traits: { email: 'plain@example.com' } })).data.id,
        )) as Identity;
        const { session, token } = await plain.registry.sessionManager.issue(ctx, identity, 'password', 'aal1', { ipAddress: '', userAgent: '', location: '' });
        const res = await request(plain.publicUrl)
          .get('/self-service/logout')
          .query({ token: plain.registry.sessionManager.logoutToken(session) })
          .set('X-Session-Token', token);
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe(plain.registry.config.selfservice.default_browser_return_url);
      } finally {
        await plain.close();
      }
    });

    it('logs an API client out by session token (204), 403 for an unknown token, 400 for a bad body', async () => {
      const { token } = await login(await newIdentity());
      const res = await pub.submitSelfServiceLogoutFlowWithoutBrowser({ session_token: token });
      expect(res.status).toBe(204);
      expect((await oryFailure(pub.toSession(token))).status).toBe(401);
      const unknown = await oryFailure(pub.submitSelfServiceLogoutFlowWithoutBrowser({ session_token: 'x'.repeat(32) }));
      expect(unknown.status).toBe(403);
      expect((unknown.data as { error: { reason: string } }).error.reason).toBe(
        'The provided Ory Session Token could not be found, is invalid, or otherwise malformed.',
      );
      const api = () => request(server.publicUrl).delete('/self-service/logout/api');
      expect((await api().send({})).status).toBe(400);
      expect((await api().send({ session_token: 42 })).status).toBe(400);
      expect((await api()).status).toBe(400);
      expect((await api().set('Content-Type', 'application/json').send('{bad')).status).toBe(400);
      expect((await api().type('form').send({ session_token: token })).status).toBe(400);
    });
  });

  describe('GET /self-service/errors', () => {
    it('returns a stored error by id (and by the legacy error parameter)', async () => {
      const error = { code: 403, status: 'Forbidden', reason: 'Nope.', message: 'The requested action was forbidden' };
      const id = await server.registry.errorStore.create(ctx, error);
      const res = await pub.getSelfServiceError(id);
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ id, error, created_at: expect.any(String), updated_at: expect.any(String) });
      expect(Number.isNaN(Date.parse(res.data.created_at as string))).toBe(false);
      const legacy = await request(server.publicUrl).get('/self-service/errors').query({ error: id });
      expect(legacy.body.id).toBe(id);
    });

    it('answers 404 for unknown, malformed or missing ids', async () => {
      for (const query of [{ id: UNKNOWN_ID }, { id: 'not-a-uuid' }, {}]) {
        const res = await request(server.publicUrl).get('/self-service/errors').query(query);
        expect(res.status).toBe(404);
        expect(res.body.error).toMatchObject({ code: 404, status: 'Not Found' });
      }
    });

    it('serves the stub:500 error', async () => {
      const res = await pub.getSelfServiceError('stub:500');
      expect(res.status).toBe(200);
      expect(res.data).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        error: {
          code: 500,
          status: 'Internal Server Error',
          reason: 'This is a stub error.',
          message: 'An internal server error occurred, please contact the system administrator',
        },
        created_at: '0001-01-01T00:00:00Z',
        updated_at: '0001-01-01T00:00:00Z',
      });
    });
  });
});
