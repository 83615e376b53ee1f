import type { V0alpha2Api } from '@ory/client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser, urlParams } from '../../helpers/browser';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { UI, bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

jest.setTimeout(120_000);

const RP = 'https://rp.example';
const insecure = { execute: [oidc.allowInsecureRequests] };

/**
 * Keycloak-style OIDC endpoints (issue 14 item 6, FerrisKey seed 000): a stored realm `b` discovered by
 * an unmodified openid-client at `<base>/realms/b` runs the authorization code flow with PKCE, userinfo,
 * RFC 7662 introspection, RFC 7009 revocation and RP-initiated logout through
 * `/realms/b/protocol/openid-connect/…`; Hydra's paths under the prefix and the default realm's Hydra
 * discovery stay as they were.
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('Keycloak-style endpoints of a stored realm on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let base: string;
  let realmBase: string;
  let admin: V0alpha2Api;
  let config: oidc.Configuration;
  let client: { id: string; secret: string };
  const browser = new Browser();
  const subject = 'kc-user-1';
  let tokens: { access: string; refresh: string; idToken: string };

  beforeAll(async () => {
    db = await factory.create();
    server = await bootOAuth2({ DSN: db.dsn });
    base = server.registry.config.serve.public.base_url;
    realmBase = `${base}realms/b`;
    const created = await request(server.adminUrl)
      .post('/admin/realms')
      .send({ name: 'b', config: { urls: { login: UI.login, consent: UI.consent, logout: UI.logout } } });
    expect(created.status).toBe(201);
    admin = oryClient(`${server.adminUrl}/realms/b`);
    const { data } = await admin.adminCreateOAuth2Client({
      client_name: 'keycloak-rp',
      redirect_uris: [`${RP}/cb`],
      post_logout_redirect_uris: [`${RP}/logged-out`],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      scope: 'openid offline email',
    });
    client = { id: data.client_id!, secret: data.client_secret! };
    config = await oidc.discovery(new URL(realmBase), client.id, undefined, oidc.ClientSecretBasic(client.secret), insecure);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const follow = async (to: string) => (await browser.navigate(to, isExternal(server))).url;
  const kc = (name: string) => `${realmBase}/protocol/openid-connect/${name}`;

  it("discovers b's issuer and the protocol/openid-connect endpoints", () => {
    expect(config.serverMetadata()).toMatchObject({
      issuer: realmBase,
      authorization_endpoint: kc('auth'),
      token_endpoint: kc('token'),
      jwks_uri: kc('certs'),
      userinfo_endpoint: kc('userinfo'),
      end_session_endpoint: kc('logout'),
      revocation_endpoint: kc('revoke'),
      introspection_endpoint: kc('token/introspect'),
    });
  });

  it('runs the authorization code flow with PKCE through them, consented through b’s admin challenge API', async () => {
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
    });
    expect(url.href.startsWith(`${kc('auth')}?`)).toBe(true);
    const landing = await browser.navigate(url.href, isExternal(server));
    expect(landing.url.startsWith(`${UI.login}?login_challenge=`)).toBe(true);
    const login = challengeIn(landing.url, 'login');
    const accepted = await admin.adminAcceptOAuth2LoginRequest(login, { subject, remember: true, remember_for: 3600 });
    const consentUrl = await follow(accepted.data.redirect_to);
    expect(consentUrl.startsWith(`${UI.consent}?consent_challenge=`)).toBe(true);
    const consented = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), {
      grant_scope: ['openid', 'offline', 'email'],
      session: { id_token: { email: 'kc@example.com' } },
    });
    const callback = await follow(consented.data.redirect_to);
    expect(callback.startsWith(`${RP}/cb?`)).toBe(true);
    expect(urlParams(callback).state).toBe(state);

    const got = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(got.claims()).toMatchObject({ sub: subject, email: 'kc@example.com', iss: realmBase, aud: client.id, nonce });
    tokens = { access: got.access_token, refresh: got.refresh_token!, idToken: got.id_token! };
  });

  it("verifies b's ID token against certs and jwks.json, not against the default realm's JWKS", async () => {
    for (const name of ['certs', 'jwks.json']) {
      await expect(jwtVerify(tokens.idToken, createRemoteJWKSet(new URL(kc(name))), { issuer: realmBase, audience: client.id })).resolves.toBeDefined();
    }
    const certs = await (await fetch(kc('certs'))).json();
    expect(await (await fetch(kc('jwks.json'))).json()).toEqual(certs);
    await expect(jwtVerify(tokens.idToken, createRemoteJWKSet(new URL(`${base}.well-known/jwks.json`)))).rejects.toThrow();
  });

  it('serves userinfo and introspection (RFC 7662, client-authenticated, scoped to the realm)', async () => {
    expect(await oidc.fetchUserInfo(config, tokens.access, subject)).toMatchObject({ sub: subject, email: 'kc@example.com' });
    expect(await oidc.tokenIntrospection(config, tokens.access)).toMatchObject({ active: true, sub: subject, client_id: client.id, iss: realmBase });

    // A token of the default realm is unknown at b.
    const defaults = oryClient(server.adminUrl);
    const { data: other } = await defaults.adminCreateOAuth2Client({ grant_types: ['client_credentials'] });
    const foreign = await request(server.publicUrl).post('/oauth2/token').auth(other.client_id!, other.client_secret!).type('form').send({ grant_type: 'client_credentials' });
    expect(foreign.status).toBe(200);
    expect((await defaults.adminIntrospectOAuth2Token(foreign.body.access_token)).data.active).toBe(true);
    expect(await oidc.tokenIntrospection(config, foreign.body.access_token)).toEqual({ active: false });

    // Without client authentication: 401 in the OAuth2 error shape; with the default realm's client: unknown at b.
    const anonymous = await request(server.publicUrl).post('/realms/b/protocol/openid-connect/token/introspect').type('form').send({ token: tokens.access });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: 'invalid_client', error_description: expect.any(String) });
    const stranger = await request(server.publicUrl).post('/realms/b/protocol/openid-connect/token/introspect').auth(other.client_id!, other.client_secret!).type('form').send({ token: tokens.access });
    expect(stranger.status).toBe(401);
    expect(stranger.body.error).toBe('invalid_client');

    // A public client of b learns nothing, not even about its own tokens.
    const { data: spa } = await admin.adminCreateOAuth2Client({ token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: [`${RP}/spa`] });
    const asPublic = await request(server.publicUrl).post('/realms/b/protocol/openid-connect/token/introspect').type('form').send({ token: tokens.access, client_id: spa.client_id! });
    expect(asPublic.status).toBe(200);
    expect(asPublic.body).toEqual({ active: false });
  });

  it("introspects JWT access tokens there too: b's are active, the default realm's are not", async () => {
    const jwtClient = async (api: V0alpha2Api) => (await api.adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope: 'api:read', access_token_strategy: 'jwt' } as never)).data;
    const jwtToken = async (prefix: string, c: { client_id?: string; client_secret?: string }) => {
      const res = await request(server.publicUrl).post(`${prefix}/oauth2/token`).auth(c.client_id!, c.client_secret!).type('form').send({ grant_type: 'client_credentials', scope: 'api:read' });
      expect(res.status).toBe(200);
      expect(res.body.access_token.split('.')).toHaveLength(3);
      return res.body.access_token as string;
    };
    const mine = await jwtToken('/realms/b', await jwtClient(admin));
    expect(await oidc.tokenIntrospection(config, mine)).toMatchObject({ active: true, scope: 'api:read', iss: realmBase, token_use: 'access_token' });
    const theirs = await jwtToken('', await jwtClient(oryClient(server.adminUrl)));
    expect(await oidc.tokenIntrospection(config, theirs)).toEqual({ active: false });
  });

  it("takes FerrisKey's JSON bodies at token, introspect and revoke as the forms they stand for", async () => {
    const pub = request(server.publicUrl);
    const token = await pub.post('/realms/b/protocol/openid-connect/token').send({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    const introspect = (body: object) => pub.post('/realms/b/protocol/openid-connect/token/introspect').auth(client.id, client.secret).send(body);
    expect((await introspect({ token: token.body.access_token })).body).toMatchObject({ active: true, client_id: client.id });
    expect((await pub.post('/realms/b/protocol/openid-connect/revoke').send({ token: token.body.access_token, client_id: client.id, client_secret: client.secret })).status).toBe(200);
    expect((await introspect({ token: token.body.access_token })).body).toEqual({ active: false });
    for (const bad of ['{"token": ', '["a"]', '{"token": {"x": 1}}']) {
      const res = await pub.post('/realms/b/protocol/openid-connect/token/introspect').auth(client.id, client.secret).set('Content-Type', 'application/json').send(bad);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request', error_description: expect.any(String) });
    }
  });

  it("keeps Hydra's paths under the prefix", async () => {
    const pub = request(server.publicUrl);
    const token = await pub.post('/realms/b/oauth2/token').auth(client.id, client.secret).type('form').send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(200);
    const auth = await pub.get('/realms/b/oauth2/auth').query({ client_id: client.id, response_type: 'code', scope: 'openid', redirect_uri: `${RP}/cb`, state: 'state-ory-1' });
    expect(auth.status).toBe(303);
    expect(auth.headers.location.startsWith(`${UI.login}?login_challenge=`)).toBe(true);
    const jwks = await pub.get('/realms/b/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body).toEqual(await (await fetch(kc('certs'))).json());
    expect((await pub.get('/realms/b/userinfo').set('Authorization', `Bearer ${tokens.access}`)).body).toMatchObject({ sub: subject });
    expect((await pub.post('/realms/b/oauth2/revoke').auth(client.id, client.secret).type('form').send({ token: token.body.access_token })).status).toBe(200);
    expect((await admin.adminIntrospectOAuth2Token(token.body.access_token)).data.active).toBe(false);
    const logout = await pub.get('/realms/b/oauth2/sessions/logout');
    expect(logout.status).toBeGreaterThanOrEqual(300);
    expect(logout.status).toBeLessThan(400);
  });

  it('revokes (RFC 7009): the token is inactive afterwards', async () => {
    const got = await oidc.refreshTokenGrant(config, tokens.refresh);
    expect((await oidc.tokenIntrospection(config, got.access_token)).active).toBe(true);
    await oidc.tokenRevocation(config, got.access_token);
    expect(await oidc.tokenIntrospection(config, got.access_token)).toEqual({ active: false });
    tokens = { access: got.access_token, refresh: got.refresh_token!, idToken: got.id_token! };
  });

  it('logs out (RP-initiated) through the logout path and b’s logout challenge', async () => {
    const url = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.idToken, post_logout_redirect_uri: `${RP}/logged-out`, state: 'bye-kc' });
    expect(url.href.startsWith(`${kc('logout')}?`)).toBe(true);
    const landing = await browser.navigate(url.href, isExternal(server));
    expect(landing.url.startsWith(`${UI.logout}?logout_challenge=`)).toBe(true);
    const challenge = challengeIn(landing.url, 'logout');
    expect((await admin.adminGetOAuth2LogoutRequest(challenge)).data).toMatchObject({ subject, rp_initiated: true, client: { client_id: client.id } });
    const accepted = await admin.adminAcceptOAuth2LogoutRequest(challenge);
    expect(await follow(accepted.data.redirect_to)).toBe(`${RP}/logged-out?state=bye-kc`);
  });

  it("leaves the default realm's unprefixed Hydra discovery unchanged; Keycloak's paths only under a prefix", async () => {
    const hydra = (await request(server.publicUrl).get('/.well-known/openid-configuration')).body;
    expect(hydra).toMatchObject({ issuer: base, token_endpoint: `${base}oauth2/token`, jwks_uri: `${base}.well-known/jwks.json`, end_session_endpoint: `${base}oauth2/sessions/logout` });
    expect(Object.keys(hydra).filter((k) => k.startsWith('introspection'))).toEqual([]);
    const unprefixed = await request(server.publicUrl).post('/protocol/openid-connect/token').type('form').send({ grant_type: 'client_credentials' });
    expect(unprefixed.status).toBe(404);
    const other404 = await request(server.publicUrl).get('/realms/b/protocol/openid-connect/auth/device');
    expect(other404.status).toBe(404);
    expect(other404.body).toMatchObject({ error: 'not_found', error_description: expect.any(String) });
    const unknown = await request(server.publicUrl).post('/realms/nope/protocol/openid-connect/token').type('form').send({ grant_type: 'client_credentials' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: expect.any(String), status_code: 404 });
  });

  describe('the default realm under /realms/default', () => {
    const defaultBase = () => `${base}realms/default`;
    const dkc = (name: string) => `${defaultBase()}/protocol/openid-connect/${name}`;
    let defaults: V0alpha2Api;
    let dconfig: oidc.Configuration;
    let dclient: { id: string; secret: string };
    let idToken: string;

    beforeAll(async () => {
      defaults = oryClient(server.adminUrl);
      const { data } = await defaults.adminCreateOAuth2Client({
        redirect_uris: [`${RP}/cb`],
        post_logout_redirect_uris: [`${RP}/logged-out`],
        grant_types: ['authorization_code', 'client_credentials'],
        response_types: ['code'],
        scope: 'openid',
      });
      dclient = { id: data.client_id!, secret: data.client_secret! };
      dconfig = await oidc.discovery(new URL(defaultBase()), dclient.id, undefined, oidc.ClientSecretBasic(dclient.secret), insecure);
    });

    it('is discovered at its own issuer <base>/realms/default with the protocol/openid-connect endpoints', () => {
      expect(dconfig.serverMetadata()).toMatchObject({ issuer: defaultBase(), authorization_endpoint: dkc('auth'), token_endpoint: dkc('token'), jwks_uri: dkc('certs'), introspection_endpoint: dkc('token/introspect') });
    });

    it("runs the code flow with the default realm's challenges (unprefixed admin API): the browser resumes where it started", async () => {
      const browserD = new Browser();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(dconfig, { redirect_uri: `${RP}/cb`, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
      const landing = await browserD.navigate(url.href, isExternal(server));
      const accepted = await defaults.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject: 'default-kc-user' });
      expect(accepted.data.redirect_to.startsWith(`${defaultBase()}/`)).toBe(true);
      const consentUrl = (await browserD.navigate(accepted.data.redirect_to, isExternal(server))).url;
      const consented = await defaults.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), { grant_scope: ['openid'] });
      const callback = (await browserD.navigate(consented.data.redirect_to, isExternal(server))).url;
      const got = await oidc.authorizationCodeGrant(dconfig, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
      expect(got.claims()).toMatchObject({ sub: 'default-kc-user', iss: defaultBase(), aud: dclient.id });
      idToken = got.id_token!;
      // One realm, one key set: the ID token verifies against both spellings of the default realm's JWKS.
      await expect(jwtVerify(idToken, createRemoteJWKSet(new URL(dkc('certs'))), { issuer: defaultBase() })).resolves.toBeDefined();
      await expect(jwtVerify(idToken, createRemoteJWKSet(new URL(`${base}.well-known/jwks.json`)), { issuer: defaultBase() })).resolves.toBeDefined();
      // Same tokens table: the admin introspection knows the token, and so does the Keycloak path.
      expect((await defaults.adminIntrospectOAuth2Token(got.access_token)).data).toMatchObject({ active: true, sub: 'default-kc-user' });
      expect(await oidc.tokenIntrospection(dconfig, got.access_token)).toMatchObject({ active: true, sub: 'default-kc-user', iss: defaultBase() });
      expect(await oidc.fetchUserInfo(dconfig, got.access_token, 'default-kc-user')).toMatchObject({ sub: 'default-kc-user' });

      const logout = oidc.buildEndSessionUrl(dconfig, { id_token_hint: idToken, post_logout_redirect_uri: `${RP}/logged-out`, state: 'bye-default' });
      const atLogout = await browserD.navigate(logout.href, isExternal(server));
      expect(atLogout.url.startsWith(`${UI.logout}?logout_challenge=`)).toBe(true);
      const done = await defaults.adminAcceptOAuth2LogoutRequest(challengeIn(atLogout.url, 'logout'));
      expect((await browserD.navigate(done.data.redirect_to, isExternal(server))).url).toBe(`${RP}/logged-out?state=bye-default`);
    });

    it('serves client_credentials at both spellings; a token of b is unknown there', async () => {
      const viaKc = await oidc.clientCredentialsGrant(dconfig, {});
      expect((await defaults.adminIntrospectOAuth2Token(viaKc.access_token)).data).toMatchObject({ active: true, client_id: dclient.id });
      const viaOry = await request(server.publicUrl).post('/realms/default/oauth2/token').auth(dclient.id, dclient.secret).type('form').send({ grant_type: 'client_credentials' });
      expect(viaOry.status).toBe(200);
      const ofB = await request(server.publicUrl).post('/realms/b/oauth2/token').auth(client.id, client.secret).type('form').send({ grant_type: 'client_credentials' });
      expect(await oidc.tokenIntrospection(dconfig, ofB.body.access_token)).toEqual({ active: false });
    });

    it("accepts the default realm's JWT access tokens under both of its issuers", async () => {
      const { data: jwtClient } = await defaults.adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope: 'api:read', access_token_strategy: 'jwt' } as never);
      const issue = async (path: string) => {
        const res = await request(server.publicUrl).post(path).auth(jwtClient.client_id!, jwtClient.client_secret!).type('form').send({ grant_type: 'client_credentials', scope: 'api:read' });
        expect(res.status).toBe(200);
        return res.body.access_token as string;
      };
      const prefixed = await issue('/realms/default/protocol/openid-connect/token');
      const plain = await issue('/oauth2/token');
      expect((await defaults.adminIntrospectOAuth2Token(prefixed)).data).toMatchObject({ active: true, iss: defaultBase() });
      expect(await oidc.tokenIntrospection(dconfig, plain)).toMatchObject({ active: true, iss: base });
    });
  });
});
