import { Configuration, V0alpha2Api } from '@ory/client';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { encodeSessionCookie } from '../../../libs/session';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { oryClient, oryFailure } from '../../helpers/ory-client';

jest.setTimeout(120_000);

const OPERATOR_KEY = 'operator-key-members-0123456789';

interface Operator {
  readonly id: string;
  readonly email: string;
  readonly token: string;
}

/** `@ory/client` on the admin port acting with a session token in `X-Session-Token` (Kratos' header). */
const withSessionHeader = (baseUrl: string, token: string): V0alpha2Api => new V0alpha2Api(new Configuration({ basePath: baseUrl, baseOptions: { headers: { 'X-Session-Token': token } } }));
/** `@ory/client` on the admin port with `Authorization: Bearer <token>` (its `oryAccessToken` scheme): a key or a session token. */
const withBearer = (baseUrl: string, token: string): V0alpha2Api => new V0alpha2Api(new Configuration({ basePath: baseUrl, accessToken: token }));

describe.each(databaseFactories().map((f) => [f.label, f] as const))('project members and operator sessions on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let n = 0;
  let operatorKey: V0alpha2Api;

  /** An operator signs up in the default realm with an API-mode registration and gets a session token. */
  async function signUp(): Promise<Operator> {
    const email = `operator-${++n}-${Date.now().toString(36)}@example.com`;
    const ory = oryClient(server.publicUrl);
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const { data } = await ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password: 'an operator passphrase 123', traits: { email } });
    return { id: data.identity.id, email, token: data.session_token! };
  }

  const name = (): string => `members-${++n}-${Date.now().toString(36)}`;
  const count = async (sql: string, params: unknown[]): Promise<number> => Number((await server.registry.persistence.read(sql, params))[0].n);

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({ DSN: db.dsn, ADMIN_API_KEYS: OPERATOR_KEY });
    operatorKey = withBearer(server.adminUrl, OPERATOR_KEY);
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('makes the session that creates a project its first member; GET /projects lists only its projects', async () => {
    const alice = await signUp();
    const asAlice = withSessionHeader(server.adminUrl, alice.token);
    const { data: created, status } = await asAlice.createProject({ name: name() });
    expect(status).toBe(201);
    const { data: others } = await operatorKey.createProject({ name: name() });

    const { data: members } = await asAlice.getProjectMembers(created.id);
    expect(members).toEqual([{ id: alice.id, email: alice.email, name: '' }]);
    const { data: listed } = await asAlice.listProjects();
    expect(listed.map((p) => p.id)).toEqual([created.id]);
    expect((await asAlice.getProject(created.id)).data.slug).toBe(created.slug);
    expect((await asAlice.getProject(created.slug)).data.id).toBe(created.id);
    // The bearer form of the same session, and the session cookie, work too.
    expect((await withBearer(server.adminUrl, alice.token).listProjects()).data.map((p) => p.id)).toEqual([created.id]);
    const cookie = encodeSessionCookie(alice.token, new Date(Date.now() + 3_600_000), server.registry.secrets.cookie);
    const viaCookie = await request(server.adminUrl).get('/projects').set('Cookie', `${server.registry.config.session.cookie.name}=${cookie}`);
    expect([viaCookie.status, viaCookie.body.map((p: { id: string }) => p.id)]).toEqual([200, [created.id]]);

    // A project she is no member of is a 404, for every method; so is the default project.
    for (const call of [
      asAlice.getProject(others.id),
      asAlice.getProjectMembers(others.id),
      asAlice.updateProject(others.id, { name: 'x', services: {} }),
      asAlice.patchProject(others.id, [{ op: 'replace', path: '/name', value: 'x' }]),
      asAlice.purgeProject(others.id),
      asAlice.listProjectApiKeys(others.id),
      asAlice.createProjectApiKey(others.id, { name: 'k' }),
      asAlice.getProject('default'),
    ]) {
      const failure = await oryFailure(call);
      expect(failure.status).toBe(404);
      expect(failure.data).toMatchObject({ error: { code: 404 } });
    }
    expect((await operatorKey.getProject(others.id)).data.name).toBe(others.name);
  });

  it('lets another operator in only once added by email; removing a member locks it out again; the last member stays', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const asAlice = withSessionHeader(server.adminUrl, alice.token);
    const asBob = withBearer(server.adminUrl, bob.token);
    const { data: project } = await asAlice.createProject({ name: name() });
    expect((await oryFailure(asBob.getProject(project.id))).status).toBe(404);
    expect((await oryFailure(asBob.getProjectMembers(project.id))).status).toBe(404);
    expect((await asBob.listProjects()).data).toEqual([]);
    // Bob cannot add himself.
    const selfAdd = await request(server.adminUrl).post(`/projects/${project.id}/members`).set('X-Session-Token', bob.token).send({ email: bob.email });
    expect(selfAdd.status).toBe(404);

    const add = (email: unknown) => request(server.adminUrl).post(`/projects/${project.id}/members`).set('X-Session-Token', alice.token).send({ email });
    const added = await add(bob.email.toUpperCase());
    expect([added.status, added.body]).toEqual([201, { id: bob.id, email: bob.email, name: '' }]);
    expect((await add(bob.email)).status).toBe(200);
    expect((await add('nobody@example.com')).body.error).toMatchObject({ code: 404 });
    expect((await add(42)).body.error).toMatchObject({ code: 400 });

    const { data: members } = await asBob.getProjectMembers(project.id);
    expect(members).toEqual([
      { id: alice.id, email: alice.email, name: '' },
      { id: bob.id, email: bob.email, name: '' },
    ]);
    expect((await asBob.listProjects()).data.map((p) => p.id)).toEqual([project.id]);
    const { data: key } = await asBob.createProjectApiKey(project.id, { name: 'bob' });
    expect(key.owner_id).toBe(bob.id);
    const { data: patched } = await asBob.patchProject(project.id, [{ op: 'replace', path: '/name', value: 'renamed by bob' }]);
    expect(patched.project.name).toBe('renamed by bob');

    const { status } = await asAlice.removeProjectMember(project.id, bob.id);
    expect(status).toBe(204);
    expect((await oryFailure(asBob.getProject(project.id))).status).toBe(404);
    expect((await asBob.listProjects()).data).toEqual([]);
    expect((await oryFailure(asAlice.removeProjectMember(project.id, bob.id))).status).toBe(404);
    expect((await oryFailure(asAlice.removeProjectMember(project.id, 'not-a-uuid'))).status).toBe(404);
    const last = await oryFailure(asAlice.removeProjectMember(project.id, alice.id));
    expect(last.status).toBe(409);
    expect(last.data).toMatchObject({ error: { code: 409, status: 'Conflict' } });
    expect((await asAlice.getProjectMembers(project.id)).data.map((m) => m.id)).toEqual([alice.id]);
  });

  it("keeps a session out of every admin API: /admin/identities, a project's realm admin API, /admin/realms → 403; a wrong session → 401", async () => {
    const alice = await signUp();
    const { data: project } = await withSessionHeader(server.adminUrl, alice.token).createProject({ name: name() });
    for (const path of ['/admin/identities', `/realms/${project.slug}/admin/identities`, '/admin/realms', '/admin/clients', `/realms/${project.slug}/projects`]) {
      for (const header of ['X-Session-Token', 'Authorization'] as const) {
        const res = await request(server.adminUrl)
          .get(path)
          .set(header, header === 'Authorization' ? `Bearer ${alice.token}` : alice.token);
        expect([path, header, res.status]).toEqual([path, header, 403]);
      }
    }
    const failure = await oryFailure(withSessionHeader(server.adminUrl, alice.token).adminListIdentities());
    expect(failure.status).toBe(403);
    expect(failure.data).toMatchObject({ error: { code: 403, status: 'Forbidden' } });
    for (const token of ['not-a-session', `${alice.token}x`]) {
      expect((await request(server.adminUrl).get('/projects').set('X-Session-Token', token)).status).toBe(401);
    }
    // A session of the project's own realm is no operator session: 401 on the admin port.
    const inRealm = oryClient(`${server.publicUrl}/realms/${project.slug}`);
    const { data: flow } = await inRealm.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const { data: user } = await inRealm.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password: 'a realm user passphrase 123', traits: { email: alice.email } });
    expect((await request(server.adminUrl).get('/projects').set('X-Session-Token', user.session_token!)).status).toBe(401);
    expect((await request(server.adminUrl).get(`/realms/${project.slug}/admin/identities`).set('X-Session-Token', user.session_token!)).status).toBe(401);
    // Signing out ends the admin access at once.
    await oryClient(server.publicUrl).submitSelfServiceLogoutFlowWithoutBrowser({ session_token: alice.token });
    expect((await oryFailure(withSessionHeader(server.adminUrl, alice.token).listProjects())).status).toBe(401);
  });

  it("refuses the session of a disabled operator (401) and accepts it again once re-enabled, as whoami does", async () => {
    const carol = await signUp();
    const asCarol = withSessionHeader(server.adminUrl, carol.token);
    const { data: project } = await asCarol.createProject({ name: name() });
    const state = (value: 'active' | 'inactive') => operatorKey.adminUpdateIdentity(carol.id, { schema_id: 'default', traits: { email: carol.email }, state: value });
    await state('inactive');
    expect((await oryFailure(asCarol.getProject(project.id))).status).toBe(401);
    await state('active');
    expect((await asCarol.getProject(project.id)).data.id).toBe(project.id);
  });

  it('lets an operator key reach every project and its members', async () => {
    const alice = await signUp();
    const { data: project } = await withSessionHeader(server.adminUrl, alice.token).createProject({ name: name() });
    expect((await operatorKey.listProjects()).data.map((p) => p.id)).toEqual(expect.arrayContaining([project.id, '51d8e9f3-3bc8-49c2-b47f-4451d52e6521']));
    expect((await operatorKey.getProjectMembers(project.id)).data).toEqual([{ id: alice.id, email: alice.email, name: '' }]);
    expect((await operatorKey.getProjectMembers('default')).data).toEqual([]);
    const toDefault = await request(server.adminUrl).post('/projects/default/members').set('Authorization', `Bearer ${OPERATOR_KEY}`).send({ email: alice.email });
    expect(toDefault.status).toBe(403);
  });

  it('keeps one member when the last two remove each other at the same time: one 204, the other 409 (or 404: no longer a member)', async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const asAlice = withSessionHeader(server.adminUrl, alice.token);
    const { data: project } = await asAlice.createProject({ name: name() });
    await request(server.adminUrl).post(`/projects/${project.id}/members`).set('X-Session-Token', alice.token).send({ email: bob.email }).expect(201);
    const statuses = await Promise.all([
      request(server.adminUrl).delete(`/projects/${project.id}/members/${bob.id}`).set('X-Session-Token', alice.token),
      request(server.adminUrl).delete(`/projects/${project.id}/members/${alice.id}`).set('X-Session-Token', bob.token),
    ]).then((all) => all.map((res) => res.status).sort());
    expect(statuses[0]).toBe(204);
    expect([404, 409]).toContain(statuses[1]);
    expect(await count('SELECT COUNT(*) AS n FROM project_members WHERE nid = ?', [project.slug])).toBe(1);
  });

  it("deletes memberships with the project (purge) and with the operator's identity", async () => {
    const [alice, bob] = [await signUp(), await signUp()];
    const asAlice = withSessionHeader(server.adminUrl, alice.token);
    const [{ data: kept }, { data: purged }] = [await asAlice.createProject({ name: name() }), await asAlice.createProject({ name: name() })];
    await request(server.adminUrl).post(`/projects/${kept.id}/members`).set('X-Session-Token', alice.token).send({ email: bob.email }).expect(201);
    expect(await count('SELECT COUNT(*) AS n FROM project_members WHERE nid = ?', [purged.slug])).toBe(1);

    expect((await asAlice.purgeProject(purged.id)).status).toBe(204);
    expect(await count('SELECT COUNT(*) AS n FROM project_members WHERE nid = ?', [purged.slug])).toBe(0);
    expect((await asAlice.listProjects()).data.map((p) => p.id)).toEqual([kept.id]);

    expect((await operatorKey.adminDeleteIdentity(alice.id)).status).toBe(204);
    expect(await count('SELECT COUNT(*) AS n FROM project_members WHERE identity_id = ?', [alice.id])).toBe(0);
    expect((await operatorKey.getProjectMembers(kept.id)).data).toEqual([{ id: bob.id, email: bob.email, name: '' }]);
    expect((await oryFailure(asAlice.listProjects())).status).toBe(401);
  });
});

describe('without admin.api_keys (the admin plane is open)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await bootApps();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ignores sessions: open means open — every caller sees every project, and a project created then has no member', async () => {
    const ory = oryClient(server.publicUrl);
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const { data } = await ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password: 'an operator passphrase 123', traits: { email: 'open@example.com' } });
    const asSession = withSessionHeader(server.adminUrl, data.session_token!);
    const { data: project } = await asSession.createProject({ name: 'open-project' });
    expect((await asSession.getProjectMembers(project.id)).data).toEqual([]);
    expect((await asSession.listProjects()).data.map((p) => p.slug)).toEqual(['default', 'open-project']);
    expect((await asSession.adminListIdentities()).status).toBe(200);
  });
});
