import { createHash } from 'node:crypto';
import type { V0alpha2Api } from '@ory/client';
import * as oidc from 'openid-client';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser } from '../../helpers/browser';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient, oryFailure } from '../../helpers/ory-client';

const SALT = 'pairwise-salt-for-tests';
const hydraPairwise = (sector: string, subject: string) => createHash('sha256').update(sector + subject + SALT).digest('hex');

/** Hydra's pairwise subject identifiers (hydra-api.md §8.2, §7.3): per-sector `sub` in ID tokens and userinfo. */
describe('OAuth2 pairwise subjects', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  const subject = 'user-pairwise-71c2';

  beforeAll(async () => {
    server = await bootOAuth2({ OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,pairwise', OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: SALT });
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  async function client(redirect: string, subjectType: string) {
    const created = await admin.adminCreateOAuth2Client({
      redirect_uris: [redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline',
      subject_type: subjectType,
    });
    expect(created.data.subject_type).toBe(subjectType);
    const config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), created.data.client_id!, undefined, oidc.ClientSecretBasic(created.data.client_secret!), {
      execute: [oidc.allowInsecureRequests],
    });
    return { config, id: created.data.client_id! };
  }

  async function codeFlow(config: oidc.Configuration, redirect: string) {
    const browser = new Browser();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirect, scope: 'openid offline', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const follow = async (to: string) => (await browser.navigate(to, isExternal(server))).url;
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(await follow(url.href), 'login'), { subject });
    const consented = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(await follow(login.data.redirect_to), 'consent'), { grant_scope: ['openid', 'offline'] });
    return oidc.authorizationCodeGrant(config, new URL(await follow(consented.data.redirect_to)), { pkceCodeVerifier: verifier, expectedState: state });
  }

  it('gives each sector its own stable sub in the ID token and userinfo; introspection shows the real subject and the obfuscated one', async () => {
    const a = await client('https://rp-a.example/cb', 'pairwise');
    const b = await client('https://rp-b.example/cb', 'pairwise');
    const first = await codeFlow(a.config, 'https://rp-a.example/cb');
    const expectedA = hydraPairwise('rp-a.example', subject);
    expect(first.claims()?.sub).toBe(expectedA);
    expect((await oidc.fetchUserInfo(a.config, first.access_token, expectedA)).sub).toBe(expectedA);
    expect((await codeFlow(a.config, 'https://rp-a.example/cb')).claims()?.sub).toBe(expectedA);

    const other = await codeFlow(b.config, 'https://rp-b.example/cb');
    expect(other.claims()?.sub).toBe(hydraPairwise('rp-b.example', subject));
    expect(other.claims()?.sub).not.toBe(expectedA);

    const introspected = (await admin.adminIntrospectOAuth2Token(first.access_token)).data;
    expect(introspected).toMatchObject({ active: true, sub: subject, obfuscated_subject: expectedA, client_id: a.id });
  });

  it('uses force_subject_identifier for a pairwise client (ID token, userinfo, introspection, id_token_hint) and ignores it for a public one', async () => {
    const redirect = 'https://rp-forced.example/cb';
    const { config } = await client(redirect, 'pairwise');
    const browser = new Browser();
    const follow = async (to: string) => (await browser.navigate(to, isExternal(server))).url;
    const authorize = async (extra: Record<string, string>, accept: (challenge: string) => Promise<string>) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: redirect, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, ...extra });
      const afterLogin = await accept(challengeIn(await follow(url.href), 'login'));
      const consented = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(await follow(afterLogin), 'consent'), { grant_scope: ['openid'] });
      return oidc.authorizationCodeGrant(config, new URL(await follow(consented.data.redirect_to)), { pkceCodeVerifier: verifier, expectedState: state });
    };

    const first = await authorize({}, async (challenge) => (await admin.adminAcceptOAuth2LoginRequest(challenge, { subject, remember: true, force_subject_identifier: 'forced-sub-42' })).data.redirect_to);
    expect(first.claims()?.sub).toBe('forced-sub-42');
    expect((await oidc.fetchUserInfo(config, first.access_token, 'forced-sub-42')).sub).toBe('forced-sub-42');
    expect((await admin.adminIntrospectOAuth2Token(first.access_token)).data).toMatchObject({ sub: subject, obfuscated_subject: 'forced-sub-42' });

    // A later authorization with the forced sub as id_token_hint is accepted (the remembered login is skipped).
    const second = await authorize({ id_token_hint: first.id_token! }, async (challenge) => {
      const request = (await admin.adminGetOAuth2LoginRequest(challenge)).data;
      expect(request).toMatchObject({ skip: true, subject });
      return (await admin.adminAcceptOAuth2LoginRequest(challenge, { subject })).data.redirect_to;
    });
    expect(second.claims()?.sub).toBe('forced-sub-42');

    const pub = await client('https://rp-forced-public.example/cb', 'public');
    const publicTokens = await (async () => {
      const b = new Browser();
      const go = async (to: string) => (await b.navigate(to, isExternal(server))).url;
      const verifier = oidc.randomPKCECodeVerifier();
      const url = oidc.buildAuthorizationUrl(pub.config, { redirect_uri: 'https://rp-forced-public.example/cb', scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(await go(url.href), 'login'), { subject, force_subject_identifier: 'ignored' });
      const consented = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(await go(login.data.redirect_to), 'consent'), { grant_scope: ['openid'] });
      return oidc.authorizationCodeGrant(pub.config, new URL(await go(consented.data.redirect_to)), { pkceCodeVerifier: verifier });
    })();
    expect(publicTokens.claims()?.sub).toBe(subject);
  });

  it('keeps the real subject for public clients (no obfuscated_subject)', async () => {
    const pub = await client('https://rp-c.example/cb', 'public');
    const tokens = await codeFlow(pub.config, 'https://rp-c.example/cb');
    expect(tokens.claims()?.sub).toBe(subject);
    const introspected = (await admin.adminIntrospectOAuth2Token(tokens.access_token)).data;
    expect(introspected.sub).toBe(subject);
    expect(introspected).not.toHaveProperty('obfuscated_subject');
  });

  it('refuses a pairwise client with several redirect URIs and no sector_identifier_uri, and a non-HTTPS sector_identifier_uri', async () => {
    const several = await oryFailure(
      admin.adminCreateOAuth2Client({ redirect_uris: ['https://a.example/cb', 'https://b.example/cb'], subject_type: 'pairwise' }),
    );
    expect(several.status).toBe(400);
    expect(several.data).toMatchObject({ error: 'invalid_client_metadata' });
    expect(String((several.data as { error_description?: string }).error_description)).toContain('sector_identifier_uri');

    const device = await request(server.adminUrl).post('/admin/clients').send({ grant_types: ['urn:ietf:params:oauth:grant-type:device_code'], subject_type: 'pairwise' });
    expect(device.status).toBe(400);
    expect(device.body.error_description).toContain('device flow');
    const deviceWithRedirect = await request(server.adminUrl).post('/admin/clients').send({ grant_types: ['urn:ietf:params:oauth:grant-type:device_code'], redirect_uris: ['https://tv.example/cb'], subject_type: 'pairwise' });
    expect(deviceWithRedirect.status).toBe(400);
    const backChannel = await request(server.adminUrl).post('/admin/clients').send({ grant_types: ['client_credentials'], subject_type: 'pairwise' });
    expect(backChannel.status).toBe(201);

    const insecure = await request(server.adminUrl).post('/admin/clients').send({ redirect_uris: ['https://a.example/cb'], subject_type: 'pairwise', sector_identifier_uri: 'http://sector.example/uris.json' });
    expect(insecure.status).toBe(400);
    expect(insecure.body.error_description).toContain('sector_identifier_uri must be an HTTPS URL');
  });

  it('refuses a sector_identifier_uri the engine cannot load', async () => {
    const res = await request(server.adminUrl).post('/admin/clients').send({ redirect_uris: ['https://a.example/cb'], subject_type: 'pairwise', sector_identifier_uri: 'https://127.0.0.1:1/uris.json' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_client_metadata');
    expect(res.body.error_description).toMatch(/sector_identifier_uri/);
  });
});

describe('OAuth2 pairwise subjects when not enabled', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootOAuth2();
  });
  afterAll(() => server.close());

  it('refuses subject_type pairwise with Hydra message', async () => {
    const res = await request(server.adminUrl).post('/admin/clients').send({ redirect_uris: ['https://a.example/cb'], subject_type: 'pairwise' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_client_metadata' });
    expect(res.body.error_description).toContain('Subject type pairwise is not supported by server');
  });
});
