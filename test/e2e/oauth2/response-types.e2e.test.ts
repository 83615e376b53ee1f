import { createHash } from 'node:crypto';
import type { V0alpha2Api } from '@ory/client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser, urlParams } from '../../helpers/browser';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const RP = 'https://rp.example';

describe('implicit and hybrid flows, response modes', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let clientId: string;
  let clientSecret: string;

  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
    const created = await admin.adminCreateOAuth2Client({
      redirect_uris: [`${RP}/cb`],
      grant_types: ['authorization_code', 'implicit', 'refresh_token'],
      response_types: ['code', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
      scope: 'openid offline',
    });
    clientId = created.data.client_id!;
    clientSecret = created.data.client_secret!;
  });
  afterAll(() => server.close());

  /** Runs login and consent for one authorization and returns where the browser ended. */
  async function run(responseType: string, extra: Record<string, string> = {}, subject = 'rt-user') {
    const browser = new Browser();
    const query = new URLSearchParams({ client_id: clientId, response_type: responseType, redirect_uri: `${RP}/cb`, scope: 'openid', state: 'state-abcdefgh', nonce: 'nonce-abcdefgh', ...extra });
    const landing = await browser.navigate(`${server.publicUrl}/oauth2/auth?${query}`, isExternal(server));
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject });
    const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(server))).url;
    const consent = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), { grant_scope: query.get('scope')!.split(' '), session: { id_token: { tier: 'gold' } } });
    return browser.navigate(consent.data.redirect_to, isExternal(server));
  }

  const keys = () => createRemoteJWKSet(new URL(`${server.publicUrl}/.well-known/jwks.json`));

  it.each([
    ['code id_token', ['code', 'id_token'], ['access_token']],
    ['code token', ['code', 'access_token'], ['id_token']],
    ['code id_token token', ['code', 'id_token', 'access_token'], []],
    ['id_token token', ['id_token', 'access_token'], ['code']],
    ['id_token', ['id_token'], ['code', 'access_token']],
  ])('response_type=%s returns what it asks for in the fragment', async (responseType, present, absent) => {
    const done = await run(responseType);
    const url = new URL(done.url);
    expect(url.origin + url.pathname).toBe(`${RP}/cb`);
    expect(url.search).toBe('');
    const params = urlParams(done.url);
    for (const p of present) expect(params[p]).toEqual(expect.any(String));
    for (const p of absent) expect(params[p]).toBeUndefined();
    expect(params.state).toBe('state-abcdefgh');
  });

  it.each([
    ['code id_token', true, false],
    ['code id_token token', true, true],
    ['id_token token', false, true],
    ['id_token', false, false],
  ])('response_type=%s signs an id_token with the nonce, the session claims and c_hash=%s / at_hash=%s', async (responseType, cHash, atHash) => {
    const params = urlParams((await run(responseType)).url);
    const { payload, protectedHeader } = await jwtVerify(params.id_token, keys(), { audience: clientId });
    expect(payload).toMatchObject({ sub: 'rt-user', nonce: 'nonce-abcdefgh', tier: 'gold' });
    // OIDC Core 3.3.2.11: the left half of the hash (of the id_token's alg size) of the code / access token.
    const halfHash = (value: string): string => {
      const digest = createHash(`sha${protectedHeader.alg.slice(-3)}`).update(value).digest();
      return digest.subarray(0, digest.length / 2).toString('base64url');
    };
    expect(payload.c_hash).toBe(cHash ? halfHash(params.code) : undefined);
    expect(payload.at_hash).toBe(atHash ? halfHash(params.access_token) : undefined);
  });

  it('honours response_mode=query for code and form_post for hybrid', async () => {
    const query = await run('code', { response_mode: 'query' });
    expect(new URL(query.url).searchParams.get('code')).toEqual(expect.any(String));
    const posted = await run('code id_token', { response_mode: 'form_post' });
    expect(posted.status).toBe(200);
    expect(posted.body).toContain(`action="${RP}/cb"`);
    expect(posted.body).toMatch(/name="code" value="[^"]+"/);
    expect(posted.body).toMatch(/name="id_token" value="[^"]+"/);
    expect(posted.body).toContain('value="state-abcdefgh"');
  });

  it('issues a JWT access token with the granted audience and ext to a jwt-strategy client (code flow)', async () => {
    const jwtClient = await admin.adminCreateOAuth2Client({
      redirect_uris: [`${RP}/cb`],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid offline api',
      audience: ['https://api.example.com'],
      ...({ access_token_strategy: 'jwt' } as object), // Hydra v2.1+ field, not in this SDK's type
      client_credentials_grant_access_token_lifespan: '5m',
      authorization_code_grant_access_token_lifespan: '10m',
    });
    const browser = new Browser();
    const query = new URLSearchParams({ client_id: jwtClient.data.client_id!, response_type: 'code', redirect_uri: `${RP}/cb`, scope: 'openid offline api', state: 'state-abcdefgh', audience: 'https://api.example.com' });
    const landing = await browser.navigate(`${server.publicUrl}/oauth2/auth?${query}`, isExternal(server));
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject: 'jwt-user' });
    const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(server))).url;
    const consentRequest = await admin.adminGetOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'));
    expect(consentRequest.data.requested_access_token_audience).toEqual(['https://api.example.com']);
    const consent = await admin.adminAcceptOAuth2ConsentRequest(consentRequest.data.challenge, {
      grant_scope: ['openid', 'offline', 'api'],
      grant_access_token_audience: ['https://api.example.com'],
      session: { access_token: { plan: 'pro' } },
    });
    const code = urlParams((await browser.navigate(consent.data.redirect_to, isExternal(server))).url).code;
    const res = await fetch(`${server.publicUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${jwtClient.data.client_id}:${jwtClient.data.client_secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${RP}/cb` }).toString(),
    });
    const tokens = (await res.json()) as Record<string, string | number>;
    expect(res.status).toBe(200);
    expect(tokens.expires_in).toBe(600);
    const { payload, protectedHeader } = await jwtVerify(String(tokens.access_token), keys());
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'jwt-user', aud: ['https://api.example.com'], ext: { plan: 'pro' }, client_id: jwtClient.data.client_id });
    expect((payload.scp as string[]).sort()).toEqual(['api', 'offline', 'openid']);
    expect((await admin.adminIntrospectOAuth2Token(String(tokens.access_token))).data).toMatchObject({ active: true, sub: 'jwt-user', ext: { plan: 'pro' } });
    // Refreshing keeps the JWT format; revoking the consent makes the JWT inactive at introspection.
    const refreshed = await fetch(`${server.publicUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${jwtClient.data.client_id}:${jwtClient.data.client_secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) }).toString(),
    });
    const again = (await refreshed.json()) as Record<string, string>;
    expect(again.access_token.split('.')).toHaveLength(3);
    await admin.adminRevokeOAuth2ConsentSessions('jwt-user', jwtClient.data.client_id!);
    expect((await admin.adminIntrospectOAuth2Token(again.access_token)).data.active).toBe(false);
  });

  it('revokes a refresh token at /oauth2/revoke together with the access tokens of its grant', async () => {
    const code = urlParams((await run('code', { scope: 'openid offline' })).url).code;
    const auth = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: auth };
    const tokens = (await (await fetch(`${server.publicUrl}/oauth2/token`, { method: 'POST', headers: form, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${RP}/cb` }).toString() })).json()) as Record<string, string>;
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data.active).toBe(true);
    const revoked = await fetch(`${server.publicUrl}/oauth2/revoke`, { method: 'POST', headers: form, body: new URLSearchParams({ token: tokens.refresh_token }).toString() });
    expect(revoked.status).toBe(200);
    expect((await admin.adminIntrospectOAuth2Token(tokens.refresh_token)).data.active).toBe(false);
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data.active).toBe(false);
    const unknown = await fetch(`${server.publicUrl}/oauth2/revoke`, { method: 'POST', headers: form, body: 'token=unknown-token' });
    expect(unknown.status).toBe(200);
    const unauthenticated = await fetch(`${server.publicUrl}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' });
    expect(unauthenticated.status).toBe(400);
  });

  it("stops serving an identity's tokens once the identity is deactivated (findAccount reads identities)", async () => {
    const identity = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: `oauth2-${Date.now()}@example.com` } });
    const code = urlParams((await run('code', { scope: 'openid offline' }, identity.data.id)).url).code;
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` };
    const tokens = (await (await fetch(`${server.publicUrl}/oauth2/token`, { method: 'POST', headers: form, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${RP}/cb` }).toString() })).json()) as Record<string, string>;
    const userinfo = () => fetch(`${server.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect((await userinfo()).status).toBe(200);
    await admin.adminUpdateIdentity(identity.data.id, { schema_id: 'default', traits: identity.data.traits as object, state: 'inactive' });
    expect((await userinfo()).status).toBe(401);
    const refreshed = await fetch(`${server.publicUrl}/oauth2/token`, { method: 'POST', headers: form, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).toString() });
    expect(await refreshed.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('requires PKCE S256 from public clients', async () => {
    const pub = await admin.adminCreateOAuth2Client({ redirect_uris: [`${RP}/cb`], token_endpoint_auth_method: 'none', scope: 'openid' });
    const query = new URLSearchParams({ client_id: pub.data.client_id!, response_type: 'code', redirect_uri: `${RP}/cb`, scope: 'openid', state: 'state-abcdefgh' });
    const done = await new Browser().navigate(`${server.publicUrl}/oauth2/auth?${query}`, isExternal(server));
    expect(urlParams(done.url)).toMatchObject({ error: 'invalid_request' });
    expect(urlParams(done.url).error_description).toMatch(/PKCE/);
  });
});
