import { Configuration, V0alpha2Api } from '@ory/client';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootOAuth2 } from '../../helpers/oauth2';
import { oryClient, oryFailure } from '../../helpers/ory-client';

describe('dynamic client registration (RFC 7591/7592)', () => {
  let server: RunningServer;
  let pub: V0alpha2Api;
  const withToken = (token: string) => new V0alpha2Api(new Configuration({ basePath: server.publicUrl, accessToken: token }));

  beforeAll(async () => {
    server = await bootOAuth2({ OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true' });
    pub = oryClient(server.publicUrl);
  });
  afterAll(() => server.close());

  it('creates, reads, updates (rotating the token) and deletes a client with the registration token', async () => {
    const created = await pub.dynamicClientRegistrationCreateOAuth2Client({ client_name: 'dcr', grant_types: ['client_credentials'], scope: 'api' });
    expect(created.status).toBe(201);
    const id = created.data.client_id!;
    const token = created.data.registration_access_token!;
    expect(created.data.client_secret).toEqual(expect.any(String));
    expect(created.data.registration_client_uri).toBe(`${server.registry.config.serve.public.base_url}oauth2/register/${id}`);

    // The client works at the token endpoint right away.
    const config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), id, undefined, oidc.ClientSecretBasic(created.data.client_secret!), { execute: [oidc.allowInsecureRequests] });
    expect((await oidc.clientCredentialsGrant(config, { scope: 'api' })).scope).toBe('api');

    const read = await withToken(token).dynamicClientRegistrationGetOAuth2Client(id);
    expect(read.data).toMatchObject({ client_id: id, client_name: 'dcr' });
    expect(read.data.client_secret).toBeUndefined();
    expect(read.data.metadata).toBeUndefined();

    const updated = await withToken(token).dynamicClientRegistrationUpdateOAuth2Client(id, { client_name: 'dcr-2', grant_types: ['client_credentials'], scope: 'api' });
    expect(updated.data.client_name).toBe('dcr-2');
    const rotated = updated.data.registration_access_token!;
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(token);
    expect((await oryFailure(withToken(token).dynamicClientRegistrationGetOAuth2Client(id))).status).toBe(401);
    // The secret is kept by an update.
    expect((await oidc.clientCredentialsGrant(config, { scope: 'api' })).access_token).toEqual(expect.any(String));

    expect((await withToken(rotated).dynamicClientRegistrationDeleteOAuth2Client(id)).status).toBe(204);
    expect((await oryFailure(oryClient(server.adminUrl).adminGetOAuth2Client(id))).status).toBe(404);
  });

  it('refuses chosen secrets, metadata and wrong tokens', async () => {
    const secret = await oryFailure(pub.dynamicClientRegistrationCreateOAuth2Client({ client_secret: 'chosen-secret' }));
    expect(secret.status).toBe(400);
    expect((secret.data as { error_description: string }).error_description).toBe('It is not allowed to choose your own OAuth2 Client secret.');
    const metadata = await oryFailure(pub.dynamicClientRegistrationCreateOAuth2Client({ metadata: { a: 1 } }));
    expect(metadata.data).toMatchObject({ error: 'invalid_client_metadata' });
    const created = await pub.dynamicClientRegistrationCreateOAuth2Client({});
    const wrong = await oryFailure(withToken('ory_at_wrong').dynamicClientRegistrationGetOAuth2Client(created.data.client_id!));
    expect(wrong.status).toBe(401);
    expect(wrong.data).toMatchObject({ error_description: 'The requested OAuth 2.0 client does not exist or you provided incorrect credentials.' });
  });
});

describe('dynamic client registration, disabled (default)', () => {
  it('answers 404 on every registration route', async () => {
    const server = await bootOAuth2();
    try {
      const res = await fetch(`${server.publicUrl}/oauth2/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error_description: 'Dynamic registration is not enabled.' });
      expect((await fetch(`${server.publicUrl}/oauth2/register/abc`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
