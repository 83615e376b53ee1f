import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { freePort } from '../../helpers/boot-apps';
import { Browser, urlParams } from '../../helpers/browser';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const RP = 'https://rp.example';

/** Everything the engine knows is in the database: a restarted process continues a half-done flow. */
describe.each(databaseFactories())('OAuth2 state survives a restart ($label)', (factory) => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    db = await factory.create();
    const [pub, adm] = [await freePort(), await freePort()];
    env = {
      DSN: db.dsn,
      SECRETS_DEFAULT: randomBytes(24).toString('hex'),
      SERVE_PUBLIC_PORT: String(pub),
      SERVE_ADMIN_PORT: String(adm),
      SERVE_PUBLIC_BASE_URL: `http://127.0.0.1:${pub}/`,
      SERVE_ADMIN_BASE_URL: `http://127.0.0.1:${adm}/`,
    };
  });
  afterAll(async () => {
    await server?.close();
    await db.drop();
  });

  const restart = async (): Promise<RunningServer> => {
    await server?.close();
    server = await bootOAuth2(env);
    return server;
  };

  it('completes an authorization started before two restarts (challenges, code and keys persist)', async () => {
    let s = await restart();
    const created = await oryClient(s.adminUrl).adminCreateOAuth2Client({ redirect_uris: [`${RP}/cb`], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid offline' });
    const config = await oidc.discovery(new URL(s.registry.config.serve.public.base_url), created.data.client_id!, undefined, oidc.ClientSecretBasic(created.data.client_secret!), {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${RP}/cb`, scope: 'openid offline', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'restart-state' });
    const browser = new Browser();
    const landing = await browser.navigate(url.href, isExternal(s));

    s = await restart();
    const admin = oryClient(s.adminUrl);
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject: 'restarted', remember: true });
    const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(s))).url;
    const consent = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), { grant_scope: ['openid', 'offline'], session: { id_token: { team: 'ops' } } });
    const callback = (await browser.navigate(consent.data.redirect_to, isExternal(s))).url;
    expect(urlParams(callback).code).toBeDefined();

    s = await restart();
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 'restart-state' });
    expect(tokens.claims()).toMatchObject({ sub: 'restarted', team: 'ops' });
    expect((await oryClient(s.adminUrl).adminIntrospectOAuth2Token(tokens.access_token)).data.active).toBe(true);

    // The remembered login survives too.
    const again = await browser.navigate(url.href, isExternal(s));
    expect((await oryClient(s.adminUrl).adminGetOAuth2LoginRequest(challengeIn(again.url, 'login'))).data).toMatchObject({ skip: true, subject: 'restarted' });
  });
});
