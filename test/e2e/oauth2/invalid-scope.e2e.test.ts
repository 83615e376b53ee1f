import type { V0alpha2Api } from '@ory/client';
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { newId } from '../../../libs/x';
import { Browser } from '../../helpers/browser';
import { type DatabaseFactory, type TestDatabase, databaseFactories } from '../../helpers/databases';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

/**
 * Hydra (fosite) answers `invalid_scope` for a requested scope the client may not request (its scope
 * strategy decides); oidc-provider alone drops every scope missing from its live list and carries on.
 * Each describe boots a fresh app: an engine that already saw a scope (from an earlier request) would
 * refuse it anyway, so only a fresh one shows whether the refusal is Tessera's.
 */

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const REDIRECT = 'https://rp.example/cb';
const insecure = { execute: [oidc.allowInsecureRequests] };

/** A fresh database and app for the enclosing describe. */
function freshApp(factory: DatabaseFactory, env: Record<string, string> = {}) {
  const app = {} as { server: RunningServer; admin: V0alpha2Api; db: TestDatabase };
  beforeAll(async () => {
    app.db = await factory.create();
    app.server = await bootOAuth2({ DSN: app.db.dsn, ...env });
    app.admin = oryClient(app.server.adminUrl);
  });
  afterAll(async () => {
    await app.server?.close();
    await app.db?.drop();
  });
  return app;
}

async function rp(server: RunningServer, clientId: string, secret?: string): Promise<oidc.Configuration> {
  const auth = secret ? oidc.ClientSecretBasic(secret) : oidc.None();
  return oidc.discovery(new URL(server.registry.config.serve.public.base_url), clientId, undefined, auth, insecure);
}

/** The OAuth2 error a call failed with (the test fails when the call succeeds). */
async function failure(call: Promise<unknown>): Promise<{ error: string; description: string; status: number }> {
  const e = (await call.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (err: unknown) => err,
  )) as { error?: string; error_description?: string; status?: number };
  return { error: e.error ?? String(e), description: e.error_description ?? '', status: e.status ?? 0 };
}

describe.each(databaseFactories())('invalid_scope for scopes a client may not request ($label)', (factory) => {
  describe('authorization endpoint (wildcard strategy)', () => {
    const app = freshApp(factory);
    let config: oidc.Configuration;

    beforeAll(async () => {
      const { data } = await app.admin.adminCreateOAuth2Client({ redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], scope: 'openid offline photos.* videos.read' });
      config = await rp(app.server, data.client_id!, data.client_secret!);
    });

    /** The authorization request's first answer (no redirect followed). */
    async function authorize(scope: string, state = oidc.randomState()) {
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope, state, code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
      const res = await fetch(url, { redirect: 'manual' });
      return { status: res.status, location: new URL(res.headers.get('location') ?? 'about:blank'), state };
    }

    it.each([
      ['photos', 'a scope the wildcard `photos.*` does not cover'],
      ['never.seen', 'a scope no client registered'],
    ])('redirects `%s` (%s) back to the client with invalid_scope, as Hydra', async (scope) => {
      const { status, location, state } = await authorize(`openid ${scope} videos.read`);
      expect([302, 303]).toContain(status);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('error')).toBe('invalid_scope');
      expect(location.searchParams.get('error_description')).toContain(`'${scope}'`);
      expect(location.searchParams.get('state')).toBe(state);
      expect(location.searchParams.get('code')).toBeNull();
    });

    it('lets covered scopes through to the login request, and refuses a refresh asking for more than was granted', async () => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid offline photos.read videos.read', state, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      const browser = new Browser();
      const follow = async (to: string) => (await browser.navigate(to, isExternal(app.server))).url;
      const loginChallenge = challengeIn(await follow(url.href), 'login');
      expect((await app.admin.adminGetOAuth2LoginRequest(loginChallenge)).data.requested_scope).toEqual(['openid', 'offline', 'photos.read', 'videos.read']);
      const login = await app.admin.adminAcceptOAuth2LoginRequest(loginChallenge, { subject: 'scope-user' });
      const consentChallenge = challengeIn(await follow(login.data.redirect_to), 'consent');
      const consented = await app.admin.adminAcceptOAuth2ConsentRequest(consentChallenge, { grant_scope: ['openid', 'offline', 'photos.read'] });
      const tokens = await oidc.authorizationCodeGrant(config, new URL(await follow(consented.data.redirect_to)), { pkceCodeVerifier: verifier, expectedState: state });
      expect(tokens.scope?.split(' ').sort()).toEqual(['offline', 'openid', 'photos.read']);

      // `photos.write` (covered by `photos.*`, never seen by this engine) and `videos.read` were not granted.
      for (const wider of ['openid offline photos.read photos.write', 'photos.read videos.read']) {
        const refused = await failure(oidc.refreshTokenGrant(config, tokens.refresh_token!, { scope: wider }));
        expect(refused.error).toBe('invalid_scope');
      }
      const narrowed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'offline photos.read' });
      expect(narrowed.scope?.split(' ').sort()).toEqual(['offline', 'photos.read']);
    });
  });

  describe('authorization endpoint (exact strategy)', () => {
    const app = freshApp(factory, { STRATEGIES_SCOPE: 'exact' });

    it('redirects `photos.read` to a `photos.*` client with invalid_scope', async () => {
      const { data } = await app.admin.adminCreateOAuth2Client({ redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid photos.*' });
      const config = await rp(app.server, data.client_id!, data.client_secret!);
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid photos.read', state: 'xyz', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
      const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? 'about:blank');
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('error')).toBe('invalid_scope');
      expect(location.searchParams.get('error_description')).toContain(`'photos.read'`);
    });
  });

  describe('device authorization endpoint', () => {
    const app = freshApp(factory);

    it('refuses a scope the client may not request, and passes covered ones on to the login request', async () => {
      const { data } = await app.admin.adminCreateOAuth2Client({ grant_types: [DEVICE_GRANT], scope: 'openid photos.*', token_endpoint_auth_method: 'none' });
      const config = await rp(app.server, data.client_id!);
      for (const scope of ['openid photos', 'openid never.seen', 'photos.read never.seen']) {
        const refused = await failure(oidc.initiateDeviceAuthorization(config, { scope }));
        expect(refused).toMatchObject({ error: 'invalid_scope', status: 400 });
      }

      const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid photos.read' });
      const browser = new Browser();
      const page = await browser.navigate(device.verification_uri_complete!, isExternal(app.server));
      const confirmPage = await browser.submitForm(page.body!, page.url, isExternal(app.server));
      const confirmed = await browser.submitForm(confirmPage.body!, confirmPage.url, isExternal(app.server));
      expect((await app.admin.adminGetOAuth2LoginRequest(challengeIn(confirmed.url, 'login'))).data.requested_scope).toEqual(['openid', 'photos.read']);
    });
  });

  describe('client_credentials grant', () => {
    const app = freshApp(factory);

    it('refuses the whole request when one scope is not allowed (no token for the others), naming it', async () => {
      const { data } = await app.admin.adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope: 'photos.* videos.read' });
      const config = await rp(app.server, data.client_id!, data.client_secret!);
      for (const [scope, named] of [
        ['videos.read never.seen', 'never.seen'],
        ['photos videos.read', 'photos'],
        ['photos.read videos.write', 'videos.write'],
      ]) {
        const refused = await failure(oidc.clientCredentialsGrant(config, { scope }));
        expect(refused).toMatchObject({ error: 'invalid_scope', status: 400 });
        expect(refused.description).toContain(`'${named}'`);
      }
      const granted = await oidc.clientCredentialsGrant(config, { scope: 'photos.read videos.read' });
      expect(granted.scope?.split(' ').sort()).toEqual(['photos.read', 'videos.read']);
    });
  });

  describe('JWT-bearer and token exchange grants', () => {
    const app = freshApp(factory, { OAUTH2_TOKEN_EXCHANGE_ENABLED: 'true' });
    const idp = { issuer: `https://idp-${newId()}.example.com`, kid: 'idp-key-1' } as { issuer: string; kid: string; privateKey: CryptoKey };
    const tokenEndpoint = () => `${app.server.registry.config.serve.public.base_url}oauth2/token`;

    async function assertion(): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: idp.issuer, sub: 'alice@example.com', aud: tokenEndpoint(), iat: now, exp: now + 300, jti: newId() }).setProtectedHeader({ alg: 'ES256', kid: idp.kid }).sign(idp.privateKey);
    }

    beforeAll(async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      idp.privateKey = privateKey;
      await app.admin.adminTrustOAuth2JwtGrantIssuer({
        issuer: idp.issuer,
        subject: 'alice@example.com',
        scope: ['photos.read', 'photos.write', 'videos.read'],
        jwk: { ...(await exportJWK(publicKey)), kid: idp.kid, alg: 'ES256', use: 'sig' } as never,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      });
    });

    it('JWT-bearer: refuses a scope the trust does not cover; grants what the client wildcard covers', async () => {
      const { data } = await app.admin.adminCreateOAuth2Client({ grant_types: [JWT_BEARER], scope: 'photos.*' });
      const config = await rp(app.server, data.client_id!, data.client_secret!);
      const refused = await failure(oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(), scope: 'photos.read never.seen' }));
      expect(refused).toMatchObject({ error: 'invalid_scope', status: 400 });
      // Hydra grants the trusted scopes the client may request (`photos.*` covers both) and leaves out `videos.read`.
      const granted = await oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(), scope: 'photos.read photos.write videos.read' });
      expect(granted.scope?.split(' ').sort()).toEqual(['photos.read', 'photos.write']);
    });

    it('token exchange: refuses a scope the subject token lacks or the client may not request; grants (and defaults to) what the client wildcard covers', async () => {
      const exchanger = await app.admin.adminCreateOAuth2Client({ grant_types: [TOKEN_EXCHANGE], scope: 'photos.*', metadata: { token_exchange_audiences: ['https://api-b.example.com'] } });
      const frontend = await app.admin.adminCreateOAuth2Client({ grant_types: [JWT_BEARER], scope: 'photos.read photos.write videos.read', audience: [exchanger.data.client_id!] });
      const frontendConfig = await rp(app.server, frontend.data.client_id!, frontend.data.client_secret!);
      const subjectToken = (await oidc.genericGrantRequest(frontendConfig, JWT_BEARER, { assertion: await assertion(), scope: 'photos.read videos.read', audience: exchanger.data.client_id! })).access_token;
      const config = await rp(app.server, exchanger.data.client_id!, exchanger.data.client_secret!);
      const exchange = (scope?: string) => oidc.genericGrantRequest(config, TOKEN_EXCHANGE, { subject_token: subjectToken, subject_token_type: ACCESS_TOKEN, audience: 'https://api-b.example.com', ...(scope ? { scope } : {}) });

      for (const scope of ['photos.read photos.write', 'photos.read videos.read', 'never.seen']) {
        expect(await failure(exchange(scope))).toMatchObject({ error: 'invalid_scope', status: 400 });
      }
      expect((await exchange('photos.read')).scope).toBe('photos.read');
      // Without `scope`: the subject token's scopes the client may request (`photos.*` covers `photos.read`).
      expect((await exchange()).scope).toBe('photos.read');
    });
  });
});
