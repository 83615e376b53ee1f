import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { runCli } from '../../../apps/cli/src/cli';
import type { RunningServer } from '../../../apps/cli/src/server';
import { loadConfig } from '../../../libs/config';
import { type Registry, createRegistry } from '../../../libs/registry';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { eventually } from '../../helpers/eventually';

const REFRESH = '1s';

function cliIo(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: { LOG_LEVEL: 'silent', ...env } } };
}

describe.each(databaseFactories().map((f) => [f.label, f] as const))('stored realms on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  /** A second process's registry on the same database (no listeners: only `realms.get`). */
  let other: Registry;
  let n = 0;
  const fresh = (): string => `realm-${++n}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({ DSN: db.dsn, REALMS_REFRESH_INTERVAL: REFRESH });
    other = await createRegistry(loadConfig({ files: [resolve(__dirname, '../../../config/test.yaml')], env: { DSN: db.dsn, REALMS_REFRESH_INTERVAL: REFRESH } })).init();
  });
  afterAll(async () => {
    await other?.close();
    await server?.close();
    await db?.drop();
  });

  const admin = () => request(server.adminUrl);

  describe('addressing a stored realm', () => {
    it('serves a realm created through the admin API at /realms/{name} on both ports, and 404 once it is deleted', async () => {
      const name = fresh();
      expect((await admin().post('/admin/realms').send({ name })).status).toBe(201);

      const discovery = await request(server.publicUrl).get(`/realms/${name}/.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
      expect(discovery.body.issuer).toBe(`${server.publicUrl}/realms/${name}`);
      expect(discovery.body.token_endpoint).toBe(`${server.publicUrl}/realms/${name}/protocol/openid-connect/token`);

      const flow = await request(server.publicUrl).get(`/realms/${name}/self-service/registration/api`);
      expect(flow.status).toBe(200);
      expect(flow.body.ui.action).toBe(`${server.publicUrl}/realms/${name}/self-service/registration?flow=${flow.body.id}`);
      expect((await admin().get(`/realms/${name}/admin/identities`)).status).toBe(200);

      expect((await admin().delete(`/admin/realms/${name}`)).status).toBe(204);
      const gone = await request(server.publicUrl).get(`/realms/${name}/self-service/registration/api`);
      expect(gone.status).toBe(404);
      expect(gone.body.error.code).toBe(404);
    });
  });

  describe('deleting a realm deletes its data', () => {
    it('a realm created again under a deleted name starts empty; the default realm keeps its rows; default cannot be deleted', async () => {
      const name = fresh();
      const email = `${name}@example.com`;
      const defaultIdentity = await admin().post('/admin/identities').send({ schema_id: 'default', traits: { email } });
      expect(defaultIdentity.status).toBe(201);
      const defaultClient = await admin().post('/admin/clients').send({ client_name: name });
      expect(defaultClient.status).toBe(201);

      expect((await admin().post('/admin/realms').send({ name })).status).toBe(201);
      const identity = await admin().post(`/realms/${name}/admin/identities`).send({ schema_id: 'default', traits: { email } });
      expect(identity.status).toBe(201);
      const client = await admin().post(`/realms/${name}/admin/clients`).send({ client_name: name });
      expect(client.status).toBe(201);
      expect((await admin().get(`/realms/${name}/admin/identities`)).body.map((i: { id: string }) => i.id)).toEqual([identity.body.id]);
      expect((await admin().get(`/realms/${name}/admin/clients`)).body.map((c: { client_id: string }) => c.client_id)).toEqual([client.body.client_id]);

      expect((await admin().delete(`/admin/realms/${name}`)).status).toBe(204);
      expect((await admin().post('/admin/realms').send({ name })).status).toBe(201);
      const identities = await admin().get(`/realms/${name}/admin/identities`);
      expect(identities.status).toBe(200);
      expect(identities.body).toEqual([]);
      const clients = await admin().get(`/realms/${name}/admin/clients`);
      expect(clients.status).toBe(200);
      expect(clients.body).toEqual([]);
      expect((await admin().get(`/realms/${name}/admin/identities/${identity.body.id}`)).status).toBe(404);
      expect((await admin().get(`/realms/${name}/admin/clients/${client.body.client_id}`)).status).toBe(404);
      // The same email registers again in the re-created realm: no identifier row was left behind.
      expect((await admin().post(`/realms/${name}/admin/identities`).send({ schema_id: 'default', traits: { email } })).status).toBe(201);

      // The default realm's rows are untouched.
      const kept = await admin().get(`/admin/identities/${defaultIdentity.body.id}`);
      expect(kept.status).toBe(200);
      expect(kept.body.traits.email).toBe(email);
      expect((await admin().get(`/admin/clients/${defaultClient.body.client_id}`)).status).toBe(200);

      const refused = await admin().delete('/admin/realms/default');
      expect(refused.status).toBe(400);
      expect((await admin().get(`/admin/identities/${defaultIdentity.body.id}`)).status).toBe(200);
    });
  });

  describe('the admin endpoint', () => {
    it('creates (201), reads, lists, replaces (new revision) and deletes (204) a realm', async () => {
      const name = fresh();
      const created = await admin().post('/admin/realms').send({ name, config: { session: { lifespan: '1h' } } });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`${server.adminUrl}/admin/realms/${name}`);
      expect(created.body).toEqual({ name, config: { session: { lifespan: '1h' } }, revision: 1, created_at: expect.any(String), updated_at: expect.any(String) });

      const got = await admin().get(`/admin/realms/${name}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created.body);
      const list = await admin().get('/admin/realms');
      expect(list.status).toBe(200);
      expect(list.body.map((r: { name: string }) => r.name)).toContain(name);

      const replaced = await admin().put(`/admin/realms/${name}`).send({ config: { session: { lifespan: '2h' } } });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ name, revision: 2, config: { session: { lifespan: '2h' } } });

      expect((await admin().delete(`/admin/realms/${name}`)).status).toBe(204);
      const gone = await admin().get(`/admin/realms/${name}`);
      expect(gone.status).toBe(404);
      expect(gone.body.error).toMatchObject({ code: 404, status: 'Not Found' });
      expect((await admin().delete(`/admin/realms/${name}`)).status).toBe(404);
    });

    it('creates a realm with no config from the defaults', async () => {
      const name = fresh();
      const created = await admin().post('/admin/realms').send({ name });
      expect(created.status).toBe(201);
      expect(created.body.config).toEqual({});
      const realm = await server.registry.realms.get(name);
      expect(realm?.config.session.lifespan).toBe(24 * 3600_000);
    });

    it('refuses an invalid config with 400 naming the key, in the Ory envelope, and stores nothing', async () => {
      const name = fresh();
      const res = await admin().post('/admin/realms').send({ name, config: { selfservice: { flows: { login: { lifespan: 'later' } } } } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 400, status: 'Bad Request' });
      expect(res.body.error.reason).toMatch(/selfservice\.flows\.login\.lifespan: must be a duration/);
      expect((await admin().get(`/admin/realms/${name}`)).status).toBe(404);

      const processKey = await admin().post('/admin/realms').send({ name, config: { dsn: 'memory' } });
      expect(processKey.status).toBe(400);
      expect(processKey.body.error.reason).toMatch(/additional properties \(dsn\)/);

      const badSchema = await admin().post('/admin/realms').send({ name, config: { identity: { schemas: [{ id: 'x', url: 'base64://bm90IGpzb24=' }], default_schema_id: 'x' } } });
      expect(badSchema.status).toBe(400);
      expect(badSchema.body.error.reason).toMatch(/identity schema "x"/);
      expect((await admin().get(`/admin/realms/${name}`)).status).toBe(404);
    });

    it('refuses a PUT with an invalid config without a new revision', async () => {
      const name = fresh();
      await admin().post('/admin/realms').send({ name }).expect(201);
      const res = await admin().put(`/admin/realms/${name}`).send({ config: { session: { lifespan: 3 } } });
      expect(res.status).toBe(400);
      expect(res.body.error.reason).toMatch(/session\.lifespan/);
      expect((await admin().get(`/admin/realms/${name}`)).body.revision).toBe(1);
      expect((await admin().put(`/admin/realms/${name}`).send({})).status).toBe(400);
      expect((await admin().put('/admin/realms/no-such-realm').send({ config: {} })).status).toBe(404);
    });

    it('refuses bad and reserved names (400), and a taken name (409)', async () => {
      const name = fresh();
      await admin().post('/admin/realms').send({ name }).expect(201);
      const dup = await admin().post('/admin/realms').send({ name });
      expect(dup.status).toBe(409);
      expect(dup.body.error).toMatchObject({ code: 409, status: 'Conflict' });
      const reserved = await admin().post('/admin/realms').send({ name: 'default' });
      expect(reserved.status).toBe(400);
      expect(reserved.body.error.reason).toMatch(/configured by the configuration file/);
      for (const bad of ['Acme', 'a_b', '-a', 'x'.repeat(64), '']) {
        const res = await admin().post('/admin/realms').send({ name: bad });
        expect(res.status).toBe(400);
        expect(res.body.error.reason).toMatch(/lowercase letters/);
      }
      expect((await admin().post('/admin/realms').send({ config: {} })).status).toBe(400);
      expect((await admin().post('/admin/realms').send({ name: fresh(), extra: 1 })).status).toBe(400);
      expect((await admin().post('/admin/realms').send([])).status).toBe(400);
      expect((await admin().delete('/admin/realms/default')).status).toBe(400);
    });

    it('creates a name once under 20 parallel creates, and counts 20 parallel replaces', async () => {
      const name = fresh();
      const creates = await Promise.all(Array.from({ length: 20 }, () => admin().post('/admin/realms').send({ name })));
      expect(creates.map((r) => r.status).sort()).toEqual([201, ...Array(19).fill(409)]);
      const puts = await Promise.all(Array.from({ length: 20 }, (_, i) => admin().put(`/admin/realms/${name}`).send({ config: { session: { lifespan: `${i + 1}h` } } })));
      expect(puts.every((r) => r.status === 200)).toBe(true);
      expect((await admin().get(`/admin/realms/${name}`)).body.revision).toBe(21);
    });
  });

  describe('Registry.realms', () => {
    it('serves a stored realm from its own RealmRegistry; this process sees its own change and deletion at once', async () => {
      const name = fresh();
      await admin().post('/admin/realms').send({ name, config: { session: { lifespan: '1h' } } }).expect(201);
      const realm = await server.registry.realms.get(name);
      expect(realm).toBeDefined();
      expect(realm).not.toBe(server.registry.defaultRealm);
      expect(realm?.name).toBe(name);
      expect(realm?.config.session.lifespan).toBe(3600_000);
      expect(realm?.config.serve.public.base_url).toBe(`${server.publicUrl}/realms/${name}/`);

      await admin().put(`/admin/realms/${name}`).send({ config: { session: { lifespan: '3h' } } }).expect(200);
      expect((await server.registry.realms.get(name))?.config.session.lifespan).toBe(3 * 3600_000);
      await admin().delete(`/admin/realms/${name}`).expect(204);
      expect(await server.registry.realms.get(name)).toBeUndefined();
    });

    it('reaches another process on the same database within the refresh interval: created, changed, deleted', async () => {
      const name = fresh();
      expect(await other.realms.get(name)).toBeUndefined();
      await admin().post('/admin/realms').send({ name, config: {} }).expect(201);
      const first = await other.realms.get(name);
      expect(first?.config.selfservice.methods.totp.enabled).toBe(false);
      const dispose = jest.spyOn(first!, 'dispose');

      await admin().put(`/admin/realms/${name}`).send({ config: { selfservice: { methods: { totp: { enabled: true } } } } }).expect(200);
      await eventually(async () => ((await other.realms.get(name))?.config.selfservice.methods.totp.enabled === true ? true : undefined));
      expect(dispose).toHaveBeenCalledTimes(1);
      const second = await other.realms.get(name);
      expect(second).not.toBe(first);

      await admin().delete(`/admin/realms/${name}`).expect(204);
      const disposeSecond = jest.spyOn(second!, 'dispose');
      await eventually(async () => ((await other.realms.get(name)) === undefined ? true : undefined));
      expect(disposeSecond).toHaveBeenCalledTimes(1);
    });
  });

  describe('tessera realms', () => {
    it('creates from a realm file (prints the realm), lists, and deletes', async () => {
      const name = fresh();
      const dir = mkdtempSync(join(tmpdir(), 'tessera-realm-'));
      const file = join(dir, 'realm.yaml');
      writeFileSync(file, 'session:\n  lifespan: 2h\nselfservice:\n  methods:\n    totp:\n      enabled: true\n');

      const create = cliIo({ DSN: db.dsn });
      expect(await runCli(['realms', 'create', name, '--config', file], create.io)).toBe(0);
      expect(create.err).toEqual([]);
      expect(JSON.parse(create.out[0])).toMatchObject({ name, revision: 1, config: { session: { lifespan: '2h' }, selfservice: { methods: { totp: { enabled: true } } } } });
      // The running server sees the realm created by the CLI (another process, in effect).
      expect((await server.registry.realms.get(name))?.config.selfservice.methods.totp.enabled).toBe(true);
      expect((await admin().get(`/admin/realms/${name}`)).body.revision).toBe(1);

      const list = cliIo({ DSN: db.dsn });
      expect(await runCli(['realms', 'list'], list.io)).toBe(0);
      expect(list.out.map((l) => JSON.parse(l).name)).toContain(name);

      const dup = cliIo({ DSN: db.dsn });
      expect(await runCli(['realms', 'create', name], dup.io)).toBe(1);
      expect(dup.err.join('\n')).toMatch(/exists already/);

      const del = cliIo({ DSN: db.dsn });
      expect(await runCli(['realms', 'delete', name], del.io)).toBe(0);
      expect((await admin().get(`/admin/realms/${name}`)).status).toBe(404);
      const again = cliIo({ DSN: db.dsn });
      expect(await runCli(['realms', 'delete', name], again.io)).toBe(1);
      expect(again.err.join('\n')).toMatch(/does not exist/);
    });

    it('refuses an invalid realm file naming the key, a reserved name, and bad usage', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tessera-realm-'));
      const file = join(dir, 'realm.yaml');
      writeFileSync(file, 'session:\n  lifespan: whenever\n');
      const name = fresh();
      const bad = cliIo({ DSN: db.dsn });
      expect(await runCli(['realms', 'create', name, '--config', file], bad.io)).toBe(1);
      expect(bad.err.join('\n')).toMatch(/session\.lifespan: must be a duration/);
      expect((await admin().get(`/admin/realms/${name}`)).status).toBe(404);

      const reserved = cliIo({ DSN: db.dsn });
      expect(await runCli(['realms', 'create', 'default'], reserved.io)).toBe(1);
      expect(reserved.err.join('\n')).toMatch(/configured by the configuration file/);

      expect(await runCli(['realms'], cliIo({ DSN: db.dsn }).io)).toBe(2);
      expect(await runCli(['realms', 'create'], cliIo({ DSN: db.dsn }).io)).toBe(2);
      expect(await runCli(['realms', 'list', '--config', file], cliIo({ DSN: db.dsn }).io)).toBe(2);
      expect(await runCli(['realms', 'rename', 'a'], cliIo({ DSN: db.dsn }).io)).toBe(2);
    });
  });
});
