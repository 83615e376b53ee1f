import type { OidcConfiguration, V0alpha2Api } from '@ory/client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser, urlParams } from '../../helpers/browser';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { UI, bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

jest.setTimeout(60_000);

const RP = 'https://rp.example';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const SESSION_SET = 'tessera.session-tokens';
const insecure = { execute: [oidc.allowInsecureRequests] };

/** Hydra behaviours a relying party or consent app relies on, through HTTP as they use it. */
describe.each(databaseFactories())('Hydra compatibility ($label)', (factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let admin: V0alpha2Api;
  let base: string;

  beforeAll(async () => {
    db = await factory.create();
    server = await bootOAuth2({
      DSN: db.dsn,
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
      OAUTH2_TOKEN_EXCHANGE_ENABLED: 'true',
      WEBFINGER_JWKS_BROADCAST_KEYS: `hydra.openid.id-token,${SESSION_SET}`,
    });
    admin = oryClient(server.adminUrl);
    base = server.registry.config.serve.public.base_url;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  async function rp(body: Record<string, unknown>) {
    const { data } = await admin.adminCreateOAuth2Client({ redirect_uris: [`${RP}/cb`], response_types: ['code'], ...body });
    const config = await oidc.discovery(new URL(base), data.client_id!, undefined, oidc.ClientSecretBasic(data.client_secret!), insecure);
    return { config, id: data.client_id!, secret: data.client_secret! };
  }

  /**
   * Runs an authorization (GET, or POST with a form body) through login and consent, granting every
   * requested scope; returns the callback URL, the requests the apps saw and the PKCE verifier.
   */
  async function authorize(config: oidc.Configuration, params: Record<string, string>, method: 'GET' | 'POST' = 'GET') {
    const browser = new Browser();
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state: 'st-1', ...params });
    const landing =
      method === 'GET'
        ? await browser.navigate(url.href, isExternal(server))
        : await browser.navigate(`${url.origin}${url.pathname}`, isExternal(server), {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: url.searchParams.toString(),
          });
    expect(landing.url.startsWith(`${UI.login}?login_challenge=`)).toBe(true);
    const login = (await admin.adminGetOAuth2LoginRequest(challengeIn(landing.url, 'login'))).data;
    const accepted = await admin.adminAcceptOAuth2LoginRequest(login.challenge, { subject: 'hydra-compat-user' });
    const consentUrl = (await browser.navigate(accepted.data.redirect_to, isExternal(server))).url;
    const consent = (await admin.adminGetOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'))).data;
    const consented = await admin.adminAcceptOAuth2ConsentRequest(consent.challenge, { grant_scope: consent.requested_scope });
    const callback = (await browser.navigate(consented.data.redirect_to, isExternal(server))).url;
    return { browser, callback, login, consent, verifier };
  }

  it.each(['offline_access', 'offline'])('"%s" yields a refresh token without prompt=consent and stays in requested_scope', async (offline) => {
    const { config } = await rp({ grant_types: ['authorization_code', 'refresh_token'], scope: `openid ${offline}` });
    const { callback, login, consent, verifier } = await authorize(config, { redirect_uri: `${RP}/cb`, scope: `openid ${offline}` });
    expect(login.requested_scope).toEqual(['openid', offline]);
    expect(consent.requested_scope).toEqual(['openid', offline]);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 'st-1' });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.scope?.split(' ').sort()).toEqual([offline, 'openid'].sort());
    expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toEqual(expect.any(String));
  });

  it('"offline_access" gives no refresh token to a client without the refresh_token grant', async () => {
    const { config } = await rp({ grant_types: ['authorization_code'], scope: 'openid offline_access' });
    const { callback, consent, verifier } = await authorize(config, { redirect_uri: `${RP}/cb`, scope: 'openid offline_access' });
    expect(consent.requested_scope).toEqual(['openid', 'offline_access']);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 'st-1' });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('POST /oauth2/auth (form body, OIDC Core 3.1.2.1) and POST /oauth2/sessions/logout work like GET', async () => {
    const { config, id } = await rp({ grant_types: ['authorization_code'], scope: 'openid', post_logout_redirect_uris: [`${RP}/bye`] });
    const { browser, callback, login, verifier } = await authorize(config, { redirect_uri: `${RP}/cb`, scope: 'openid', nonce: 'n-1' }, 'POST');
    expect(login.client.client_id).toBe(id);
    expect(urlParams(callback).state).toBe('st-1');
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: 'st-1', expectedNonce: 'n-1' });
    expect(tokens.claims()?.sub).toBe('hydra-compat-user');

    const landing = await browser.navigate(`${server.publicUrl}/oauth2/sessions/logout`, isExternal(server), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${RP}/bye`, state: 'bye-1' }).toString(),
    });
    expect(landing.url.startsWith(`${UI.logout}?logout_challenge=`)).toBe(true);
    const logout = await admin.adminGetOAuth2LogoutRequest(challengeIn(landing.url, 'logout'));
    expect(logout.data).toMatchObject({ subject: 'hydra-compat-user', rp_initiated: true });
    const accepted = await admin.adminAcceptOAuth2LogoutRequest(challengeIn(landing.url, 'logout'));
    expect((await browser.navigate(accepted.data.redirect_to, isExternal(server))).url).toBe(`${RP}/bye?state=bye-1`);
  });

  it('discovery lists registration_endpoint (DCR on) and the signed response algorithms of the SDK model', async () => {
    const res = await fetch(`${server.publicUrl}/.well-known/openid-configuration`);
    const meta = (await res.json()) as OidcConfiguration;
    expect(meta.registration_endpoint).toBe(`${base}oauth2/register`);
    expect(meta.id_token_signed_response_alg).toEqual(meta.id_token_signing_alg_values_supported);
    expect(meta.id_token_signed_response_alg).toEqual(expect.arrayContaining(['ES256', 'RS256']));
    expect(meta.userinfo_signed_response_alg).toEqual(['RS256']);
  });

  it('publishes the public keys of every set in webfinger.jwks.broadcast_keys at /.well-known/jwks.json', async () => {
    const jwt = await server.registry.keyManager.signJwt(SESSION_SET, { sub: 'session-user', iss: base });
    const jwks = createRemoteJWKSet(new URL(`${server.publicUrl}/.well-known/jwks.json`));
    await expect(jwtVerify(jwt, jwks, { issuer: base })).resolves.toMatchObject({ payload: { sub: 'session-user' } });
    const published = (await (await fetch(`${server.publicUrl}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    for (const key of published.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key[member]).toBeUndefined();
    // The ID-token and JWT access-token keys stay published.
    const sets = await Promise.all(['hydra.openid.id-token', 'hydra.jwt.access-token'].map((set) => admin.adminGetJsonWebKeySet(set)));
    const kids = published.keys.map((k) => k.kid);
    for (const set of sets) for (const key of set.data.keys ?? []) expect(kids).toContain(key.kid);
  });

  it('token exchange refuses a subject token whose audience does not include the caller (invalid_request)', async () => {
    const api = 'https://api-b.example.com';
    const exchanger = await rp({ grant_types: [TOKEN_EXCHANGE], scope: 'api:read', metadata: { token_exchange_audiences: [api] }, redirect_uris: [] });
    const other = await rp({ grant_types: ['client_credentials'], scope: 'api:read', redirect_uris: [] });
    const issuer = await rp({ grant_types: ['client_credentials'], scope: 'api:read', audience: [exchanger.id, other.id], redirect_uris: [] });
    const tokenFor = async (audience?: string) => (await oidc.clientCredentialsGrant(issuer.config, { scope: 'api:read', ...(audience ? { audience } : {}) })).access_token;
    const exchange = async (subject: string) => oidc.genericGrantRequest(exchanger.config, TOKEN_EXCHANGE, { subject_token: subject, subject_token_type: ACCESS_TOKEN, audience: api });

    const ok = await exchange(await tokenFor(exchanger.id));
    expect(ok).toMatchObject({ issued_token_type: ACCESS_TOKEN, scope: 'api:read' });

    for (const subject of [await tokenFor(), await tokenFor(other.id)]) {
      const failure = (await exchange(subject).then(
        () => undefined,
        (e: unknown) => e,
      )) as { status?: number; error?: string; error_description?: string } | undefined;
      expect(failure).toMatchObject({ status: 400, error: 'invalid_request', error_description: 'The subject_token was not issued for this client: its audience does not include the client.' });
    }
  });

  it('a code redemption without the redirect_uri the authorization request carried is invalid_grant (RFC 6749 §4.1.3)', async () => {
    const client = await rp({ grant_types: ['authorization_code'], scope: 'openid' });
    const redeem = async (callback: string, verifier: string, redirectUri?: string) => {
      const res = await fetch(`${base}oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: urlParams(callback).code, code_verifier: verifier, ...(redirectUri ? { redirect_uri: redirectUri } : {}) }).toString(),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    // The internal marker of a defaulted redirect_uri cannot be sent by a client, and the apps never see it.
    const carried = await authorize(client.config, { redirect_uri: `${RP}/cb`, scope: 'openid', tessera_redirect_uri_defaulted: '1' });
    expect(carried.login.request_url).not.toContain('tessera_redirect_uri_defaulted');
    expect(await redeem(carried.callback, carried.verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const again = await authorize(client.config, { redirect_uri: `${RP}/cb`, scope: 'openid' });
    expect(await redeem(again.callback, again.verifier, `${RP}/cb`)).toMatchObject({ status: 200, body: { token_type: expect.any(String) } });

    // The client's only redirect URI may be left out of both requests (Hydra allows it too).
    const omitted = await authorize(client.config, { scope: 'openid' });
    expect(omitted.callback.startsWith(`${RP}/cb?`)).toBe(true);
    expect(await redeem(omitted.callback, omitted.verifier)).toMatchObject({ status: 200 });
  });
});
