import type { V0alpha2Api } from '@ory/client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { bootOAuth2 } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

/** Each admin-only field with a value that would grant something. */
const ADMIN_ONLY: ReadonlyArray<[string, unknown]> = [
  ['skip_consent', true],
  ['skip_logout_consent', true],
  ['metadata', { token_exchange_audiences: ['https://api.example'] }],
  ['access_token_strategy', 'jwt'],
  ['authorization_code_grant_access_token_lifespan', '720h'],
  ['authorization_code_grant_id_token_lifespan', '720h'],
  ['authorization_code_grant_refresh_token_lifespan', '720h'],
  ['client_credentials_grant_access_token_lifespan', '720h'],
  ['implicit_grant_access_token_lifespan', '720h'],
  ['implicit_grant_id_token_lifespan', '720h'],
  ['jwt_bearer_grant_access_token_lifespan', '720h'],
  ['password_grant_access_token_lifespan', '720h'],
  ['password_grant_refresh_token_lifespan', '720h'],
  ['refresh_token_grant_id_token_lifespan', '720h'],
  ['refresh_token_grant_access_token_lifespan', '720h'],
  ['refresh_token_grant_refresh_token_lifespan', '720h'],
];

jest.setTimeout(60_000);

const BASE = { client_name: 'dcr-app', redirect_uris: ['https://rp.example/cb'], scope: 'openid offline' };

/** Dynamic registration is anonymous: it must not grant what Hydra keeps for the admin API. */
describe.each(databaseFactories())('dynamic client registration refuses admin-only fields ($label)', (factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let admin: V0alpha2Api;

  beforeAll(async () => {
    db = await factory.create();
    server = await bootOAuth2({ DSN: db.dsn, OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true' });
    admin = oryClient(server.adminUrl);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const register = (body: unknown, init: { method?: string; id?: string; token?: string } = {}) =>
    fetch(`${server.publicUrl}/oauth2/register${init.id ? `/${init.id}` : ''}`, {
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      body: JSON.stringify(body),
    });
  const clientCount = async () => (await admin.adminListOAuth2Clients(500)).data.length;

  it.each(ADMIN_ONLY)('POST with %s → 400 invalid_client_metadata naming it, nothing created', async (field, value) => {
    const before = await clientCount();
    const res = await register({ ...BASE, [field]: value });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_client_metadata');
    expect(body.error_description).toContain(`"${field}" cannot be set for dynamic client registration`);
    expect(await clientCount()).toBe(before);
  });

  it.each(ADMIN_ONLY)('PUT with %s → 400 invalid_client_metadata naming it, nothing changed', async (field, value) => {
    const created = (await (await register(BASE)).json()) as { client_id: string; registration_access_token: string };
    const stored = (await admin.adminGetOAuth2Client(created.client_id)).data;
    const res = await register({ ...BASE, client_name: 'renamed', [field]: value }, { method: 'PUT', id: created.client_id, token: created.registration_access_token });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_client_metadata');
    expect(body.error_description).toContain(`"${field}" cannot be set for dynamic client registration`);
    expect((await admin.adminGetOAuth2Client(created.client_id)).data).toEqual(stored);
    // The registration token did not rotate either.
    const read = await fetch(`${server.publicUrl}/oauth2/register/${created.client_id}`, { headers: { authorization: `Bearer ${created.registration_access_token}` } });
    expect(read.status).toBe(200);
  });

  it('accepts the values that grant nothing (a client echoing its own GET back)', async () => {
    const created = (await (await register(BASE)).json()) as { client_id: string; registration_access_token: string };
    const read = await (await fetch(`${server.publicUrl}/oauth2/register/${created.client_id}`, { headers: { authorization: `Bearer ${created.registration_access_token}` } })).json();
    expect(read).toMatchObject({ skip_consent: false, authorization_code_grant_access_token_lifespan: null });
    const res = await register({ ...(read as object), client_name: 'echoed', skip_logout_consent: false }, { method: 'PUT', id: created.client_id, token: created.registration_access_token });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ client_name: 'echoed', skip_consent: false });
  });

  it('the admin API still sets them, and a registered client’s own update keeps them', async () => {
    const created = (await (await register(BASE)).json()) as { client_id: string; registration_access_token: string };
    const adminOnly = {
      skip_consent: true,
      metadata: { tier: 'gold' },
      access_token_strategy: 'jwt',
      authorization_code_grant_access_token_lifespan: '5m0s',
    };
    const updated = await admin.adminUpdateOAuth2Client(created.client_id, { ...BASE, ...adminOnly } as never);
    expect(updated.data).toMatchObject(adminOnly);

    const res = await register({ ...BASE, client_name: 'self-update' }, { method: 'PUT', id: created.client_id, token: created.registration_access_token });
    expect(res.status).toBe(200);
    expect((await admin.adminGetOAuth2Client(created.client_id)).data).toMatchObject({ client_name: 'self-update', ...adminOnly });

    const fresh = await admin.adminCreateOAuth2Client({ ...BASE, ...adminOnly } as never);
    expect(fresh.status).toBe(201);
    expect(fresh.data).toMatchObject(adminOnly);
  });
});
