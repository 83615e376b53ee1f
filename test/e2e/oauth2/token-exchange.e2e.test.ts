import type { V0alpha2Api } from '@ory/client';
import { type CryptoKey, SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { newId } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient } from '../../helpers/ory-client';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const JWT = 'urn:ietf:params:oauth:token-type:jwt';
const API_B = 'https://api-b.example.com';
const insecure = { execute: [oidc.allowInsecureRequests] };

async function grantFailure(call: Promise<unknown>): Promise<{ status: number; error: string; description: string }> {
  const e = (await call.then(
    () => {
      throw new Error('expected the grant to fail');
    },
    (err: unknown) => err,
  )) as { status?: number; error?: string; error_description?: string };
  return { status: e.status ?? 0, error: e.error ?? '', description: e.error_description ?? '' };
}

describe('token exchange (RFC 8693; oauth2.token_exchange.enabled)', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let tokenEndpoint: string;
  const idp = { issuer: `https://idp-${newId()}.example.com`, kid: 'idp-key-1' } as { issuer: string; kid: string; privateKey: CryptoKey };
  /** A user's access token per exchanging client: Alice's, issued to a front-end client through the JWT-bearer grant for that client's audience. */
  const aliceTokens = new Map<oidc.Configuration, string>();

  async function client(overrides: Record<string, unknown> = {}) {
    const { data } = await admin.adminCreateOAuth2Client({ grant_types: [TOKEN_EXCHANGE], scope: 'api:read api:write', metadata: { token_exchange_audiences: [API_B] }, ...overrides });
    const config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), data.client_id!, undefined, oidc.ClientSecretBasic(data.client_secret!), insecure);
    // A subject token may be exchanged only by a client in its audience.
    const frontend = await admin.adminCreateOAuth2Client({ grant_types: [JWT_BEARER], scope: 'api:read api:write', audience: [data.client_id!] });
    const frontendConfig = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), frontend.data.client_id!, undefined, oidc.ClientSecretBasic(frontend.data.client_secret!), insecure);
    aliceTokens.set(config, (await oidc.genericGrantRequest(frontendConfig, JWT_BEARER, { assertion: await idpJwt(), scope: 'api:read api:write', audience: data.client_id! })).access_token);
    return { config, data };
  }

  async function idpJwt(claims: Record<string, unknown> = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: idp.issuer, sub: 'alice@example.com', aud: tokenEndpoint, iat: now, exp: now + 300, jti: newId(), ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: idp.kid })
      .sign(idp.privateKey);
  }

  const exchange = (config: oidc.Configuration, params: Record<string, string>) =>
    oidc.genericGrantRequest(config, TOKEN_EXCHANGE, { subject_token: aliceTokens.get(config)!, subject_token_type: ACCESS_TOKEN, audience: `${API_B}/orders`, ...params });

  beforeAll(async () => {
    server = await bootApps({ OAUTH2_TOKEN_EXCHANGE_ENABLED: 'true' });
    admin = oryClient(server.adminUrl);
    tokenEndpoint = `${server.registry.config.serve.public.base_url}oauth2/token`;
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    idp.privateKey = privateKey;
    await admin.adminTrustOAuth2JwtGrantIssuer({
      issuer: idp.issuer,
      subject: 'alice@example.com',
      scope: ['api:read', 'api:write'],
      jwk: { ...(await exportJWK(publicKey)), kid: idp.kid, alg: 'ES256', use: 'sig' } as never,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
  });
  afterAll(() => server.close());

  it('is advertised in discovery when enabled', async () => {
    const meta = (await (await fetch(`${server.publicUrl}/.well-known/openid-configuration`)).json()) as { grant_types_supported: string[] };
    expect(meta.grant_types_supported).toEqual(expect.arrayContaining([JWT_BEARER, TOKEN_EXCHANGE]));
  });

  it('exchanges an access token for one with another audience (same subject, narrowed scope)', async () => {
    const { config, data } = await client();
    const res = await exchange(config, { scope: 'api:read' });
    expect(res).toMatchObject({ issued_token_type: ACCESS_TOKEN, scope: 'api:read' });
    expect(res.token_type.toLowerCase()).toBe('bearer');
    expect(res.refresh_token).toBeUndefined();
    const info = (await admin.adminIntrospectOAuth2Token(res.access_token)).data as unknown as Record<string, unknown>;
    expect(info).toMatchObject({ active: true, sub: 'alice@example.com', client_id: data.client_id, aud: [`${API_B}/orders`], scope: 'api:read' });
    expect(info.act).toBeUndefined();
    // Without `scope`, the new token carries the subject token's scopes the client may have.
    expect((await exchange(config, {})).scope).toBe('api:read api:write');
  });

  it('records the actor for delegation: `act` in the JWT access token and in introspection', async () => {
    const { config, data } = await client({ grant_types: [TOKEN_EXCHANGE, 'client_credentials'], access_token_strategy: 'jwt' });
    const actorToken = (await oidc.clientCredentialsGrant(config, { scope: 'api:read' })).access_token;
    const res = await exchange(config, { actor_token: actorToken, actor_token_type: ACCESS_TOKEN, scope: 'api:read' });
    expect(decodeJwt(res.access_token)).toMatchObject({ sub: 'alice@example.com', act: { sub: data.client_id }, aud: [`${API_B}/orders`], client_id: data.client_id });
    const info = (await admin.adminIntrospectOAuth2Token(res.access_token)).data;
    expect(info).toMatchObject({ active: true, sub: 'alice@example.com', act: { sub: data.client_id }, ext: { act: { sub: data.client_id } } });
  });

  it('accepts a trusted issuer JWT as subject token', async () => {
    const { config } = await client();
    const res = await oidc.genericGrantRequest(config, TOKEN_EXCHANGE, { subject_token: await idpJwt(), subject_token_type: JWT, resource: API_B, scope: 'api:write' });
    expect((await admin.adminIntrospectOAuth2Token(res.access_token)).data).toMatchObject({ active: true, sub: 'alice@example.com', aud: [API_B], scope: 'api:write' });
  });

  it('refuses an audience the client may not exchange into with invalid_target', async () => {
    const { config } = await client();
    expect(await grantFailure(exchange(config, { audience: 'https://api-c.example.com' }))).toMatchObject({
      status: 400,
      error: 'invalid_target',
      description: "The OAuth 2.0 Client is not allowed to exchange tokens for the audience 'https://api-c.example.com'.",
    });
    const noPolicy = await client({ metadata: {} });
    expect(await grantFailure(exchange(noPolicy.config, {}))).toMatchObject({ status: 400, error: 'invalid_target' });
  });

  it('refuses other token types, inactive tokens and scopes beyond the subject token', async () => {
    const { config } = await client({ scope: 'api:read api:write admin' });
    expect(await grantFailure(exchange(config, { requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }))).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(await grantFailure(exchange(config, { subject_token: 'not-a-token' }))).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(await grantFailure(exchange(config, { subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' }))).toMatchObject({ status: 400, error: 'invalid_request' });
    expect(await grantFailure(exchange(config, { scope: 'admin' }))).toMatchObject({ status: 400, error: 'invalid_scope' });
  });
});
