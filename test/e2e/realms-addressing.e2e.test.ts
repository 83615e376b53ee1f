import { resolve } from 'node:path';
import * as oidc from 'openid-client';
import request from 'supertest';
import type { RunningServer } from '../../apps/cli/src/server';
import { loadConfig, splitConfig } from '../../libs/config';
import type { RegistryOptions } from '../../libs/registry';
import { bootApps } from '../helpers/boot-apps';
import { oryClient } from '../helpers/ory-client';

jest.setTimeout(120_000);

/** A second realm `acme` (the test config's realm half), injected through the registry's `loadRealm` seam. */
function withAcme(): RegistryOptions {
  const realm = splitConfig(loadConfig({ files: [resolve(__dirname, '../../config/test.yaml')], env: {} })).realm;
  return { loadRealm: (name) => (name === 'acme' ? { config: realm, revision: '1' } : undefined) };
}

const insecure = { execute: [oidc.allowInsecureRequests] };

describe('realm addressing by path prefix (/realms/{realm}/…)', () => {
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    server = await bootApps({}, withAcme());
    base = server.registry.config.serve.public.base_url;
  });
  afterAll(() => server.close());

  it("serves acme's discovery with acme's issuer and Keycloak's prefixed endpoints", async () => {
    const res = await fetch(`${server.publicUrl}/realms/acme/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const meta = (await res.json()) as Record<string, unknown>;
    expect(meta).toMatchObject({
      issuer: `${base}realms/acme`,
      authorization_endpoint: `${base}realms/acme/protocol/openid-connect/auth`,
      token_endpoint: `${base}realms/acme/protocol/openid-connect/token`,
      jwks_uri: `${base}realms/acme/protocol/openid-connect/certs`,
      userinfo_endpoint: `${base}realms/acme/protocol/openid-connect/userinfo`,
    });
    const defaults = (await (await fetch(`${server.publicUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(defaults.issuer).toBe(base);
    expect(defaults.token_endpoint).toBe(`${base}oauth2/token`);
  });

  it('answers /realms/default/… as the unprefixed default realm, but for the engine’s issuer there', async () => {
    // The default realm's engine under the prefix has its own issuer, the URL it is discovered at (Keycloak's view).
    const prefixed = await fetch(`${server.publicUrl}/realms/default/.well-known/openid-configuration`);
    expect(prefixed.status).toBe(200);
    expect(await prefixed.json()).toMatchObject({ issuer: `${base}realms/default`, token_endpoint: `${base}realms/default/protocol/openid-connect/token` });
    expect(await (await fetch(`${server.publicUrl}/realms/default/.well-known/jwks.json`)).json()).toEqual(await (await fetch(`${server.publicUrl}/.well-known/jwks.json`)).json());
    const flow = await request(server.publicUrl).get('/realms/default/self-service/registration/api');
    expect(flow.status).toBe(200);
    expect(flow.body.ui.action).toBe(`${base}self-service/registration?flow=${flow.body.id}`);
    expect((await request(server.adminUrl).get('/realms/default/admin/identities')).status).toBe(200);
  });

  it('runs openid-client discovery and client_credentials against /realms/acme with a client created on acme', async () => {
    const admin = oryClient(`${server.adminUrl}/realms/acme`);
    const { data: client } = await admin.adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope: 'api:read' });
    const config = await oidc.discovery(new URL(`${base}realms/acme`), client.client_id!, undefined, oidc.ClientSecretBasic(client.client_secret!), insecure);
    expect(config.serverMetadata().issuer).toBe(`${base}realms/acme`);
    expect(config.serverMetadata().token_endpoint).toBe(`${base}realms/acme/protocol/openid-connect/token`);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api:read' });
    expect(tokens.scope).toBe('api:read');
    const info = await admin.adminIntrospectOAuth2Token(tokens.access_token);
    expect(info.data).toMatchObject({ active: true, client_id: client.client_id, iss: `${base}realms/acme` });
  });

  it("runs an API-mode registration and whoami with @ory/client on basePath …/realms/acme; flow URLs carry the prefix", async () => {
    const ory = oryClient(`${server.publicUrl}/realms/acme`);
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    expect(flow.ui.action).toBe(`${base}realms/acme/self-service/registration?flow=${flow.id}`);
    expect(flow.request_url).toBe(`${base}realms/acme/self-service/registration/api`);
    const email = 'api-acme@example.com';
    const { data: registered } = await ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password: 'an acme passphrase', traits: { email } });
    expect(registered.session_token).toEqual(expect.any(String));
    const { data: session } = await ory.toSession(registered.session_token);
    expect(session.identity.traits).toEqual({ email });
  });

  it("scopes the session cookie to the realm: acme's cookie signs in to acme, not to the default realm", async () => {
    const agent = request.agent(server.publicUrl);
    const init = await agent.get('/realms/acme/self-service/registration/browser').set('Accept', 'application/json');
    expect(init.status).toBe(200);
    expect(init.body.ui.action).toBe(`${base}realms/acme/self-service/registration?flow=${init.body.id}`);
    const csrf = (init.body.ui.nodes as { attributes: { name: string; value?: string } }[]).find((n) => n.attributes.name === 'csrf_token')!.attributes.value;
    const submit = await agent
      .post(`/realms/acme/self-service/registration?flow=${init.body.id}`)
      .set('Accept', 'application/json')
      .send({ method: 'password', csrf_token: csrf, password: 'a browser passphrase', traits: { email: 'browser-acme@example.com' } });
    expect(submit.status).toBe(200);
    const cookies = ([] as string[]).concat(submit.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => c.startsWith('ory_kratos_session_acme='))).toBe(true);
    expect(cookies.some((c) => c.startsWith('ory_kratos_session='))).toBe(false);
    expect((await agent.get('/realms/acme/sessions/whoami')).status).toBe(200);
    expect((await agent.get('/sessions/whoami')).status).toBe(401);
    expect((await agent.get('/realms/default/sessions/whoami')).status).toBe(401);
  });

  it("starts an authorization at acme's engine: acme's login fallback, engine cookies named for acme", async () => {
    const admin = oryClient(`${server.adminUrl}/realms/acme`);
    const { data: client } = await admin.adminCreateOAuth2Client({ grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid', redirect_uris: ['http://rp.test/cb'] });
    const res = await request(server.publicUrl)
      .get('/realms/acme/oauth2/auth')
      .query({ client_id: client.client_id!, response_type: 'code', scope: 'openid', redirect_uri: 'http://rp.test/cb', state: 'state-123456' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^${base}realms/acme/oauth2/fallbacks/login\\?login_challenge=`));
    const names = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split('=')[0]);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n.endsWith('_acme') || n.endsWith('_acme.sig'))).toBe(true);
  });

  it('answers an unknown realm with 404 in each surface’s shape', async () => {
    const kratos = await request(server.publicUrl).get('/realms/nope/sessions/whoami');
    expect(kratos.status).toBe(404);
    expect(kratos.body.error).toMatchObject({ code: 404, status: 'Not Found' });
    for (const path of ['/realms/nope/.well-known/openid-configuration', '/realms/nope/oauth2/token']) {
      const oauth2 = await request(server.publicUrl).post(path).type('form').send({ grant_type: 'client_credentials' });
      expect(oauth2.status).toBe(404);
      expect(oauth2.body).toMatchObject({ error: expect.any(String), error_description: expect.any(String), status_code: 404 });
    }
    const identities = await request(server.adminUrl).get('/realms/nope/admin/identities');
    expect(identities.status).toBe(404);
    expect(identities.body.error).toMatchObject({ code: 404 });
    const clients = await request(server.adminUrl).get('/realms/nope/admin/clients');
    expect(clients.status).toBe(404);
    expect(clients.body).toMatchObject({ error: expect.any(String), status_code: 404 });
    const invalid = await request(server.publicUrl).get('/realms/Not%20A%20Realm/sessions/whoami');
    expect(invalid.status).toBe(404);
    expect(invalid.body.error.code).toBe(404);
  });
});

describe('realm addressing by host (serve.*.realm_host_suffix)', () => {
  let server: RunningServer;
  let port: string;

  beforeAll(async () => {
    server = await bootApps({ SERVE_PUBLIC_REALM_HOST_SUFFIX: '.realms.test', SERVE_ADMIN_REALM_HOST_SUFFIX: '.realms.test' }, withAcme());
    port = new URL(server.publicUrl).port;
  });
  afterAll(() => server.close());

  it('reaches acme at acme<suffix> without a prefix, the default realm at any other host, and 404s an unknown label', async () => {
    const acme = await request(server.publicUrl).get('/.well-known/openid-configuration').set('Host', `acme.realms.test:${port}`);
    expect(acme.status).toBe(200);
    expect(acme.body.issuer).toBe(`http://acme.realms.test:${port}`);
    expect(acme.body.token_endpoint).toBe(`http://acme.realms.test:${port}/oauth2/token`);
    // A realm addressed by host is at its host's root with Hydra's paths: no Keycloak view, no public introspection.
    expect(acme.body.introspection_endpoint).toBeUndefined();
    expect((await request(server.publicUrl).post('/protocol/openid-connect/token').set('Host', `acme.realms.test:${port}`)).status).toBe(404);
    const other = await request(server.publicUrl).get('/.well-known/openid-configuration');
    expect(other.body.issuer).toBe(server.registry.config.serve.public.base_url);
    const flow = await request(server.publicUrl).get('/self-service/registration/api').set('Host', `acme.realms.test:${port}`);
    expect(flow.body.ui.action).toBe(`http://acme.realms.test:${port}/self-service/registration?flow=${flow.body.id}`);
    const nope = await request(server.publicUrl).get('/sessions/whoami').set('Host', `nope.realms.test:${port}`);
    expect(nope.status).toBe(404);
    expect(nope.body.error.code).toBe(404);
    const adminPort = new URL(server.adminUrl).port;
    expect((await request(server.adminUrl).get('/admin/identities').set('Host', `acme.realms.test:${adminPort}`)).status).toBe(200);
    const adminNope = await request(server.adminUrl).get('/admin/clients').set('Host', `nope.realms.test:${adminPort}`);
    expect(adminNope.status).toBe(404);
    expect(adminNope.body.status_code).toBe(404);
  });

  it('still resolves the path prefix (it wins over the host)', async () => {
    const res = await request(server.publicUrl).get('/realms/acme/health/alive').set('Host', `nope.realms.test:${port}`);
    expect(res.status).toBe(200);
  });
});
