import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { V0alpha2Api } from '@ory/client';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser } from '../../helpers/browser';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const RP = 'https://rp.example';
const API = 'https://api.example';
const CONSENTED = { access_token: { role: 'admin' }, id_token: { email: 'ada@example.com' } };

/** What the hook answers next: a status and an optional JSON body, or a dropped connection. */
type Reply = { status: number; body?: unknown } | 'hang-up';

/** A real HTTP hook: records every request and answers with `reply`. */
class HookServer {
  readonly requests: { headers: Record<string, unknown>; body: Record<string, unknown> }[] = [];
  reply: Reply = { status: 204 };
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
        const reply = this.reply;
        if (reply === 'hang-up') return void res.socket?.destroy();
        res.statusCode = reply.status;
        if (reply.body === undefined) return void res.end();
        res.setHeader('content-type', 'application/json');
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      });
    }).listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/refresh-hook`;
  }

  close(): void {
    this.server.close();
  }
}

/** One OAuth2 client of a booted server, and the code flow that gets it tokens. */
async function rp(server: RunningServer, admin: V0alpha2Api, strategy: 'opaque' | 'jwt') {
  const created = await admin.adminCreateOAuth2Client({
    redirect_uris: [`${RP}/cb`],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: 'openid offline email',
    audience: [API],
    access_token_strategy: strategy,
  } as never);
  const clientId = created.data.client_id!;
  const clientSecret = created.data.client_secret!;
  const config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
  const browser = new Browser();

  async function codeFlow(subject: string) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${RP}/cb`,
      scope: 'openid offline email',
      audience: API,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const follow = async (to: string) => (await browser.navigate(to, isExternal(server))).url;
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(await follow(url.href), 'login'), { subject, acr: '1', amr: ['pwd'] });
    const consentUrl = await follow(login.data.redirect_to);
    const consented = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), {
      grant_scope: ['openid', 'offline', 'email'],
      grant_access_token_audience: [API],
      session: CONSENTED,
    });
    return oidc.authorizationCodeGrant(config, new URL(await follow(consented.data.redirect_to)), { pkceCodeVerifier: verifier, expectedState: state });
  }

  /** A refresh as a plain HTTP request, to see the status and body of refused ones. */
  async function refreshRaw(refreshToken: string) {
    const res = await fetch(`${server.publicUrl}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  return { clientId, config, codeFlow, refreshRaw };
}

describe('oauth2.refresh_token_hook (Hydra)', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  const hook = new HookServer();
  let client: Awaited<ReturnType<typeof rp>>;

  beforeAll(async () => {
    server = await bootOAuth2({ OAUTH2_REFRESH_TOKEN_HOOK: await hook.start() });
    admin = oryClient(server.adminUrl);
    client = await rp(server, admin, 'opaque');
  });
  afterAll(async () => {
    hook.close();
    await server.close();
  });
  beforeEach(() => {
    hook.requests.length = 0;
  });

  it('is not called for the code exchange; a 200 replaces the session claims of this refresh and every later one', async () => {
    const subject = 'hook-user-200';
    const tokens = await client.codeFlow(subject);
    expect(hook.requests).toHaveLength(0);
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data.ext).toEqual(CONSENTED.access_token);

    hook.reply = { status: 200, body: { session: { access_token: { role: 'viewer', hooked: true }, id_token: { email: 'new@example.com', hooked: 'yes' } } } };
    const refreshed = await oidc.refreshTokenGrant(client.config, tokens.refresh_token!);

    // Hydra's RefreshTokenHookRequest, carrying the consent's session as Hydra's token session.
    expect(hook.requests).toHaveLength(1);
    const [{ headers, body }] = hook.requests;
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(body).toMatchObject({
      subject,
      client_id: client.clientId,
      granted_audience: [API],
      requester: { client_id: client.clientId, granted_audience: [API], grant_types: ['refresh_token'] },
      session: {
        extra: CONSENTED.access_token,
        id_token: { id_token_claims: { sub: subject, aud: [client.clientId], acr: '1', amr: ['pwd'], ext: CONSENTED.id_token }, subject },
        client_id: client.clientId,
      },
    });
    expect((body.granted_scopes as string[]).sort()).toEqual(['email', 'offline', 'openid']);
    expect(((body.requester as { granted_scopes: string[] }).granted_scopes).sort()).toEqual(['email', 'offline', 'openid']);

    // The refreshed access token (introspection `ext`), the new ID token and userinfo use the hook's session.
    const introspected = (await admin.adminIntrospectOAuth2Token(refreshed.access_token)).data;
    expect(introspected).toMatchObject({ active: true, sub: subject, aud: [API] });
    expect(introspected.ext).toEqual({ role: 'viewer', hooked: true });
    expect(refreshed.claims()).toMatchObject({ sub: subject, email: 'new@example.com', hooked: 'yes', acr: '1' });
    expect(await oidc.fetchUserInfo(client.config, refreshed.access_token, subject)).toMatchObject({ email: 'new@example.com', hooked: 'yes' });
    expect((await admin.adminIntrospectOAuth2Token(refreshed.refresh_token!)).data.ext).toEqual({ role: 'viewer', hooked: true });

    // The next refresh sends (and, on 204, keeps) the hook's session.
    hook.reply = { status: 204 };
    const again = await oidc.refreshTokenGrant(client.config, refreshed.refresh_token!);
    expect(hook.requests[1].body).toMatchObject({ session: { extra: { role: 'viewer', hooked: true }, id_token: { id_token_claims: { ext: { email: 'new@example.com', hooked: 'yes' } } } } });
    expect((await admin.adminIntrospectOAuth2Token(again.access_token)).data.ext).toEqual({ role: 'viewer', hooked: true });
    expect(again.claims()).toMatchObject({ email: 'new@example.com', hooked: 'yes' });
  });

  it('a 204 leaves the consent claims as they were', async () => {
    const tokens = await client.codeFlow('hook-user-204');
    hook.reply = { status: 204 };
    const refreshed = await oidc.refreshTokenGrant(client.config, tokens.refresh_token!);
    expect(hook.requests).toHaveLength(1);
    expect((await admin.adminIntrospectOAuth2Token(refreshed.access_token)).data.ext).toEqual(CONSENTED.access_token);
    expect(refreshed.claims()).toMatchObject({ email: 'ada@example.com' });
    expect(refreshed.claims()).not.toHaveProperty('hooked');
  });

  it('a 403 refuses the refresh with access_denied (HTTP 403) and leaves the refresh token usable', async () => {
    const tokens = await client.codeFlow('hook-user-403');
    hook.reply = { status: 403 };
    const denied = await client.refreshRaw(tokens.refresh_token!);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({
      error: 'access_denied',
      error_description:
        'The token hook target responded with an error. Make sure that the request you are making is valid. Maybe the credential or request parameters you are using are limited in scope or otherwise restricted.',
    });
    expect((await admin.adminIntrospectOAuth2Token(tokens.refresh_token!)).data.active).toBe(true);

    hook.reply = { status: 204 };
    await expect(oidc.refreshTokenGrant(client.config, tokens.refresh_token!)).resolves.toHaveProperty('access_token');
  });

  it('a 500, another status, a malformed 200 or a dropped connection is a server_error (HTTP 500)', async () => {
    const tokens = await client.codeFlow('hook-user-500');
    const cases: [Reply, string][] = [
      [{ status: 500 }, 'An error occurred while executing the token hook.'],
      [{ status: 400, body: { error: 'nope' } }, 'The token hook target responded with an error.'],
      [{ status: 200, body: 'not json' }, 'The token hook target responded with an error.'],
      [{ status: 200, body: { session: { access_token: ['not', 'an', 'object'] } } }, 'The token hook target responded with an error.'],
      [{ status: 200, body: `{"session":{"access_token":{"pad":"${'x'.repeat(6 << 20)}"}}}` }, 'The token hook target responded with an error.'],
      ['hang-up', 'An error occurred while executing the token hook.'],
    ];
    for (const [reply, description] of cases) {
      hook.reply = reply;
      const failed = await client.refreshRaw(tokens.refresh_token!);
      expect({ reply, status: failed.status, body: failed.body }).toEqual({ reply, status: 500, body: { error: 'server_error', error_description: description } });
    }
    expect(hook.requests).toHaveLength(cases.length);
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data.ext).toEqual(CONSENTED.access_token);
  });

  it('is never called for unknown or replayed refresh tokens, which keep their invalid_grant', async () => {
    const tokens = await client.codeFlow('hook-user-replay');
    hook.reply = { status: 204 };
    await expect(oidc.refreshTokenGrant(client.config, 'ory_rt_unknown')).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(hook.requests).toHaveLength(0);
    await oidc.refreshTokenGrant(client.config, tokens.refresh_token!);
    expect(hook.requests).toHaveLength(1);
    await expect(oidc.refreshTokenGrant(client.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(hook.requests).toHaveLength(1);
  });

  it('puts the hook session into JWT access tokens', async () => {
    const jwtClient = await rp(server, admin, 'jwt');
    const tokens = await jwtClient.codeFlow('hook-user-jwt');
    expect(decodeJwt(tokens.access_token).ext).toEqual(CONSENTED.access_token);
    hook.reply = { status: 200, body: { session: { access_token: { role: 'jwt-hooked' } } } };
    const refreshed = await oidc.refreshTokenGrant(jwtClient.config, tokens.refresh_token!);
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ sub: 'hook-user-jwt', ext: { role: 'jwt-hooked' }, aud: [API] });
    expect((await admin.adminIntrospectOAuth2Token(refreshed.access_token)).data.ext).toEqual({ role: 'jwt-hooked' });
    // The reply had no id_token claims: the consent's are replaced by none.
    expect(refreshed.claims()).not.toHaveProperty('email');
  });
});

describe('without oauth2.refresh_token_hook', () => {
  let server: RunningServer;
  const hook = new HookServer();

  beforeAll(async () => {
    await hook.start();
    server = await bootOAuth2();
  });
  afterAll(async () => {
    hook.close();
    await server.close();
  });

  it('refreshes without calling any hook', async () => {
    const admin = oryClient(server.adminUrl);
    const client = await rp(server, admin, 'opaque');
    const tokens = await client.codeFlow('no-hook-user');
    const refreshed = await oidc.refreshTokenGrant(client.config, tokens.refresh_token!);
    expect((await admin.adminIntrospectOAuth2Token(refreshed.access_token)).data.ext).toEqual(CONSENTED.access_token);
    expect(refreshed.claims()).toMatchObject({ email: 'ada@example.com' });
    expect(hook.requests).toHaveLength(0);
  });
});
