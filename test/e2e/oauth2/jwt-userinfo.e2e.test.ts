import type { V0alpha2Api } from '@ory/client';
import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser } from '../../helpers/browser';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const RP = 'https://rp.example';

/** Hydra accepts JWT access tokens at /userinfo like opaque ones. */
describe('OAuth2 userinfo with JWT access tokens (access_token_strategy: jwt)', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let config: oidc.Configuration;
  const browser = new Browser();
  const subject = 'user-jwt-5e1a';

  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
    const created = await admin.adminCreateOAuth2Client({
      client_name: 'jwt-userinfo',
      redirect_uris: [`${RP}/cb`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline email',
      access_token_strategy: 'jwt',
    } as never);
    config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), created.data.client_id!, undefined, oidc.ClientSecretBasic(created.data.client_secret!), {
      execute: [oidc.allowInsecureRequests],
    });
  });
  afterAll(() => server.close());

  async function codeFlow(scope: string) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: `${RP}/cb`, scope, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const follow = async (to: string) => (await browser.navigate(to, isExternal(server))).url;
    const landing = await follow(url.href);
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing, 'login'), { subject });
    const consentUrl = await follow(login.data.redirect_to);
    const consented = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), {
      grant_scope: scope.split(' '),
      session: { id_token: { email: 'jwt@example.com' } },
    });
    const callback = await follow(consented.data.redirect_to);
    return oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedState: state });
  }

  it('serves userinfo for a JWT access token from the auth-code flow, and rejects it once the client tokens are deleted', async () => {
    const tokens = await codeFlow('openid offline email');
    expect(tokens.access_token.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(tokens.access_token).alg).toBe('ES256');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, subject);
    expect(info).toMatchObject({ sub: subject, email: 'jwt@example.com' });
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data).toMatchObject({ active: true, sub: subject });

    // A JWT whose signature does not verify is an invalid token.
    const [h, p] = tokens.access_token.split('.');
    const tampered = `${h}.${p}.${'A'.repeat(86)}`;
    const forged = await fetch(`${server.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${tampered}` } });
    expect(forged.status).toBe(401);

    // Deleting the client's access tokens (admin API) removes the issued-token index row: no longer accepted.
    await admin.adminDeleteOAuth2Token(config.clientMetadata().client_id);
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data.active).toBe(false);
    const revoked = await fetch(`${server.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(revoked.status).toBe(401);
  });

  it('rejects a JWT access token without the openid scope and one whose consent was revoked', async () => {
    const noOpenid = await codeFlow('email');
    const insufficient = await fetch(`${server.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${noOpenid.access_token}` } });
    expect(insufficient.status).toBe(403);

    const tokens = await codeFlow('openid email');
    expect((await fetch(`${server.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);
    await admin.adminRevokeOAuth2ConsentSessions(subject, undefined, true);
    const afterRevoke = await fetch(`${server.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(afterRevoke.status).toBe(401);
  });

  it('revokes a JWT access token at /oauth2/revoke together with the tokens of its grant (Hydra); other clients may not', async () => {
    const tokens = await codeFlow('openid offline email');
    expect(tokens.access_token.split('.')).toHaveLength(3);
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const other = await admin.adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope: 'x' });
    const otherConfig = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), other.data.client_id!, undefined, oidc.ClientSecretBasic(other.data.client_secret!), {
      execute: [oidc.allowInsecureRequests],
    });
    const refused = await oidc.tokenRevocation(otherConfig, tokens.access_token).catch((e: unknown) => e as oidc.ResponseBodyError);
    expect(refused).toBeInstanceOf(oidc.ResponseBodyError);
    expect((refused as oidc.ResponseBodyError).error).toBe('unauthorized_client');
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data.active).toBe(true);

    await oidc.tokenRevocation(config, tokens.access_token);
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data.active).toBe(false);
    expect((await admin.adminIntrospectOAuth2Token(tokens.refresh_token!)).data.active).toBe(false);
    expect((await fetch(`${server.publicUrl}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);

    // A JWT that does not verify, or one already revoked, is answered like an unknown token: 200.
    const [h, p] = tokens.access_token.split('.');
    await expect(oidc.tokenRevocation(config, `${h}.${p}.${'A'.repeat(86)}`)).resolves.toBeUndefined();
    await expect(oidc.tokenRevocation(config, tokens.access_token)).resolves.toBeUndefined();
  });

  it('revokes a client_credentials JWT access token', async () => {
    const cc = await admin.adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope: 'api', access_token_strategy: 'jwt' } as never);
    const ccConfig = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), cc.data.client_id!, undefined, oidc.ClientSecretBasic(cc.data.client_secret!), {
      execute: [oidc.allowInsecureRequests],
    });
    const token = (await oidc.clientCredentialsGrant(ccConfig, { scope: 'api' })).access_token;
    expect(token.split('.')).toHaveLength(3);
    expect((await admin.adminIntrospectOAuth2Token(token)).data.active).toBe(true);
    await oidc.tokenRevocation(ccConfig, token);
    expect((await admin.adminIntrospectOAuth2Token(token)).data.active).toBe(false);
  });
});
