import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { Configuration, V0alpha2Api } from '@ory/client';
import pino from 'pino';
import request from 'supertest';
import { type RunningServer, isLoopback } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { oryFailure } from '../../helpers/ory-client';
import { DEFAULT_PROJECT_ID } from '../../../libs/project';

jest.setTimeout(120_000);

const OPERATOR = 'operator-key-0123456789-abcdef';
const SECOND_OPERATOR = 'second-operator-key-9876543210';
const HOST_SUFFIX = '.admin.test';

/** `@ory/client` on `basePath`, sending `Authorization: Bearer <key>` (its `oryAccessToken` security scheme). */
const ory = (basePath: string, key?: string): V0alpha2Api => new V0alpha2Api(new Configuration({ basePath, accessToken: key }));

describe.each(databaseFactories().map((f) => [f.label, f] as const))('project API keys and the authenticated admin plane on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  /** A second process on the same database. */
  let other: RunningServer;
  let n = 0;
  const env = (): Record<string, string> => ({ DSN: db.dsn, ADMIN_API_KEYS: `${OPERATOR},${SECOND_OPERATOR}`, SERVE_ADMIN_REALM_HOST_SUFFIX: HOST_SUFFIX });

  /** A new project's slug (the project API accepts it in place of the id, as Ory Network does). */
  async function project(): Promise<string> {
    const name = `proj-${++n}-${Date.now().toString(36)}`;
    const res = await request(server.adminUrl).post('/projects').set('Authorization', `Bearer ${OPERATOR}`).send({ name });
    expect(res.status).toBe(201);
    expect(res.body.slug).toBe(name);
    return name;
  }

  async function newKey(projectId: string, name = 'ci'): Promise<string> {
    const { data } = await ory(server.adminUrl, OPERATOR).createProjectApiKey(projectId, { name });
    return data.value!;
  }

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps(env());
    other = await bootApps(env());
  });
  afterAll(async () => {
    await other?.close();
    await server?.close();
    await db?.drop();
  });

  it('runs a key through its life with @ory/client: create (value once), use, list without values, delete → rejected at once on both processes', async () => {
    const slug = await project();
    const operator = ory(server.adminUrl, OPERATOR);
    const projectId = (await operator.getProject(slug)).data.id;
    const { data: created, status } = await operator.createProjectApiKey(projectId, { name: 'deploy bot' });
    expect(status).toBe(201);
    expect(created).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'deploy bot', owner_id: 'operator:1', project_id: projectId, value: expect.stringMatching(/^ory_pat_[A-Za-z0-9]{43}$/) });

    for (const base of [server.adminUrl, other.adminUrl]) {
      const asKey = ory(`${base}/realms/${slug}`, created.value);
      const { data: identity } = await asKey.adminCreateIdentity({ schema_id: 'default', traits: { email: `${slug}-${base.slice(-5)}@example.com` } });
      const { data: listed, status: listStatus } = await asKey.adminListIdentities();
      expect(listStatus).toBe(200);
      expect(listed.map((i) => i.id)).toContain(identity.id);
    }

    const { data: keys } = await operator.listProjectApiKeys(slug);
    expect(keys).toEqual([{ id: created.id, name: 'deploy bot', owner_id: 'operator:1', project_id: projectId }]);
    expect(JSON.stringify(keys)).not.toContain(created.value);

    const { status: deleted } = await operator.deleteProjectApiKey(slug, created.id);
    expect(deleted).toBe(204);
    for (const base of [server.adminUrl, other.adminUrl]) {
      const rejected = await oryFailure(ory(`${base}/realms/${slug}`, created.value).adminListIdentities());
      expect(rejected.status).toBe(401);
      expect(rejected.data).toMatchObject({ error: { code: 401, status: 'Unauthorized' } });
    }
    expect((await operator.listProjectApiKeys(slug)).data).toEqual([]);
    expect((await oryFailure(operator.deleteProjectApiKey(slug, created.id))).status).toBe(404);
  });

  it('stores keys hashed: the table holds the SHA-256 of the value, never the value', async () => {
    const slug = await project();
    const value = await newKey(slug, 'hashed');
    const rows = await server.registry.persistence.read('SELECT * FROM project_api_keys WHERE nid = ?', [slug]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ nid: slug, name: 'hashed', key_hash: createHash('sha256').update(value).digest('hex') });
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(value);
    expect(dump).not.toContain(value.slice('ory_pat_'.length, 20));
  });

  it("keeps a project key inside its project: another project's admin, /projects, /admin/realms and the default realm → 403", async () => {
    const [a, b] = [await project(), await project()];
    const key = await newKey(a);
    const as = (path: string, host?: string) => {
      const req = request(server.adminUrl).get(path).set('Authorization', `Bearer ${key}`);
      return host ? req.set('Host', host) : req;
    };
    expect((await as(`/realms/${a}/admin/identities`)).status).toBe(200);
    expect((await as('/admin/identities', `${a}${HOST_SUFFIX}`)).status).toBe(200);
    for (const [path, host] of [
      [`/realms/${b}/admin/identities`],
      ['/admin/identities', `${b}${HOST_SUFFIX}`],
      ['/admin/identities'],
      ['/realms/default/admin/identities'],
      [`/projects/${a}/tokens`],
      [`/realms/${a}/projects/${a}/tokens`],
      ['/admin/realms'],
      [`/realms/${a}/admin/realms`],
      [`/realms/${a}/ADMIN/realms`],
    ]) {
      const res = await as(path, host);
      expect([path, host, res.status]).toEqual([path, host, 403]);
      expect(res.body.error).toMatchObject({ code: 403, status: 'Forbidden' });
    }
    // Through @ory/client too, and in Hydra's flat shape on Hydra's admin paths.
    const denied = await oryFailure(ory(`${server.adminUrl}/realms/${b}`, key).adminListOAuth2Clients());
    expect(denied.status).toBe(403);
    expect(denied.data).toMatchObject({ error: 'request_forbidden', status_code: 403 });
    expect((await oryFailure(ory(server.adminUrl, key).listProjectApiKeys(a))).status).toBe(403);
    expect((await ory(`${server.adminUrl}/realms/${a}`, key).adminListOAuth2Clients()).status).toBe(200);
  });

  it('answers 401 without a key or with a wrong one, in the Ory envelope (Hydra flat on Hydra paths); health and version stay open', async () => {
    for (const auth of [undefined, 'Bearer wrong-key-wrong-key-wrong', `Basic ${Buffer.from(`x:${OPERATOR}`).toString('base64')}`, `Bearer ${OPERATOR}x`, 'Bearer ory_pat_doesnotexist']) {
      for (const path of ['/admin/identities', '/projects/x/tokens', '/admin/realms', '/realms/whatever/admin/identities']) {
        const req = request(server.adminUrl).get(path);
        const res = await (auth ? req.set('Authorization', auth) : req);
        expect([path, res.status]).toEqual([path, 401]);
        expect(res.body.error).toMatchObject({ code: 401, status: 'Unauthorized' });
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
      const req = request(server.adminUrl).get('/admin/clients');
      const hydra = await (auth ? req.set('Authorization', auth) : req);
      expect(hydra.status).toBe(401);
      expect(hydra.body).toMatchObject({ error: 'request_unauthorized', status_code: 401 });
    }
    const intro = await request(server.adminUrl).post('/admin/oauth2/introspect').type('form').send({ token: 'x' });
    expect(intro.status).toBe(401);
    for (const path of ['/health/alive', '/health/ready', '/version']) expect((await request(server.adminUrl).get(path)).status).toBe(200);
    // The public port never asks for admin keys.
    expect((await request(server.publicUrl).get('/self-service/registration/api')).status).toBe(200);
  });

  it('lets an operator key reach everything: the default realm, every project, the control plane', async () => {
    const a = await project();
    for (const key of [OPERATOR, SECOND_OPERATOR]) {
      for (const path of ['/admin/identities', '/admin/clients', '/admin/realms', `/realms/${a}/admin/identities`, `/projects/${a}/tokens`]) {
        const res = await request(server.adminUrl).get(path).set('Authorization', `Bearer ${key}`);
        expect([path, res.status]).toEqual([path, 200]);
      }
      expect((await request(server.adminUrl).get('/admin/identities').set('Host', `${a}${HOST_SUFFIX}`).set('Authorization', `Bearer ${key}`)).status).toBe(200);
    }
    const { data } = await ory(server.adminUrl, SECOND_OPERATOR).createProjectApiKey(a, { name: 'by the second operator' });
    expect(data.owner_id).toBe('operator:2');
  });

  it('answers 404 for an unknown project (and the default realm, which is no project), 400 for a bad name', async () => {
    const operator = ory(server.adminUrl, OPERATOR);
    for (const id of ['no-such-project', 'default', DEFAULT_PROJECT_ID]) {
      const res = await oryFailure(operator.createProjectApiKey(id, { name: 'x' }));
      expect(res.status).toBe(404);
      expect(res.data).toMatchObject({ error: { code: 404 } });
      expect((await oryFailure(operator.listProjectApiKeys(id))).status).toBe(404);
    }
    const slug = await project();
    for (const body of [{}, { name: '' }, { name: 7 }, { name: 'x'.repeat(256) }, []]) {
      const res = await request(server.adminUrl).post(`/projects/${slug}/tokens`).set('Authorization', `Bearer ${OPERATOR}`).send(body);
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.body.error.code).toBe(400);
    }
    expect((await oryFailure(operator.deleteProjectApiKey(slug, 'not-a-uuid'))).status).toBe(404);
    expect((await oryFailure(operator.deleteProjectApiKey(slug, '00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });

  it('a key deleted in another project is not touched by a delete naming the wrong project', async () => {
    const [a, b] = [await project(), await project()];
    const operator = ory(server.adminUrl, OPERATOR);
    const { data: key } = await operator.createProjectApiKey(a, { name: 'a' });
    expect((await oryFailure(operator.deleteProjectApiKey(b, key.id))).status).toBe(404);
    expect((await ory(`${server.adminUrl}/realms/${a}`, key.value).adminListIdentities()).status).toBe(200);
  });

  it("deleting the project's realm deletes its keys: the key stops working and no row is left", async () => {
    const slug = await project();
    const value = await newKey(slug, 'gone with the realm');
    expect((await request(server.adminUrl).delete(`/admin/realms/${slug}`).set('Authorization', `Bearer ${OPERATOR}`)).status).toBe(204);
    expect((await request(other.adminUrl).get(`/realms/${slug}/admin/identities`).set('Authorization', `Bearer ${value}`)).status).toBe(401);
    expect(await server.registry.persistence.read('SELECT id FROM project_api_keys WHERE nid = ?', [slug])).toEqual([]);
  });

  it('20 parallel uses while the key is deleted: no use sent after the delete answered succeeds, on either process', async () => {
    const slug = await project();
    const { data: key } = await ory(server.adminUrl, OPERATOR).createProjectApiKey(slug, { name: 'racing' });
    const results: { sentAt: number; status: number }[] = [];
    let deletedAt = Infinity;
    let stop = false;
    const worker = async (i: number): Promise<void> => {
      const base = i % 2 === 0 ? server.adminUrl : other.adminUrl;
      // Keep using the key until a full round has run after the delete answered.
      for (let afterDelete = 0; afterDelete < 2 && !stop; ) {
        const sentAt = performance.now();
        const res = await request(base).get(`/realms/${slug}/admin/identities`).set('Authorization', `Bearer ${key.value}`);
        results.push({ sentAt, status: res.status });
        if (sentAt > deletedAt) afterDelete++;
      }
    };
    const workers = Array.from({ length: 20 }, (_, i) => worker(i));
    await new Promise((r) => setTimeout(r, 50));
    const res = await request(server.adminUrl).delete(`/projects/${slug}/tokens/${key.id}`).set('Authorization', `Bearer ${OPERATOR}`);
    deletedAt = performance.now();
    expect(res.status).toBe(204);
    setTimeout(() => (stop = true), 20_000).unref();
    await Promise.all(workers);
    const after = results.filter((r) => r.sentAt > deletedAt);
    expect(after.length).toBeGreaterThanOrEqual(20);
    expect(after.filter((r) => r.status !== 401)).toEqual([]);
    expect(results.every((r) => r.status === 200 || r.status === 401)).toBe(true);
    expect(results.some((r) => r.status === 200)).toBe(true);
  });
});

describe('the admin plane without operator keys', () => {
  let server: RunningServer;
  const logs: string[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    server = await bootApps({ SERVE_ADMIN_HOST: '0.0.0.0' }, { logger: pino({ level: 'warn' }, stream) });
  });
  afterAll(() => server?.close());

  it('stays open as before (no key needed, a bearer header ignored) and warns at boot that the admin port is bound beyond loopback', async () => {
    expect((await request(server.adminUrl).get('/admin/identities')).status).toBe(200);
    expect((await request(server.adminUrl).get('/admin/identities').set('Authorization', 'Bearer whatever')).status).toBe(200);
    const warning = logs.map((l) => JSON.parse(l) as { msg: string; host?: string }).find((l) => l.msg.startsWith('the admin API is open'));
    expect(warning).toMatchObject({ host: '0.0.0.0' });
  });

  it('lets project keys be managed (owner "admin") and used on their project while the port is open', async () => {
    const name = `open-${Date.now().toString(36)}`;
    expect((await request(server.adminUrl).post('/admin/realms').send({ name })).status).toBe(201);
    const { data } = await ory(server.adminUrl).createProjectApiKey(name, { name: 'open' });
    expect(data.owner_id).toBe('admin');
    expect((await ory(`${server.adminUrl}/realms/${name}`, data.value).adminListIdentities()).status).toBe(200);
  });
});

describe('isLoopback (when an open admin port is worth a warning)', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['example.com', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});
