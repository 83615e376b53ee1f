import type { V0alpha2Api } from '@ory/client';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser, urlParams } from '../../helpers/browser';
import { UI, bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient, oryFailure } from '../../helpers/ory-client';

const RP = 'https://rp.example';

describe('login, consent and logout challenges (Hydra semantics)', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let config: oidc.Configuration;
  let clientId: string;

  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
    const created = await admin.adminCreateOAuth2Client({ redirect_uris: [`${RP}/cb`], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid offline profile' });
    clientId = created.data.client_id!;
    config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), clientId, undefined, oidc.ClientSecretBasic(created.data.client_secret!), {
      execute: [oidc.allowInsecureRequests],
    });
  });
  afterAll(() => server.close());

  const authUrl = (params: Record<string, string> = {}) =>
    oidc.buildAuthorizationUrl(config, { redirect_uri: `${RP}/cb`, scope: 'openid offline', state: 'state-123456', nonce: 'nonce-123456', ...params }).href;

  /** A browser that went through login (remember) and consent (remember) once. */
  async function loggedIn(subject: string): Promise<Browser> {
    const browser = new Browser();
    const landing = await browser.navigate(authUrl(), isExternal(server));
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject, remember: true, remember_for: 0 });
    const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(server))).url;
    const consent = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), { grant_scope: ['openid', 'offline'], remember: true });
    const done = await browser.navigate(consent.data.redirect_to, isExternal(server));
    expect(urlParams(done.url).code).toBeDefined();
    return browser;
  }

  describe('GET/PUT /admin/oauth2/auth/requests/login', () => {
    it('answers 400 without a challenge and 404 for an unknown one', async () => {
      const missing = await fetch(`${server.adminUrl}/admin/oauth2/auth/requests/login`);
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ error: 'invalid_request' });
      const unknown = await oryFailure(admin.adminGetOAuth2LoginRequest('unknown-challenge'));
      expect(unknown.status).toBe(404);
      expect(unknown.data).toEqual({ error: 'Not Found', error_description: 'Unable to locate the requested resource', status_code: 404 });
    });

    it('accepts the generic `challenge` parameter, shows oidc_context, and refuses an empty subject', async () => {
      const browser = new Browser();
      const landing = await browser.navigate(authUrl({ login_hint: 'ada@example.com', ui_locales: 'de en', acr_values: 'gold silver' }), isExternal(server));
      const challenge = challengeIn(landing.url, 'login');
      const res = await fetch(`${server.adminUrl}/admin/oauth2/auth/requests/login?challenge=${challenge}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { oidc_context: unknown }).oidc_context).toEqual({ login_hint: 'ada@example.com', ui_locales: ['de', 'en'], acr_values: ['gold', 'silver'] });
      const empty = await oryFailure(admin.adminAcceptOAuth2LoginRequest(challenge, { subject: '' }));
      expect(empty.data).toMatchObject({ error: 'invalid_request', error_description: "Field 'subject' must not be empty." });
      const unknownField = await fetch(`${server.adminUrl}/admin/oauth2/auth/requests/login/accept?login_challenge=${challenge}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'x', surprise: 1 }),
      });
      expect(unknownField.status).toBe(400);
    });

    it('answers 410 with the request URL once redeemed, and 409 to a later accept', async () => {
      const browser = new Browser();
      const landing = await browser.navigate(authUrl(), isExternal(server));
      const challenge = challengeIn(landing.url, 'login');
      const first = await admin.adminAcceptOAuth2LoginRequest(challenge, { subject: 'alice' });
      // Before redemption the decision may be overwritten.
      const second = await admin.adminAcceptOAuth2LoginRequest(challenge, { subject: 'alice' });
      expect(second.data.redirect_to).toBe(first.data.redirect_to);
      await browser.navigate(second.data.redirect_to, isExternal(server));
      const handled = await oryFailure(admin.adminGetOAuth2LoginRequest(challenge));
      expect(handled.status).toBe(410);
      expect((handled.data as { redirect_to: string }).redirect_to).toContain('/oauth2/auth?');
      const conflict = await oryFailure(admin.adminAcceptOAuth2LoginRequest(challenge, { subject: 'alice' }));
      expect(conflict.status).toBe(409);
      expect(conflict.data).toMatchObject({ error: 'Conflict' });
    });

    it('sends a rejection to the client as error and error_description with state', async () => {
      const browser = new Browser();
      const landing = await browser.navigate(authUrl(), isExternal(server));
      const rejected = await admin.adminRejectOAuth2LoginRequest(challengeIn(landing.url, 'login'), { error: 'access_denied', error_description: 'The resource owner denied the request' });
      const done = await browser.navigate(rejected.data.redirect_to, isExternal(server));
      expect(urlParams(done.url)).toMatchObject({ error: 'access_denied', error_description: 'The resource owner denied the request', state: 'state-123456' });
    });

    it('refuses another subject on a skipped login', async () => {
      const browser = await loggedIn('bob');
      const landing = await browser.navigate(authUrl(), isExternal(server));
      const challenge = challengeIn(landing.url, 'login');
      expect((await admin.adminGetOAuth2LoginRequest(challenge)).data).toMatchObject({ skip: true, subject: 'bob' });
      const mismatch = await oryFailure(admin.adminAcceptOAuth2LoginRequest(challenge, { subject: 'mallory' }));
      expect(mismatch.data).toMatchObject({ error: 'invalid_request', error_description: "Field 'subject' does not match subject from previous authentication." });
    });

    it('does not skip with prompt=login or an exceeded max_age', async () => {
      const browser = await loggedIn('carol');
      const withPrompt = await browser.navigate(authUrl({ prompt: 'login' }), isExternal(server));
      expect((await admin.adminGetOAuth2LoginRequest(challengeIn(withPrompt.url, 'login'))).data.skip).toBe(false);
      await new Promise((r) => setTimeout(r, 1100));
      const aged = await browser.navigate(authUrl({ max_age: '0' }), isExternal(server));
      expect((await admin.adminGetOAuth2LoginRequest(challengeIn(aged.url, 'login'))).data.skip).toBe(false);
    });

    it('lets another subject log in over an existing session without skip', async () => {
      const browser = await loggedIn('dave');
      const landing = await browser.navigate(authUrl({ prompt: 'login' }), isExternal(server));
      const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject: 'erin' });
      const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(server))).url;
      expect((await admin.adminGetOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'))).data.subject).toBe('erin');
    });
  });

  describe('prompt=none', () => {
    it('answers login_required to the client in a fresh browser', async () => {
      const done = await new Browser().navigate(authUrl({ prompt: 'none' }), isExternal(server));
      expect(urlParams(done.url)).toMatchObject({ error: 'login_required', state: 'state-123456' });
    });

    it('issues a code without any UI for a remembered login and consent', async () => {
      const browser = await loggedIn('frank');
      const done = await browser.navigate(authUrl({ prompt: 'none' }), isExternal(server));
      expect(done.url.startsWith(`${RP}/cb?`)).toBe(true);
      expect(urlParams(done.url).code).toBeDefined();
    });

    it('answers consent_required when the remembered consent does not cover the request', async () => {
      const browser = await loggedIn('grace');
      const done = await browser.navigate(authUrl({ prompt: 'none', scope: 'openid offline profile' }), isExternal(server));
      expect(urlParams(done.url)).toMatchObject({ error: 'consent_required' });
    });
  });

  describe('consent', () => {
    it('tolerates grant_scope [null] (hydra-login-consent-node) and rejects with the default error', async () => {
      const browser = new Browser();
      const landing = await browser.navigate(authUrl(), isExternal(server));
      const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject: 'heidi' });
      const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(server))).url;
      const challenge = challengeIn(consentUrl, 'consent');
      const res = await fetch(`${server.adminUrl}/admin/oauth2/auth/requests/consent/accept?consent_challenge=${challenge}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_scope: [null] }),
      });
      expect(res.status).toBe(200);
      const rejected = await admin.adminRejectOAuth2ConsentRequest(challenge, {});
      const done = await browser.navigate(rejected.data.redirect_to, isExternal(server));
      expect(urlParams(done.url).error).toBe('consent request denied');
    });

    it('lists and revokes consent sessions by subject, with 400 without subject', async () => {
      await loggedIn('ivan');
      const list = await admin.adminListOAuth2SubjectConsentSessions('ivan');
      expect(list.data).toHaveLength(1);
      expect(list.headers['x-total-count']).toBeUndefined();
      expect(list.headers.link).toMatch(/^<\/admin\/oauth2\/auth\/sessions\/consent\?page_size=250&page_token=[\w-]+&subject=ivan>; rel="first"$/);
      expect((await fetch(`${server.adminUrl}/admin/oauth2/auth/sessions/consent`)).status).toBe(400);
      expect((await fetch(`${server.adminUrl}/admin/oauth2/auth/sessions/consent?subject=ivan`, { method: 'DELETE' })).status).toBe(400);
      expect((await admin.adminRevokeOAuth2ConsentSessions('ivan', undefined, true)).status).toBe(204);
      expect((await admin.adminListOAuth2SubjectConsentSessions('ivan')).data).toEqual([]);
    });
  });

  describe('DELETE /admin/oauth2/auth/sessions/login', () => {
    it('forgets the login: the next authorization is not skipped', async () => {
      const browser = await loggedIn('judy');
      expect((await admin.adminRevokeOAuth2LoginSessions('judy')).status).toBe(204);
      const landing = await browser.navigate(authUrl(), isExternal(server));
      expect((await admin.adminGetOAuth2LoginRequest(challengeIn(landing.url, 'login'))).data.skip).toBe(false);
    });
  });

  describe('logout', () => {
    it('rejects with 204, after which the request is gone (404)', async () => {
      const browser = await loggedIn('kim');
      const landing = await browser.navigate(`${server.publicUrl}/oauth2/sessions/logout`, isExternal(server));
      expect(landing.url.startsWith(UI.logout)).toBe(true);
      const challenge = challengeIn(landing.url, 'logout');
      expect((await admin.adminGetOAuth2LogoutRequest(challenge)).data).toMatchObject({ subject: 'kim', rp_initiated: false, client: null });
      expect((await admin.adminRejectOAuth2LogoutRequest(challenge)).status).toBe(204);
      expect((await oryFailure(admin.adminGetOAuth2LogoutRequest(challenge))).status).toBe(404);
    });

    it('redirects a browser without a session straight to the post-logout URL', async () => {
      const done = await new Browser().navigate(`${server.publicUrl}/oauth2/sessions/logout`, isExternal(server));
      expect(done.url).toBe(`${server.registry.config.serve.public.base_url}oauth2/fallbacks/logout/callback`);
    });

    it('sends an unknown verifier to the error URL', async () => {
      const done = await new Browser().navigate(`${server.publicUrl}/oauth2/sessions/logout?logout_verifier=nope`, isExternal(server));
      expect(done.url).toContain('/oauth2/fallbacks/error?error=invalid_request');
    });
  });

  it('redirects browser errors of the engine to urls.error', async () => {
    const done = await new Browser().navigate(`${server.publicUrl}/oauth2/auth?client_id=unknown&response_type=code`, isExternal(server));
    expect(done.url).toContain('/oauth2/fallbacks/error?error=invalid_client');
    expect(urlParams(done.url).error_description).toBeDefined();
  });
});
