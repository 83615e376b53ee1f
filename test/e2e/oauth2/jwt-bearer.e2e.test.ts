import type { V0alpha2Api } from '@ory/client';
import { type CryptoKey, type JWK, SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { newId } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient } from '../../helpers/ory-client';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const insecure = { execute: [oidc.allowInsecureRequests] };

/** An external identity provider: its own key pair, trusted through the admin API. */
interface Idp {
  readonly issuer: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function newIdp(kid = 'idp-key-1'): Promise<Idp> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { issuer: `https://idp-${newId()}.example.com`, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/** Error code and status of a failed openid-client grant request. */
async function grantFailure(call: Promise<unknown>): Promise<{ status: number; error: string; description: string }> {
  const e = (await call.then(
    () => {
      throw new Error('expected the grant to fail');
    },
    (err: unknown) => err,
  )) as { status?: number; error?: string; error_description?: string };
  return { status: e.status ?? 0, error: e.error ?? '', description: e.error_description ?? '' };
}

describe('JWT-bearer grant (RFC 7523; openid-client 6 genericGrantRequest)', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let tokenEndpoint: string;
  /** The server's clock runs this far ahead of the wall clock (to expire trust grants without waiting). */
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const nowSec = (): number => Math.floor(clock.now().getTime() / 1000);

  beforeAll(async () => {
    server = await bootApps({}, { clock });
    admin = oryClient(server.adminUrl);
    tokenEndpoint = `${server.registry.config.serve.public.base_url}oauth2/token`;
  });
  afterAll(() => server.close());

  async function trust(idp: Idp, overrides: Record<string, unknown> = {}) {
    const res = await admin.adminTrustOAuth2JwtGrantIssuer({
      issuer: idp.issuer,
      subject: 'alice@example.com',
      scope: ['api:read', 'api:write'],
      jwk: idp.jwk as never,
      expires_at: new Date(clock.now().getTime() + 3_600_000).toISOString(),
      ...overrides,
    });
    return res.data;
  }

  async function client(overrides: Record<string, unknown> = {}) {
    const { data } = await admin.adminCreateOAuth2Client({ grant_types: [JWT_BEARER], scope: 'api:read api:write openid', audience: ['https://api.example.com'], ...overrides });
    const auth = data.token_endpoint_auth_method === 'none' ? oidc.None() : oidc.ClientSecretBasic(data.client_secret!);
    const config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), data.client_id!, undefined, auth, insecure);
    return { config, data };
  }

  async function assertion(idp: Idp, claims: Record<string, unknown> = {}, key: CryptoKey = idp.privateKey): Promise<string> {
    const now = nowSec();
    const payload: Record<string, unknown> = { iss: idp.issuer, sub: 'alice@example.com', aud: tokenEndpoint, iat: now, exp: now + 300, jti: newId(), ...claims };
    for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: idp.kid }).sign(key);
  }

  it('advertises the grant in discovery (token exchange is off by default)', async () => {
    const meta = (await (await fetch(`${server.publicUrl}/.well-known/openid-configuration`)).json()) as { grant_types_supported: string[] };
    expect(meta.grant_types_supported).toContain(JWT_BEARER);
    expect(meta.grant_types_supported).not.toContain(TOKEN_EXCHANGE);
  });

  it('exchanges a signed assertion for an access token whose subject and scope introspection shows', async () => {
    const idp = await newIdp();
    await trust(idp);
    const { config, data } = await client();
    const tokens = await oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(idp), scope: 'api:read', audience: 'https://api.example.com/v1' });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('api:read');
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.expires_in).toBeGreaterThan(3000);
    const info = (await admin.adminIntrospectOAuth2Token(tokens.access_token)).data;
    expect(info).toMatchObject({ active: true, sub: 'alice@example.com', scope: 'api:read', client_id: data.client_id, aud: ['https://api.example.com/v1'], token_use: 'access_token' });
  });

  it('grants only the requested scopes the client also has, and issues JWTs to jwt-strategy clients', async () => {
    const idp = await newIdp();
    await trust(idp, { subject: undefined, allow_any_subject: true });
    const { config, data } = await client({ scope: 'api:read', access_token_strategy: 'jwt' });
    const tokens = await oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(idp, { sub: 'bob@example.com' }), scope: 'api:read api:write' });
    expect(tokens.scope).toBe('api:read');
    expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: 'bob@example.com', client_id: data.client_id, scp: ['api:read'] });
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data).toMatchObject({ active: true, sub: 'bob@example.com', scope: 'api:read' });
  });

  it('refuses a replayed jti with jti_known', async () => {
    const idp = await newIdp();
    await trust(idp);
    const { config } = await client();
    const jwt = await assertion(idp);
    await oidc.genericGrantRequest(config, JWT_BEARER, { assertion: jwt, scope: 'api:read' });
    expect(await grantFailure(oidc.genericGrantRequest(config, JWT_BEARER, { assertion: jwt, scope: 'api:read' }))).toEqual({
      status: 400,
      error: 'jti_known',
      description: 'The jti was already used.',
    });
  });

  it('refuses a wrong aud, a missing exp or iat, a future nbf and a lifetime beyond max_ttl with invalid_grant', async () => {
    const idp = await newIdp();
    await trust(idp);
    const { config } = await client();
    const cases: [Record<string, unknown>, string][] = [
      [{ aud: server.registry.config.serve.public.base_url }, `"aud" (audience) claim containing a value "${tokenEndpoint}"`],
      [{ exp: undefined }, 'MUST contain an "exp"'],
      [{ iat: undefined }, 'MUST contain an "iat"'],
      [{ exp: nowSec() + 721 * 3600 }, 'oauth2.grant.jwt.max_ttl'],
      [{ nbf: nowSec() + 60 }, '"nbf"'],
    ];
    for (const [claims, text] of cases) {
      const failure = await grantFailure(oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(idp, claims) }));
      expect({ claims, ...failure }).toMatchObject({ claims, status: 400, error: 'invalid_grant', description: expect.stringContaining(text) });
    }
  });

  it('refuses an assertion signed by an untrusted key or for another subject with invalid_grant', async () => {
    const idp = await newIdp();
    await trust(idp);
    const { config } = await client();
    const impostor = await newIdp(idp.kid);
    const forged = await grantFailure(oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(idp, {}, impostor.privateKey) }));
    expect(forged).toMatchObject({ status: 400, error: 'invalid_grant', description: expect.stringContaining('invalid signature') });
    const otherSubject = await grantFailure(oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(idp, { sub: 'mallory@example.com' }) }));
    expect(otherSubject).toMatchObject({ status: 400, error: 'invalid_grant', description: expect.stringContaining('No public JWK was registered') });
  });

  it('refuses a scope the trust grant does not cover with invalid_scope', async () => {
    const idp = await newIdp();
    await trust(idp, { scope: ['api:read'] });
    const { config } = await client();
    expect(await grantFailure(oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(idp), scope: 'api:read api:write' }))).toEqual({
      status: 400,
      error: 'invalid_scope',
      description: `The public key registered for issuer "${idp.issuer}" and subject "alice@example.com" is not allowed to request scope "api:write".`,
    });
  });

  it('refuses public clients and audiences the client may not request', async () => {
    const idp = await newIdp();
    await trust(idp);
    const pub = await client({ token_endpoint_auth_method: 'none' });
    expect(await grantFailure(oidc.genericGrantRequest(pub.config, JWT_BEARER, { assertion: await assertion(idp) }))).toMatchObject({ status: 400, error: 'unauthorized_client' });
    const { config } = await client();
    expect(await grantFailure(oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(idp), audience: 'https://evil.example.com' }))).toMatchObject({
      status: 400,
      error: 'invalid_request',
    });
  });

  it('answers unsupported_grant_type for token exchange while it is disabled (the default)', async () => {
    const { config } = await client({ grant_types: [JWT_BEARER, TOKEN_EXCHANGE] });
    const params = { subject_token: 'x', subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', audience: 'https://api.example.com' };
    expect(await grantFailure(oidc.genericGrantRequest(config, TOKEN_EXCHANGE, params))).toMatchObject({ status: 400, error: 'unsupported_grant_type' });
  });

  it('refuses an assertion once its trust grant expired (Hydra does not; we do)', async () => {
    const idp = await newIdp();
    await trust(idp, { expires_at: new Date(clock.now().getTime() + 10 * 60_000).toISOString() });
    const { config } = await client();
    await oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(idp) });
    clock.offsetMs += 11 * 60_000;
    const failure = await grantFailure(oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(idp) }));
    expect(failure).toMatchObject({ status: 400, error: 'invalid_grant', description: expect.stringContaining(`The trust relationship for issuer "${idp.issuer}"`) });
  });
});
