import type { V0alpha2Api } from '@ory/client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootOAuth2 } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

describe('client_credentials (openid-client 6)', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  const insecure = { execute: [oidc.allowInsecureRequests] };

  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  async function rp(overrides: Record<string, unknown> = {}) {
    const created = await admin.adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope: 'api:read api:write', audience: ['https://api.example.com'], ...overrides });
    const config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), created.data.client_id!, undefined, oidc.ClientSecretBasic(created.data.client_secret!), insecure);
    return { config, client: created.data };
  }

  it('serves discovery with Hydra paths and absolute URLs from urls.self.public', async () => {
    const res = await fetch(`${server.publicUrl}/.well-known/openid-configuration`);
    const meta = (await res.json()) as Record<string, unknown>;
    const base = server.registry.config.serve.public.base_url;
    expect(meta).toMatchObject({
      issuer: base,
      authorization_endpoint: `${base}oauth2/auth`,
      token_endpoint: `${base}oauth2/token`,
      jwks_uri: `${base}.well-known/jwks.json`,
      userinfo_endpoint: `${base}userinfo`,
      revocation_endpoint: `${base}oauth2/revoke`,
      end_session_endpoint: `${base}oauth2/sessions/logout`,
      scopes_supported: ['offline_access', 'offline', 'openid'],
    });
    expect(meta.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256', 'RS256']));
    const jwks = (await (await fetch(`${server.publicUrl}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.alg)).toEqual(expect.arrayContaining(['ES256', 'RS256']));
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect(new Set(jwks.keys.map((k) => k.kid)).size).toBe(jwks.keys.length);
  });

  it('does not swallow other public routes', async () => {
    expect((await fetch(`${server.publicUrl}/health/alive`)).status).toBe(200);
    const unknown = await fetch(`${server.publicUrl}/nope`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: number } }).error.code).toBe(404);
  });

  it('issues an opaque token with the requested scopes and audience, visible in introspection', async () => {
    const { config, client } = await rp();
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api:read', audience: 'https://api.example.com/v1' });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('api:read');
    expect(tokens.access_token.split('.')).toHaveLength(1);
    const info = await admin.adminIntrospectOAuth2Token(tokens.access_token);
    expect(info.data).toMatchObject({ active: true, client_id: client.client_id, sub: client.client_id, scope: 'api:read', aud: ['https://api.example.com/v1'], token_use: 'access_token', token_type: 'Bearer' });
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token, 'api:write')).data).toEqual({ active: false });
  });

  it('refuses a scope or audience the client may not have', async () => {
    const { config } = await rp();
    await expect(oidc.clientCredentialsGrant(config, { scope: 'api:read', audience: 'https://evil.example.com' })).rejects.toMatchObject({ error: 'invalid_request' });
    const other = await rp({ scope: 'admin' });
    await expect(oidc.clientCredentialsGrant((await rp()).config, { scope: 'admin' })).rejects.toMatchObject({ error: 'invalid_scope' });
    expect(other.client.scope).toBe('admin');
  });

  it('rejects a wrong secret with invalid_client', async () => {
    const { client } = await rp();
    const config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), client.client_id!, undefined, oidc.ClientSecretBasic('wrong-secret'), insecure);
    const error = (await oidc.clientCredentialsGrant(config, { scope: 'api:read' }).catch((e: unknown) => e)) as { status: number; cause: { parameters: Record<string, string> }[] };
    expect(error.status).toBe(401);
    expect(error.cause[0].parameters.error).toBe('invalid_client');
  });

  it('issues an ES256 JWT access token to a client with access_token_strategy jwt', async () => {
    const { config, client } = await rp({ access_token_strategy: 'jwt' });
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api:read api:write', audience: 'https://api.example.com' });
    const header = decodeProtectedHeader(tokens.access_token);
    const claims = decodeJwt(tokens.access_token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(claims).toMatchObject({ sub: client.client_id, client_id: client.client_id, aud: ['https://api.example.com'], scp: ['api:read', 'api:write'], iss: server.registry.config.serve.public.base_url });
    const info = await admin.adminIntrospectOAuth2Token(tokens.access_token);
    expect(info.data).toMatchObject({ active: true, client_id: client.client_id, aud: ['https://api.example.com'], scope: 'api:read api:write' });
    await admin.adminDeleteOAuth2Token(client.client_id!);
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data).toEqual({ active: false });
  });
});
