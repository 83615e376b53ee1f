import type { V0alpha2Api } from '@ory/client';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps, freePort } from '../../helpers/boot-apps';
import { Browser, urlParams } from '../../helpers/browser';
import { UI, challengeIn } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const RP = 'https://rp.example';
const LOGIN_UI = 'http://ui.test/login';

/**
 * Kratos + Hydra in one process: `urls.login` points at Tessera's own self-service login, so the
 * OAuth2 login challenge is accepted by the self-service login flow with the identity as subject.
 */
describe('OAuth2 integrated login with Tessera identities', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let config: oidc.Configuration;
  let identityId: string;
  const email = 'integrated@example.com';
  const password = 'an integrated passphrase';

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/`;
    server = await bootApps({
      SERVE_PUBLIC_PORT: String(port),
      SERVE_PUBLIC_BASE_URL: base,
      URLS_LOGIN: `${base}self-service/login/browser`,
      URLS_CONSENT: UI.consent,
      URLS_LOGOUT: UI.logout,
      SELFSERVICE_FLOWS_LOGIN_UI_URL: LOGIN_UI,
    });
    admin = oryClient(server.adminUrl);
    const pub = oryClient(server.publicUrl);
    const { data: reg } = await pub.initializeSelfServiceRegistrationFlowWithoutBrowser();
    identityId = (await pub.submitSelfServiceRegistrationFlow(reg.id, { method: 'password', password, traits: { email } })).data.identity.id;
    const created = await admin.adminCreateOAuth2Client({ redirect_uris: [`${RP}/cb`], grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid email' });
    config = await oidc.discovery(new URL(base), created.data.client_id!, undefined, oidc.ClientSecretBasic(created.data.client_secret!), { execute: [oidc.allowInsecureRequests] });
  });
  afterAll(() => server.close());

  const external = (url: string): boolean => !url.startsWith(server.publicUrl);

  it('signs in through the self-service login flow and continues to consent with the identity as subject', async () => {
    const browser = new Browser();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${RP}/cb`,
      scope: 'openid email',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    // authorize → /self-service/login/browser?login_challenge=… → the login UI with ?flow=
    const landing = await browser.navigate(url.href, external);
    expect(landing.url.startsWith(`${LOGIN_UI}?flow=`)).toBe(true);
    const flowId = new URL(landing.url).searchParams.get('flow') as string;
    const flow = await browser.navigate(`${server.publicUrl}/self-service/login/flows?id=${flowId}`, external, { headers: { accept: 'application/json' } });
    const body = JSON.parse(flow.body as string) as { oauth2_login_challenge?: string; ui: { nodes: { attributes: { name: string; value?: string } }[] } };
    expect(body.oauth2_login_challenge).toMatch(/.+/);
    const csrf = body.ui.nodes.find((n) => n.attributes.name === 'csrf_token')?.attributes.value as string;

    // The UI posts the form; Tessera signs in, accepts the challenge and sends the browser back to /oauth2/auth.
    const afterLogin = await browser.navigate(`${server.publicUrl}/self-service/login?flow=${flowId}`, external, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ method: 'password', identifier: email, password, csrf_token: csrf }).toString(),
    });
    expect(afterLogin.url.startsWith(`${UI.consent}?consent_challenge=`)).toBe(true);
    const consent = await admin.adminGetOAuth2ConsentRequest(challengeIn(afterLogin.url, 'consent'));
    expect(consent.data).toMatchObject({ subject: identityId, acr: 'aal1', amr: ['password'] });
    const consented = await admin.adminAcceptOAuth2ConsentRequest(consent.data.challenge, { grant_scope: ['openid', 'email'], session: { id_token: { email } } });
    const callback = await browser.navigate(consented.data.redirect_to, external);
    expect(callback.url.startsWith(`${RP}/cb?`)).toBe(true);
    expect(urlParams(callback.url).state).toBe(state);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback.url), { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()).toMatchObject({ sub: identityId, email, acr: 'aal1', amr: ['password'] });

    // Signed in already: the next authorization's login challenge is accepted without a form.
    const again = await browser.navigate(
      oidc.buildAuthorizationUrl(config, { redirect_uri: `${RP}/cb`, scope: 'openid email', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state }).href,
      external,
    );
    expect(again.url.startsWith(`${UI.consent}?consent_challenge=`)).toBe(true);
  });

  it('refuses an unknown login challenge', async () => {
    const res = await fetch(`${server.publicUrl}/self-service/login/browser?login_challenge=does-not-exist`, { headers: { accept: 'application/json' }, redirect: 'manual' });
    expect(res.status).toBe(404);
  });
});
