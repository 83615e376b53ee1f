import type { V0alpha2Api } from '@ory/client';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../helpers/ory-client';
import { testCtx } from '../../../libs/x/testing';

const ctx = testCtx();

describe('admin OAuth2 clients (@ory/client)', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;

  beforeAll(async () => {
    server = await bootApps();
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  describe('POST /admin/clients', () => {
    it('creates a client with Hydra defaults and shows the generated secret once', async () => {
      const res = await admin.adminCreateOAuth2Client({ redirect_uris: ['http://localhost:3000/cb'], metadata: { foo: 'bar' } });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`${server.adminUrl}/admin/clients/${res.data.client_id}`);
      expect(res.data).toMatchObject({
        client_name: '',
        scope: 'offline_access offline openid',
        token_endpoint_auth_method: 'client_secret_basic',
        subject_type: 'public',
        userinfo_signed_response_alg: 'none',
        audience: [],
        metadata: { foo: 'bar' },
        client_secret_expires_at: 0,
        authorization_code_grant_access_token_lifespan: null,
      });
      expect(res.data.client_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.data.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(res.data.registration_access_token).toMatch(/^ory_at_/);
      expect(res.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const read = await admin.adminGetOAuth2Client(res.data.client_id!);
      expect(read.data.client_secret).toBeUndefined();
      expect(read.data.registration_access_token).toBeUndefined();
      expect(read.data.grant_types).toEqual([]);
    });

    it('echoes a chosen secret and generates none for public clients', async () => {
      const chosen = await admin.adminCreateOAuth2Client({ client_secret: 'my-secret-1' });
      expect(chosen.data.client_secret).toBe('my-secret-1');
      const pub = await admin.adminCreateOAuth2Client({ token_endpoint_auth_method: 'none' });
      expect(pub.data.client_secret).toBeUndefined();
    });

    it('refuses a chosen client_id, a fragment in a redirect URI and a bad auth method', async () => {
      const id = await oryFailure(admin.adminCreateOAuth2Client({ client_id: 'mine' }));
      expect(id.status).toBe(400);
      expect(id.data).toEqual({
        error: 'The request was malformed or contained invalid parameters',
        error_description: 'It is no longer possible to set an OAuth2 Client ID as a user. The system will generate a unique ID for you.',
        status_code: 400,
      });
      const frag = await oryFailure(admin.adminCreateOAuth2Client({ redirect_uris: ['https://a.example/cb#x'] }));
      expect(frag.status).toBe(400);
      expect((frag.data as { error: string }).error).toBe('invalid_redirect_uri');
      const method = await oryFailure(admin.adminCreateOAuth2Client({ token_endpoint_auth_method: 'client_secret_jwt' }));
      expect(method.data).toMatchObject({ error: 'invalid_client_metadata', status_code: 400 });
    });

    it('answers malformed JSON with a 400 in the flat shape', async () => {
      const res = await request(server.adminUrl).post('/admin/clients').set('content-type', 'application/json').send('{bad');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status_code: 400 });
      expect(typeof res.body.error).toBe('string');
    });
  });

  describe('PUT, PATCH, DELETE /admin/clients/{id}', () => {
    it('replaces, keeping the secret unless a new one is sent', async () => {
      const created = await admin.adminCreateOAuth2Client({ client_name: 'one', redirect_uris: ['https://a.example/cb'] });
      const id = created.data.client_id!;
      const put = await admin.adminUpdateOAuth2Client(id, { client_name: 'two', redirect_uris: ['https://a.example/cb2'] });
      expect(put.data).toMatchObject({ client_id: id, client_name: 'two', redirect_uris: ['https://a.example/cb2'] });
      expect(put.data.client_secret).toBeUndefined();
      const rotated = await admin.adminUpdateOAuth2Client(id, { client_secret: 'a-new-secret' });
      expect(rotated.data.client_secret).toBe('a-new-secret');
      expect(server.registry.clientManager.verifySecret(await server.registry.clientManager.get(ctx, id), 'a-new-secret')).toBe(true);
    });

    it('applies a JSON patch and rejects move/copy/test', async () => {
      const created = await admin.adminCreateOAuth2Client({ client_name: 'p', redirect_uris: ['https://a.example/cb'] });
      const id = created.data.client_id!;
      const patched = await admin.adminPatchOAuth2Client(id, [
        { op: 'replace', path: '/client_name', value: 'New' },
        { op: 'add', path: '/redirect_uris/-', value: 'https://a.example/cb2' },
      ]);
      expect(patched.data).toMatchObject({ client_name: 'New', redirect_uris: ['https://a.example/cb', 'https://a.example/cb2'] });
      const bad = await oryFailure(admin.adminPatchOAuth2Client(id, [{ op: 'move', from: '/client_name', path: '/owner' }]));
      expect(bad.status).toBe(400);
      const invalid = await oryFailure(admin.adminPatchOAuth2Client(id, [{ op: 'replace', path: '/token_endpoint_auth_method', value: 'nope' }]));
      expect((invalid.data as { error: string }).error).toBe('invalid_client_metadata');
    });

    it('sets lifespans and formats them as Go durations', async () => {
      const created = await admin.adminCreateOAuth2Client({});
      const res = await request(server.adminUrl)
        .put(`/admin/clients/${created.data.client_id}/lifespans`)
        .send({ client_credentials_grant_access_token_lifespan: '30m', authorization_code_grant_refresh_token_lifespan: '720h' });
      expect(res.status).toBe(200);
      expect(res.body.client_credentials_grant_access_token_lifespan).toBe('30m0s');
      expect(res.body.authorization_code_grant_refresh_token_lifespan).toBe('720h0m0s');
    });

    it('deletes with 204, then 404 in Hydra\'s shape', async () => {
      const created = await admin.adminCreateOAuth2Client({});
      const id = created.data.client_id!;
      expect((await admin.adminDeleteOAuth2Client(id)).status).toBe(204);
      const gone = await oryFailure(admin.adminGetOAuth2Client(id));
      expect(gone.status).toBe(404);
      expect(gone.data).toEqual({ error: 'Unable to locate the resource', error_description: '', status_code: 404 });
      expect((await oryFailure(admin.adminDeleteOAuth2Client(id))).status).toBe(404);
    });
  });

  describe('GET /admin/clients', () => {
    it('pages with page_size/page_token and Hydra v2 Link headers (first, next; no count), filtered by owner and client_name', async () => {
      const owner = `owner-${Date.now()}`;
      const ids: string[] = [];
      for (const name of ['a', 'b', 'c']) ids.push((await admin.adminCreateOAuth2Client({ owner, client_name: name })).data.client_id!);
      const first = await admin.adminListOAuth2Clients(2, undefined, undefined, owner);
      expect(first.data.map((c) => c.client_id)).toEqual(ids.slice(0, 2));
      expect(first.data.every((c) => c.client_secret === undefined)).toBe(true);
      expect(first.headers['x-total-count']).toBeUndefined();
      expect(first.headers.link).toMatch(/^<\/admin\/clients\?owner=[\w-]+&page_size=2&page_token=[\w-]+>; rel="first",<\/admin\/clients\?owner=[\w-]+&page_size=2&page_token=[\w-]+>; rel="next"$/);
      const next = /<([^>]+)>; rel="next"/.exec(first.headers.link as string)![1];
      const token = new URL(next, server.adminUrl).searchParams.get('page_token')!;
      expect(new URL(next, server.adminUrl).searchParams.get('owner')).toBe(owner);
      const second = await admin.adminListOAuth2Clients(2, token, undefined, owner);
      expect(second.data.map((c) => c.client_id)).toEqual([ids[2]]);
      expect(second.headers.link).not.toContain('rel="next"');
      const named = await admin.adminListOAuth2Clients(undefined, undefined, 'b', owner);
      expect(named.data.map((c) => c.client_id)).toEqual([ids[1]]);

      const bad = await oryFailure(admin.adminListOAuth2Clients(2, 'not-a-token!'));
      expect(bad.status).toBe(400);
      expect(bad.data).toMatchObject({ error: 'invalid_request', error_description: expect.stringContaining('page_token') });
      expect(bad.data).not.toHaveProperty('error.code');
      expect((await oryFailure(admin.adminListOAuth2Clients(0))).status).toBe(400);
    });
  });
});
