import type { V0alpha2Api } from '@ory/client';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser } from '../../helpers/browser';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const insecure = { execute: [oidc.allowInsecureRequests] };

async function ccClient(server: RunningServer, admin: V0alpha2Api, scope: string) {
  const created = await admin.adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope });
  return oidc.discovery(new URL(server.registry.config.serve.public.base_url), created.data.client_id!, undefined, oidc.ClientSecretBasic(created.data.client_secret!), insecure);
}

/** Hydra's `strategies.scope: wildcard` (the default): a registered `foo.*` allows `foo.bar`. */
describe('OAuth2 wildcard scope strategy', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;

  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  it('grants client_credentials scopes a wildcard covers, and only those', async () => {
    const config = await ccClient(server, admin, 'photos.* videos.read');
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'photos.read photos.album.write videos.read' });
    expect(tokens.scope?.split(' ').sort()).toEqual(['photos.album.write', 'photos.read', 'videos.read']);
    const info = (await admin.adminIntrospectOAuth2Token(tokens.access_token)).data;
    expect(info.scope?.split(' ').sort()).toEqual(['photos.album.write', 'photos.read', 'videos.read']);
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token, 'photos.read')).data.active).toBe(true);

    // Another client's wildcard does not help this one.
    const narrow = await ccClient(server, admin, 'videos.read');
    const refused = await oidc.clientCredentialsGrant(narrow, { scope: 'videos.read photos.read' }).catch((e: unknown) => e as oidc.ResponseBodyError);
    expect(refused).toBeInstanceOf(oidc.ResponseBodyError);
    expect((refused as oidc.ResponseBodyError).error).toBe('invalid_scope');
  });

  // Hydra (fosite's client_credentials handler) answers invalid_scope for any scope the client may not
  // request; the engine alone would drop `photos` (a scope it never saw) and issue a token without it.
  it('refuses `photos`, which `photos.*` does not cover, with invalid_scope', async () => {
    const config = await ccClient(server, admin, 'photos.* videos.read');
    const bare = await oidc.clientCredentialsGrant(config, { scope: 'photos' }).catch((e: unknown) => e as oidc.ResponseBodyError);
    expect(bare).toBeInstanceOf(oidc.ResponseBodyError);
    expect((bare as oidc.ResponseBodyError).error).toBe('invalid_scope');
  });

  it('carries wildcard-covered scopes through the authorization-code flow and consent', async () => {
    const redirect = 'https://rp.example/cb';
    const created = await admin.adminCreateOAuth2Client({ redirect_uris: [redirect], grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid photos.*' });
    const config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), created.data.client_id!, undefined, oidc.ClientSecretBasic(created.data.client_secret!), insecure);
    const browser = new Browser();
    const follow = async (to: string) => (await browser.navigate(to, isExternal(server))).url;
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirect, scope: 'openid photos.read', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(await follow(url.href), 'login'), { subject: 'wild-user' });
    const consentChallenge = challengeIn(await follow(login.data.redirect_to), 'consent');
    expect((await admin.adminGetOAuth2ConsentRequest(consentChallenge)).data.requested_scope).toEqual(['openid', 'photos.read']);
    const consented = await admin.adminAcceptOAuth2ConsentRequest(consentChallenge, { grant_scope: ['openid', 'photos.read'] });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(await follow(consented.data.redirect_to)), { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.scope?.split(' ').sort()).toEqual(['openid', 'photos.read']);
  });
});

describe('OAuth2 exact scope strategy', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;

  beforeAll(async () => {
    server = await bootOAuth2({ STRATEGIES_SCOPE: 'exact' });
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  it('treats `photos.*` as a plain scope name', async () => {
    const config = await ccClient(server, admin, 'photos.* videos.read');
    const literal = await oidc.clientCredentialsGrant(config, { scope: 'photos.*' });
    expect(literal.scope).toBe('photos.*');
  });

  // `photos.read`, unknown to this engine, would be dropped silently (a token for `videos.read` alone);
  // Hydra answers invalid_scope.
  it('refuses `photos.read` to a `photos.*` client with invalid_scope', async () => {
    const config = await ccClient(server, admin, 'photos.* videos.read');
    const refused = await oidc.clientCredentialsGrant(config, { scope: 'photos.read videos.read' }).catch((e: unknown) => e as oidc.ResponseBodyError);
    expect(refused).toBeInstanceOf(oidc.ResponseBodyError);
    expect((refused as oidc.ResponseBodyError).error).toBe('invalid_scope');
  });
});
