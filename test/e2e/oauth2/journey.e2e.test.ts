import type { V0alpha2Api } from '@ory/client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser, urlParams } from '../../helpers/browser';
import { UI, bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const RP = 'https://rp.example';

/**
 * The Hydra journey with an unmodified relying party library (openid-client 6) and an unmodified
 * consent app SDK (@ory/client 0.2.0-alpha.60), driven through a cookie-jar browser.
 */
describe('OAuth2 journey: openid-client RP + @ory/client consent app', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let config: oidc.Configuration;
  let clientId: string;
  const browser = new Browser();
  const subject = 'user-7d0c';

  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
    const created = await admin.adminCreateOAuth2Client({
      client_name: 'journey',
      redirect_uris: [`${RP}/cb`],
      post_logout_redirect_uris: [`${RP}/logged-out`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline email',
    });
    clientId = created.data.client_id!;
    config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), clientId, undefined, oidc.ClientSecretBasic(created.data.client_secret!), {
      execute: [oidc.allowInsecureRequests],
    });
    oidc.enableNonRepudiationChecks(config);
  });
  afterAll(() => server.close());

  /** Starts an authorization with PKCE, state and nonce; returns where the browser stopped and the checks. */
  async function authorize(extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${RP}/cb`,
      scope: 'openid offline email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    });
    const landing = await browser.navigate(url.href, isExternal(server));
    return { landing, verifier, state, nonce };
  }

  const follow = async (to: string) => (await browser.navigate(to, isExternal(server))).url;

  let first: { access: string; refresh: string; idToken: string };

  it('logs in and consents through the challenges, and exchanges the code for verified tokens', async () => {
    const { landing, verifier, state, nonce } = await authorize();
    expect(landing.url.startsWith(`${UI.login}?login_challenge=`)).toBe(true);

    const login = await admin.adminGetOAuth2LoginRequest(challengeIn(landing.url, 'login'));
    expect(login.data).toMatchObject({ skip: false, subject: '', requested_scope: ['openid', 'offline', 'email'], client: { client_id: clientId, client_name: 'journey' } });
    expect(login.data.client.client_secret).toBeUndefined();
    expect(login.data.request_url).toContain(`${server.registry.config.serve.public.base_url}oauth2/auth?`);
    const accepted = await admin.adminAcceptOAuth2LoginRequest(login.data.challenge, { subject, remember: true, remember_for: 3600, acr: '1', amr: ['pwd'], context: { tenant: 'acme' } });

    const consentUrl = await follow(accepted.data.redirect_to);
    expect(consentUrl.startsWith(`${UI.consent}?consent_challenge=`)).toBe(true);
    const consent = await admin.adminGetOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'));
    expect(consent.data).toMatchObject({ skip: false, subject, login_challenge: login.data.challenge, acr: '1', amr: ['pwd'], context: { tenant: 'acme' }, requested_scope: ['openid', 'offline', 'email'] });
    const consented = await admin.adminAcceptOAuth2ConsentRequest(consent.data.challenge, {
      grant_scope: ['openid', 'offline', 'email'],
      remember: true,
      remember_for: 3600,
      session: { id_token: { email: 'ada@example.com', sub: 'hijack' }, access_token: { role: 'admin' } },
    });

    const callback = await follow(consented.data.redirect_to);
    expect(callback.startsWith(`${RP}/cb?`)).toBe(true);
    expect(urlParams(callback).state).toBe(state);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'offline', 'openid']);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ sub: subject, email: 'ada@example.com', nonce, acr: '1', amr: ['pwd'], aud: clientId, iss: server.registry.config.serve.public.base_url });
    expect(typeof claims.sid).toBe('string');
    expect(typeof claims.auth_time).toBe('number');

    // Verified again, independently, against the published JWKS: ES256 by default.
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    const jwks = createRemoteJWKSet(new URL(`${server.publicUrl}/.well-known/jwks.json`));
    await expect(jwtVerify(tokens.id_token!, jwks, { issuer: server.registry.config.serve.public.base_url, audience: clientId })).resolves.toBeDefined();
    first = { access: tokens.access_token, refresh: tokens.refresh_token!, idToken: tokens.id_token! };
  });

  it('serves userinfo with the consented claims and shows ext in introspection', async () => {
    const info = await oidc.fetchUserInfo(config, first.access, subject);
    expect(info).toMatchObject({ sub: subject, email: 'ada@example.com' });
    const introspected = await admin.adminIntrospectOAuth2Token(first.access);
    expect(introspected.data).toMatchObject({ active: true, sub: subject, client_id: clientId, ext: { role: 'admin' }, token_use: 'access_token', aud: [] });
    expect(introspected.data.scope?.split(' ').sort()).toEqual(['email', 'offline', 'openid']);
    const refresh = await admin.adminIntrospectOAuth2Token(first.refresh);
    expect(refresh.data).toMatchObject({ active: true, token_use: 'refresh_token', ext: { role: 'admin' } });
  });

  it('rotates refresh tokens; reusing the old one fails and revokes the new one', async () => {
    const rotated = await oidc.refreshTokenGrant(config, first.refresh);
    expect(rotated.refresh_token).toEqual(expect.any(String));
    expect(rotated.refresh_token).not.toBe(first.refresh);
    expect(rotated.claims()).toMatchObject({ sub: subject, email: 'ada@example.com' });
    expect((await admin.adminIntrospectOAuth2Token(first.refresh)).data.active).toBe(false);
    expect((await admin.adminIntrospectOAuth2Token(rotated.refresh_token!)).data.active).toBe(true);

    await expect(oidc.refreshTokenGrant(config, first.refresh)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await admin.adminIntrospectOAuth2Token(rotated.refresh_token!)).data.active).toBe(false);
    expect((await admin.adminIntrospectOAuth2Token(rotated.access_token)).data.active).toBe(false);
    await expect(oidc.refreshTokenGrant(config, rotated.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  let second: { access: string; refresh: string; idToken: string };

  it('skips login and consent on the second authorization (the app still accepts both)', async () => {
    const { landing, verifier, state, nonce } = await authorize();
    const login = await admin.adminGetOAuth2LoginRequest(challengeIn(landing.url, 'login'));
    expect(login.data).toMatchObject({ skip: true, subject });
    expect(typeof login.data.session_id).toBe('string');
    const accepted = await admin.adminAcceptOAuth2LoginRequest(login.data.challenge, { subject });
    const consentUrl = await follow(accepted.data.redirect_to);
    const consent = await admin.adminGetOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'));
    expect(consent.data).toMatchObject({ skip: true, subject, login_session_id: login.data.session_id });
    const consented = await admin.adminAcceptOAuth2ConsentRequest(consent.data.challenge, {
      grant_scope: consent.data.requested_scope,
      session: { id_token: { email: 'ada@example.com' } },
    });
    const callback = await follow(consented.data.redirect_to);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()).toMatchObject({ sub: subject, sid: login.data.session_id });
    second = { access: tokens.access_token, refresh: tokens.refresh_token!, idToken: tokens.id_token! };

    const sessions = await admin.adminListOAuth2SubjectConsentSessions(subject);
    expect(sessions.data.length).toBeGreaterThanOrEqual(1);
    expect(sessions.data[0]).toMatchObject({ remember: true, remember_for: 3600, consent_request: { client: { client_id: clientId }, subject } });
  });

  it('makes live tokens inactive when the consent sessions are revoked', async () => {
    expect((await admin.adminIntrospectOAuth2Token(second.access)).data.active).toBe(true);
    expect((await admin.adminRevokeOAuth2ConsentSessions(subject, clientId)).status).toBe(204);
    expect((await admin.adminIntrospectOAuth2Token(second.access)).data.active).toBe(false);
    expect((await admin.adminIntrospectOAuth2Token(second.refresh)).data.active).toBe(false);
    expect((await admin.adminListOAuth2SubjectConsentSessions(subject)).data).toEqual([]);
  });

  it('logs out through the logout challenge and ends at post_logout_redirect_uri?state=', async () => {
    const url = oidc.buildEndSessionUrl(config, { id_token_hint: second.idToken, post_logout_redirect_uri: `${RP}/logged-out`, state: 'bye-1' });
    const landing = await browser.navigate(url.href, isExternal(server));
    expect(landing.url.startsWith(`${UI.logout}?logout_challenge=`)).toBe(true);
    const challenge = challengeIn(landing.url, 'logout');
    const request = await admin.adminGetOAuth2LogoutRequest(challenge);
    expect(request.data).toMatchObject({ subject, rp_initiated: true, client: { client_id: clientId } });
    expect(request.data.request_url).toMatch(/^\/oauth2\/sessions\/logout\?/);
    const accepted = await admin.adminAcceptOAuth2LogoutRequest(challenge);
    const done = await follow(accepted.data.redirect_to);
    expect(done).toBe(`${RP}/logged-out?state=bye-1`);

    // Handled: 410 with the original request URL; the next authorization asks for a login again.
    const again = await fetch(`${server.adminUrl}/admin/oauth2/auth/requests/logout?logout_challenge=${challenge}`);
    expect(again.status).toBe(410);
    const { landing: fresh } = await authorize();
    expect((await admin.adminGetOAuth2LoginRequest(challengeIn(fresh.url, 'login'))).data.skip).toBe(false);
  });
});
