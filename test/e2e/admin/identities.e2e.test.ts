import type { V0alpha2Api } from '@ory/client';
import bcryptjs from 'bcryptjs';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { linksOf, pathOf } from '../../helpers/links';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../helpers/ory-client';
import { testCtx } from '../../../libs/x/testing';

const ctx = testCtx();

describe('admin identities API through @ory/client', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let pub: V0alpha2Api;
  beforeAll(async () => {
    server = await bootApps();
    admin = oryClient(server.adminUrl);
    pub = oryClient(server.publicUrl);
  });
  afterAll(() => server.close());

  it('creates an identity (201 + Location) with derived addresses and credentials without secrets', async () => {
    const res = await admin.adminCreateIdentity({
      schema_id: 'default',
      traits: { email: 'Alice@Example.com', name: { first: 'Alice' } },
      metadata_public: { plan: 'pro' },
      metadata_admin: { crm: 42 },
      credentials: { password: { config: { password: 'a long enough passphrase' } } },
    });
    expect(res.status).toBe(201);
    const body = res.data;
    expect(res.headers.location).toBe(`${server.registry.config.serve.admin.base_url}identities/${body.id}`);
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.schema_url).toBe(`${server.registry.config.serve.public.base_url}schemas/ZGVmYXVsdA`);
    expect(body.state).toBe('active');
    expect(body.traits).toEqual({ email: 'Alice@Example.com', name: { first: 'Alice' } });
    expect(body.verifiable_addresses).toEqual([
      expect.objectContaining({ value: 'alice@example.com', via: 'email', verified: false, status: 'pending' }),
    ]);
    expect(body.recovery_addresses).toEqual([expect.objectContaining({ value: 'alice@example.com', via: 'email' })]);
    expect(body.metadata_public).toEqual({ plan: 'pro' });
    expect(body.metadata_admin).toEqual({ crm: 42 });
    expect(body.credentials?.password).toEqual(
      expect.objectContaining({ type: 'password', identifiers: ['alice@example.com'], version: 0 }),
    );
    expect(JSON.stringify(body)).not.toMatch(/hashed_password|\$2[aby]\$|passphrase/);

    const fetched = await admin.adminGetIdentity(body.id);
    expect(fetched.data.credentials?.password?.identifiers).toEqual(['alice@example.com']);
    expect(JSON.stringify(fetched.data)).not.toMatch(/hashed_password|config/);
  });

  it('gives 409 for a duplicate email in another case, and stores nothing', async () => {
    await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'dup@example.com' }, credentials: { password: { config: { password: 'another passphrase' } } } });
    const failure = await oryFailure(
      admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'DUP@Example.COM' }, credentials: { password: { config: { password: 'another passphrase' } } } }),
    );
    expect(failure.status).toBe(409);
    expect((failure.data as { error: { code: number; reason: string } }).error).toMatchObject({ code: 409, status: 'Conflict' });
    const list = await admin.adminListIdentities(1000, 0, { params: { credentials_identifier: 'dup@example.com' } });
    expect(list.data).toHaveLength(1);
  });

  it('rejects invalid traits, unknown schemas and unknown keys with 400', async () => {
    const badEmail = await oryFailure(admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'not-an-email' } }));
    expect(badEmail.status).toBe(400);
    expect((badEmail.data as { error: { reason: string } }).error.reason).toContain('"not-an-email" is not valid "email"');
    const missing = await oryFailure(admin.adminCreateIdentity({ schema_id: 'default', traits: { name: { first: 'x' } } }));
    expect(missing.status).toBe(400);
    expect((missing.data as { error: { reason: string } }).error.reason).toContain('missing properties: "email"');
    const schema = await oryFailure(admin.adminCreateIdentity({ schema_id: 'nope', traits: { email: 'a@b.co' } }));
    expect(schema.status).toBe(400);
    expect((schema.data as { error: { reason: string } }).error.reason).toContain('nope');
    const unknownKey = await request(server.adminUrl).post('/admin/identities').send({ traits: { email: 'k@b.co' }, surprise: 1 });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.reason).toContain('surprise');
    const badState = await request(server.adminUrl).post('/admin/identities').send({ traits: { email: 's@b.co' }, state: 'frozen' });
    expect(badState.status).toBe(400);
    const malformed = await request(server.adminUrl).post('/admin/identities').set('content-type', 'application/json').send('{bad');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe(400);
  });

  it('imports hashed passwords and refuses unknown hash formats with nothing stored', async () => {
    const hash = bcryptjs.hashSync('imported secret', 4);
    const created = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'imported@example.com' }, credentials: { password: { config: { hashed_password: hash } } } });
    expect(created.status).toBe(201);
    const stored = await server.registry.identityPool.get(ctx, created.data.id);
    expect(stored?.credentials.password?.config).toEqual({ hashed_password: hash });
    expect(await server.registry.passwordHasher.verify('imported secret', stored?.credentials.password?.config.hashed_password as string)).toBe(true);

    const bad = await oryFailure(
      admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'badhash@example.com' }, credentials: { password: { config: { hashed_password: '$unknown$abc' } } } }),
    );
    expect(bad.status).toBe(400);
    expect((bad.data as { error: { reason: string } }).error.reason).toContain('does not match any known hash format');
    const list = await admin.adminListIdentities(1000, 0, { params: { credentials_identifier: 'badhash@example.com' } });
    expect(list.data).toHaveLength(0);
    const all = await admin.adminListIdentities(1000);
    expect(all.data.some((i) => (i.traits as { email: string }).email === 'badhash@example.com')).toBe(false);
  });

  it('updates with PUT (full replace) and keeps credentials', async () => {
    const created = await admin.adminCreateIdentity({
      schema_id: 'default',
      traits: { email: 'put@example.com' },
      metadata_public: { a: 1 },
      credentials: { password: { config: { password: 'put passphrase!' } } },
    });
    const updated = await admin.adminUpdateIdentity(created.data.id, { schema_id: 'default', traits: { email: 'put2@example.com' }, state: 'inactive' });
    expect(updated.data.traits).toEqual({ email: 'put2@example.com' });
    expect(updated.data.state).toBe('inactive');
    expect(updated.data.metadata_public).toBeNull();
    expect(updated.data.credentials?.password?.identifiers).toEqual(['put2@example.com']);
    expect(updated.data.verifiable_addresses?.[0].value).toBe('put2@example.com');
    const byOld = await admin.adminListIdentities(10, 0, { params: { credentials_identifier: 'put@example.com' } });
    expect(byOld.data).toHaveLength(0);
    const missing = await oryFailure(admin.adminUpdateIdentity('00000000-0000-4000-8000-000000000000', { schema_id: 'default', traits: { email: 'x@y.co' }, state: 'active' }));
    expect(missing.status).toBe(404);
  });

  it('patches with JSON Patch, refuses forbidden paths, and leaves the identity unchanged on invalid results', async () => {
    const created = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'patch@example.com' }, credentials: { password: { config: { password: 'patch passphrase' } } } });
    const id = created.data.id;
    const patched = await admin.adminPatchIdentity(id, [
      { op: 'replace', path: '/traits/email', value: 'patched@example.com' },
      { op: 'add', path: '/metadata_public', value: { x: true } },
      { op: 'replace', path: '/state', value: 'inactive' },
    ]);
    expect(patched.data.traits).toEqual({ email: 'patched@example.com' });
    expect(patched.data.metadata_public).toEqual({ x: true });
    expect(patched.data.state).toBe('inactive');
    expect(patched.data.credentials?.password?.identifiers).toEqual(['patched@example.com']);

    const invalid = await oryFailure(admin.adminPatchIdentity(id, [{ op: 'replace', path: '/traits/email', value: 'not-an-email' }]));
    expect(invalid.status).toBe(400);
    for (const path of ['/id', '/credentials', '/credentials/password', '/created_at', '/nonsense']) {
      const res = await oryFailure(admin.adminPatchIdentity(id, [{ op: 'replace', path, value: 'x' }]));
      expect(res.status).toBe(400);
    }
    const badOp = await request(server.adminUrl).patch(`/admin/identities/${id}`).send([{ op: 'explode', path: '/traits/email' }]);
    expect(badOp.status).toBe(400);
    const notArray = await request(server.adminUrl).patch(`/admin/identities/${id}`).send({ op: 'replace' });
    expect(notArray.status).toBe(400);
    const missingPath = await oryFailure(admin.adminPatchIdentity(id, [{ op: 'replace', path: '/traits/name/first', value: 'x' }]));
    expect(missingPath.status).toBe(400);

    const after = await admin.adminGetIdentity(id);
    expect(after.data.traits).toEqual({ email: 'patched@example.com' });
    expect(after.data.state).toBe('inactive');
  });

  it('deletes (204) with credentials, then 404', async () => {
    const created = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'del@example.com' }, credentials: { password: { config: { password: 'delete passphrase' } } } });
    const res = await admin.adminDeleteIdentity(created.data.id);
    expect(res.status).toBe(204);
    expect((await oryFailure(admin.adminGetIdentity(created.data.id))).status).toBe(404);
    expect((await oryFailure(admin.adminDeleteIdentity(created.data.id))).status).toBe(404);
    expect(await server.registry.identityPool.findByCredentialsIdentifier(ctx, 'password', 'del@example.com')).toBeUndefined();
    // The identifier is free again.
    const again = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'del@example.com' }, credentials: { password: { config: { password: 'delete passphrase' } } } });
    expect(again.status).toBe(201);
  });

  it('answers 404 for malformed and unknown ids, and 400 for include_credential other than oidc', async () => {
    expect((await oryFailure(admin.adminGetIdentity('not-a-uuid'))).status).toBe(404);
    const created = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'incl@example.com' } });
    expect((await admin.adminGetIdentity(created.data.id, ['oidc'])).status).toBe(200);
    const bad = await oryFailure(admin.adminGetIdentity(created.data.id, ['password']));
    expect(bad.status).toBe(400);
  });

  it('serves the schemas on the public app', async () => {
    const list = await pub.listIdentitySchemas();
    expect(list.data.map((s) => s.id)).toEqual(['default']);
    expect((list.data[0].schema as { properties: object }).properties).toHaveProperty('traits');
    const byId = await pub.getIdentitySchema('default');
    expect(byId.data).toEqual(list.data[0].schema);
    const byBase64 = await pub.getIdentitySchema('ZGVmYXVsdA');
    expect(byBase64.data).toEqual(list.data[0].schema);
    const missing = await oryFailure(pub.getIdentitySchema('nope'));
    expect(missing.status).toBe(404);
  });
});

describe('admin identities pagination', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  beforeAll(async () => {
    server = await bootApps();
    admin = oryClient(server.adminUrl);
    for (let i = 0; i < 5; i++) await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: `page${i}@example.com` }, credentials: { password: { config: { password: `page passphrase ${i}` } } } });
  });
  afterAll(() => server.close());

  it('pages 5 identities by 2 with the old page/per_page (@ory/client alpha.60): first, next (with a page token), prev; no count', async () => {
    const base = `${server.registry.config.serve.admin.base_url}identities`;
    const first = await admin.adminListIdentities(2, 0);
    expect(first.data).toHaveLength(2);
    expect(first.headers['x-total-count']).toBeUndefined();
    const links = linksOf(first.headers.link);
    expect(Object.keys(links)).toEqual(['first', 'next']);
    expect(links.first).toBe(`${base}?page=0&per_page=2`);
    expect(links.next).toMatch(new RegExp(`^${base}\\?page=1&page_token=[\\w-]+&per_page=2$`));
    const middle = await admin.adminListIdentities(2, 1);
    expect(Object.keys(linksOf(middle.headers.link))).toEqual(['first', 'next', 'prev']);
    expect(linksOf(middle.headers.link).prev).toBe(`${base}?page=0&per_page=2`);
    const followed = await request(server.adminUrl).get(pathOf(links.next as string, server.adminUrl));
    expect(followed.body).toEqual(middle.data);
    const last = await admin.adminListIdentities(2, 2);
    expect(last.data).toHaveLength(1);
    expect(Object.keys(linksOf(last.headers.link))).toEqual(['first', 'prev']);
    const seen = [...first.data, ...middle.data, ...last.data].map((i) => (i.traits as { email: string }).email);
    expect(new Set(seen).size).toBe(5);
    expect(first.data[0]).toHaveProperty('metadata_public');
    expect(first.data[0]).not.toHaveProperty('credentials');
  });

  it('pages with page_size/page_token as Kratos v1 does: relative first and next links', async () => {
    const first = await request(server.adminUrl).get('/admin/identities?page_size=2');
    expect(first.status).toBe(200);
    const links = linksOf(first.headers.link);
    expect(Object.keys(links)).toEqual(['first', 'next']);
    expect(links.first).toMatch(/^\/admin\/identities\?page_size=2&page_token=[\w-]+$/);
    const seen = first.body.map((i: { id: string }) => i.id);
    let next = links.next;
    while (next) {
      const page = await request(server.adminUrl).get(next);
      seen.push(...page.body.map((i: { id: string }) => i.id));
      next = linksOf(page.headers.link).next;
    }
    const all = await admin.adminListIdentities(1000, 0);
    expect(seen).toEqual(all.data.map((i) => i.id));
  });

  it('filters by credentials_identifier exactly (case-insensitive)', async () => {
    const hit = await admin.adminListIdentities(250, 0, { params: { credentials_identifier: 'PAGE3@example.com' } });
    expect(hit.data.map((i) => (i.traits as { email: string }).email)).toEqual(['page3@example.com']);
    expect(hit.headers['x-total-count']).toBeUndefined();
    const partial = await admin.adminListIdentities(250, 0, { params: { credentials_identifier: 'page3' } });
    expect(partial.data).toHaveLength(0);
  });
});

describe('admin identities batch import', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootApps();
  });
  afterAll(() => server.close());

  it('imports each item on its own: successes, duplicates and invalid items', async () => {
    const hash = bcryptjs.hashSync('bulk secret', 4);
    await request(server.adminUrl).post('/admin/identities').send({ traits: { email: 'taken@example.com' }, credentials: { password: { config: { password: 'taken passphrase' } } } });
    const res = await request(server.adminUrl)
      .patch('/admin/identities')
      .send({
        identities: [
          { create: { traits: { email: 'bulk1@example.com' }, credentials: { password: { config: { hashed_password: hash } } } }, patch_id: 'p1' },
          { traits: { email: 'bulk2@example.com' }, credentials: { password: { config: { hashed_password: hash } } } },
          { traits: { email: 'TAKEN@example.com' }, credentials: { password: { config: { hashed_password: hash } } } },
          { traits: { email: 'bulk1@example.com' }, credentials: { password: { config: { hashed_password: hash } } } },
          { traits: { email: 'not-an-email' } },
          { traits: { email: 'bulk3@example.com' }, credentials: { password: { config: { hashed_password: 'garbage' } } } },
        ],
      });
    expect(res.status).toBe(200);
    const results = res.body.identities as { action: string; identity?: string; patch_id?: string; error?: { code: number } }[];
    expect(results.map((r) => r.action)).toEqual(['create', 'create', 'error', 'error', 'error', 'error']);
    expect(results[0].patch_id).toBe('p1');
    expect(results.slice(2).map((r) => r.error?.code)).toEqual([409, 409, 400, 400]);
    const stored = await server.registry.identityPool.get(ctx, results[1].identity as string);
    expect(stored?.traits).toEqual({ email: 'bulk2@example.com' });
    expect(await server.registry.passwordHasher.verify('bulk secret', stored?.credentials.password?.config.hashed_password as string)).toBe(true);
    expect(await server.registry.identityPool.findByCredentialsIdentifier(ctx, 'password', 'bulk3@example.com')).toBeUndefined();
  });

  it('refuses a body that is not {"identities": [...]}', async () => {
    const res = await request(server.adminUrl).patch('/admin/identities').send([{ traits: {} }]);
    expect(res.status).toBe(400);
  });
});
