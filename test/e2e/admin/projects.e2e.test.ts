import type { Project, UiNode, UiNodeInputAttributes } from '@ory/client';
import request from 'supertest';
import { resolve } from 'node:path';
import type { RunningServer } from '../../../apps/cli/src/server';
import { loadConfig } from '../../../libs/config';
import { createRegistry } from '../../../libs/registry';
import { systemCtx } from '../../../libs/x';
import { DEFAULT_PROJECT_ID } from '../../../libs/project';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { eventually } from '../../helpers/eventually';
import { oryClient, oryFailure } from '../../helpers/ory-client';

/** A customer schema: email (password identifier) and a required company name. */
const CUSTOMER_SCHEMA = {
  $id: 'https://example.com/customer.schema.json',
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    traits: {
      type: 'object',
      properties: {
        email: {
          type: 'string',
          format: 'email',
          'ory.sh/kratos': { credentials: { password: { identifier: true }, totp: { account_name: true } } },
        },
        company: { type: 'string', minLength: 1 },
      },
      required: ['email', 'company'],
      additionalProperties: false,
    },
  },
};
const base64 = (value: unknown): string => `base64://${Buffer.from(JSON.stringify(value)).toString('base64')}`;

/** A service configuration, loosely typed for assertions. */
interface Json {
  readonly [key: string]: Json;
}

const names = (nodes: UiNode[]): string[] => nodes.map((n) => (n.attributes as UiNodeInputAttributes).name).filter(Boolean);
const groups = (nodes: UiNode[]): string[] => [...new Set(nodes.map((n) => n.group))];

describe.each(databaseFactories().map((f) => [f.label, f] as const))('projects on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let n = 0;
  const fresh = (): string => `Project ${++n} ${Date.now().toString(36)}`;

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({ DSN: db.dsn, REALMS_REFRESH_INTERVAL: '1s' });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const sdk = () => oryClient(server.adminUrl);
  const admin = () => request(server.adminUrl);
  const create = async (name = fresh()): Promise<Project> => (await sdk().createProject({ name })).data;

  /** Row counts of `nid = realm` in every table with a `nid` column (how realm deletion finds the tables). */
  async function realmRows(realm: string): Promise<Record<string, number>> {
    const ds = server.registry.persistence.dataSource;
    const mysql = ds.options.type === 'mysql';
    const tables = (
      (await ds.query(
        mysql
          ? "SELECT TABLE_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'nid'"
          : "SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'nid'",
      )) as { name: string }[]
    ).map((t) => t.name);
    const counts: Record<string, number> = {};
    for (const t of tables.sort()) {
      counts[t] = Number(((await ds.query(`SELECT COUNT(*) AS n FROM ${mysql ? `\`${t}\`` : `"${t}"`} WHERE nid = ?`, [realm])) as { n: number | string }[])[0].n);
    }
    return counts;
  }

  it('creates (201), lists and reads a project through @ory/client; its realm is served at /realms/{slug}', async () => {
    const res = await admin().post('/projects').send({ name: 'Acme Corp' });
    expect(res.status).toBe(201);
    const project = res.body as Project;
    expect(project).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Acme Corp',
      slug: 'acme-corp',
      state: 'running',
      revision_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      services: { identity: { config: expect.any(Object) }, oauth2: { config: expect.any(Object) } },
    });
    expect(res.headers.location).toBe(`${server.adminUrl}/projects/${project.id}`);
    const identity = project.services.identity!.config as Json;
    const oauth2 = project.services.oauth2!.config as Json;
    expect(identity.selfservice.methods.totp.enabled).toBe(false);
    expect(identity.session.lifespan).toBe('24h0m0s');
    expect(Object.keys(identity).sort()).toEqual(['cookies', 'courier', 'identity', 'selfservice', 'session']);
    expect(oauth2.ttl.access_token).toBe('1h0m0s');
    expect(Object.keys(oauth2).sort()).toEqual(['oauth2', 'oidc', 'strategies', 'ttl', 'urls', 'webfinger']);

    // The same name again gets a suffixed slug; a reserved one never takes the reserved name.
    const twin = await create('Acme Corp');
    expect(twin.slug).toMatch(/^acme-corp-[a-z0-9]{6}$/);
    expect((await create('Default')).slug).toMatch(/^default-[a-z0-9]{6}$/);
    expect((await create('  Café Zürich!! ')).name).toBe('Café Zürich!!');

    const { data: list } = await sdk().listProjects();
    const host = new URL(server.publicUrl).host;
    expect(list.find((p) => p.id === project.id)).toEqual({
      id: project.id,
      name: 'Acme Corp',
      slug: 'acme-corp',
      state: 'running',
      hosts: [host],
      created_at: expect.any(String),
      updated_at: expect.any(String),
      subscription_id: null,
    });
    expect(list.find((p) => p.slug === 'default')).toMatchObject({ id: DEFAULT_PROJECT_ID, name: 'default', state: 'running' });
    expect(list.map((p) => p.slug)).toEqual(expect.arrayContaining(['acme-corp', twin.slug, 'default']));

    expect((await sdk().getProject(project.id)).data).toEqual(project);
    const discovery = await request(server.publicUrl).get('/realms/acme-corp/.well-known/openid-configuration');
    expect(discovery.status).toBe(200);
    expect(discovery.body.issuer).toBe(`${server.publicUrl}/realms/acme-corp`);
    expect((await admin().get('/realms/acme-corp/projects')).status).toBe(404);
  });

  it('applies a PUT config (TOTP, a base64 identity schema, UI URLs, a token TTL) to the realm, new revision; the default realm is unchanged', async () => {
    const project = await create();
    const { data: updated } = await sdk().updateProject(project.id, {
      name: 'Renamed',
      services: {
        identity: {
          config: {
            version: 'v0.11.0',
            identity: { default_schema_id: 'customer', schemas: [{ id: 'customer', url: base64(CUSTOMER_SCHEMA) }] },
            selfservice: {
              methods: { totp: { enabled: true, config: { issuer: 'Acme' } } },
              flows: { registration: { ui_url: 'https://ui.example.com/registration' }, login: { ui_url: 'https://ui.example.com/login' } },
            },
          },
        },
        oauth2: { config: { urls: { login: 'https://ui.example.com/oauth2/login' }, ttl: { access_token: '2h' } } },
      },
    });
    expect(updated.warnings).toEqual([]);
    expect(updated.project).toMatchObject({ id: project.id, name: 'Renamed', slug: project.slug });
    expect(updated.project.revision_id).not.toBe(project.revision_id);
    const identity = updated.project.services.identity!.config as Json;
    expect(identity.selfservice.methods.totp).toEqual({ enabled: true, config: { issuer: 'Acme' } });
    expect(identity.identity.default_schema_id).toBe('customer');
    expect((updated.project.services.oauth2!.config as Json).ttl.access_token).toBe('2h0m0s');
    expect((updated.project.services.oauth2!.config as Json).urls.login).toBe('https://ui.example.com/oauth2/login');
    expect((await sdk().getProject(project.id)).data).toEqual(updated.project);

    // The project's realm: the custom traits register, TOTP shows in settings, the UI URLs are used.
    const ory = oryClient(`${server.publicUrl}/realms/${project.slug}`);
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    expect(names(flow.ui.nodes)).toEqual(expect.arrayContaining(['traits.email', 'traits.company']));
    const refused = await oryFailure(ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password: 'a project passphrase', traits: { email: 'x@example.com' } }));
    expect(refused.status).toBe(400);
    const { data: registered } = await ory.submitSelfServiceRegistrationFlow(flow.id, {
      method: 'password',
      password: 'a project passphrase',
      traits: { email: 'customer@example.com', company: 'Acme' },
    });
    expect(registered.identity.schema_id).toBe('customer');
    expect(registered.identity.traits).toEqual({ email: 'customer@example.com', company: 'Acme' });
    const { data: settings } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(registered.session_token);
    expect(groups(settings.ui.nodes)).toContain('totp');
    const browser = await request(server.publicUrl).get(`/realms/${project.slug}/self-service/registration/browser`);
    expect(browser.status).toBe(303);
    expect(browser.headers.location).toMatch(/^https:\/\/ui\.example\.com\/registration\?flow=/);

    // The default realm is unchanged: its schema, no TOTP.
    const def = oryClient(server.publicUrl);
    const { data: defFlow } = await def.initializeSelfServiceRegistrationFlowWithoutBrowser();
    expect(names(defFlow.ui.nodes)).not.toContain('traits.company');
    const { data: defRegistered } = await def.submitSelfServiceRegistrationFlow(defFlow.id, { method: 'password', password: 'a default passphrase', traits: { email: `default-${n}@example.com` } });
    const { data: defSettings } = await def.initializeSelfServiceSettingsFlowWithoutBrowser(defRegistered.session_token);
    expect(groups(defSettings.ui.nodes)).not.toContain('totp');
    expect((await request(server.publicUrl).get('/self-service/registration/browser')).headers.location).not.toMatch(/ui\.example\.com/);

    // Reading the config and writing it back changes nothing but the revision, and stores only the overrides.
    const stored = (await admin().get(`/admin/realms/${project.slug}`)).body.config;
    const again = await sdk().updateProject(project.id, { name: 'Renamed', services: updated.project.services });
    expect(again.data.warnings).toEqual([]);
    expect(again.data.project.revision_id).not.toBe(updated.project.revision_id);
    expect((await admin().get(`/admin/realms/${project.slug}`)).body.config).toEqual(stored);
    expect(stored.ttl).toEqual({ access_token: '2h0m0s' });

    // A PUT naming one service keeps the other.
    const { data: onlyOauth2 } = await sdk().updateProject(project.id, { name: 'Renamed', services: { oauth2: { config: {} } } });
    expect((onlyOauth2.project.services.oauth2!.config as Json).ttl.access_token).toBe('1h0m0s');
    expect((onlyOauth2.project.services.identity!.config as Json).selfservice.methods.totp.enabled).toBe(true);
  });

  it('warns about operational keys (serve.public.port, dsn, courier.smtp.connection_uri) and Ory Keto, applying the rest', async () => {
    const project = await create();
    const { data } = await sdk().updateProject(project.id, {
      name: project.name,
      services: {
        identity: {
          config: {
            serve: { public: { port: 4433 } },
            dsn: 'memory',
            courier: { smtp: { connection_uri: 'smtp://mail:25/', from_address: 'team@acme.example' } },
            session: { lifespan: '2h' },
          },
        },
        oauth2: { config: { log: { level: 'debug' }, strategies: { access_token: 'jwt' } } },
        permission: { config: { namespaces: [{ id: 0, name: 'files' }] } },
      },
    });
    const messages = data.warnings.map((w) => w.message ?? "");
    expect(data.warnings.every((w) => typeof w.code === 'number')).toBe(true);
    expect(messages).toHaveLength(5);
    for (const key of ['services.identity.config.serve.public.port', 'services.identity.config.dsn', 'services.identity.config.courier.smtp.connection_uri', 'services.oauth2.config.log.level']) {
      expect(messages.some((m) => m.startsWith(`${key} `))).toBe(true);
    }
    expect(messages.some((m) => /services\.permission \(Ory Keto\) is not supported/.test(m))).toBe(true);
    const identity = data.project.services.identity!.config as Json;
    expect(identity.session.lifespan).toBe('2h0m0s');
    expect(identity.courier.smtp.from_address).toBe('team@acme.example');
    expect(identity.serve).toBeUndefined();
    expect((data.project.services.oauth2!.config as Json).strategies.access_token).toBe('jwt');
    expect(data.project.services.permission).toEqual({ config: { namespaces: [{ id: 0, name: 'files' }] } });
    expect((await sdk().getProject(project.id)).data.services.permission).toEqual({ config: { namespaces: [{ id: 0, name: 'files' }] } });
  });

  it('refuses an invalid config with 400 naming the key (Ory envelope) and changes nothing; 403 for the default project; 404 for none', async () => {
    const project = await create();
    const before = (await sdk().getProject(project.id)).data;
    const cases: [unknown, RegExp][] = [
      [{ identity: { config: { selfservice: { methods: { totp: { enabled: 'maybe' } } } } } }, /services\.identity\.config\.selfservice\.methods\.totp\.enabled: must be boolean/],
      [{ oauth2: { config: { ttl: { access_token: 'soon' } } } }, /services\.oauth2\.config\.ttl\.access_token: must be a duration/],
      [{ identity: { config: { ttl: { access_token: '1h' } } } }, /services\.identity\.config\.ttl: is a key of the oauth2 service/],
      [{ identity: { config: { selfservice: { methods: { totp: { enabled: true } } }, bogus: 1 } } }, /services\.identity\.config\.bogus: is not a configuration key/],
      [{ identity: { config: { identity: { default_schema_id: 'x', schemas: [{ id: 'x', url: 'base64://bm90IGpzb24=' }] } } } }, /identity schema "x"/],
      [{ identity: { config: 'nope' } }, /services\.identity\.config: must be a JSON object/],
      [{ identity: { config: { identity: { default_schema_id: 'x', schemas: [{ id: 'x', url: 'file:///etc/hostname' }] } } } }, /services\.identity\.config\.identity\.schemas\.0\.url: the project API does not accept file:\/\/ URLs/],
      [{ identity: { config: { courier: { template_override_path: '/etc' } } } }, /services\.identity\.config\.courier\.template_override_path: the project API does not accept/],
      [{ keto: { config: {} } }, /services\.keto: is not a service/],
    ];
    for (const [services, reason] of cases) {
      const res = await admin().put(`/projects/${project.id}`).send({ name: 'Changed', services });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 400, status: 'Bad Request' });
      expect(res.body.error.reason).toMatch(reason);
    }
    expect((await admin().put(`/projects/${project.id}`).send({ services: {} })).body.error.reason).toMatch(/name: is required/);
    expect((await admin().put(`/projects/${project.id}`).send({ name: 'x'.repeat(256), services: {} })).status).toBe(400);
    expect((await admin().put(`/projects/${project.id}`).send({ name: 'x', services: {}, slug: 'other' })).body.error.reason).toMatch(/slug: is read-only/);
    expect((await sdk().getProject(project.id)).data).toEqual(before);

    for (const body of [{}, { name: 42 }, { name: '' }, { name: 'a', extra: 1 }, []]) {
      const res = await admin().post('/projects').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(400);
    }

    const put = await oryFailure(sdk().updateProject(DEFAULT_PROJECT_ID, { name: 'default', services: { identity: { config: {} } } }));
    expect(put.status).toBe(403);
    expect((put.data as { error: { reason: string } }).error.reason).toMatch(/configuration file and environment configure it/);
    expect((await oryFailure(sdk().patchProject(DEFAULT_PROJECT_ID, [{ op: 'replace', path: '/name', value: 'x' }]))).status).toBe(403);
    expect((await oryFailure(sdk().purgeProject(DEFAULT_PROJECT_ID))).status).toBe(403);
    const def = (await sdk().getProject(DEFAULT_PROJECT_ID)).data;
    expect(def).toMatchObject({ id: DEFAULT_PROJECT_ID, slug: 'default', state: 'running' });
    expect((def.services.identity!.config as Json).identity.schemas[0].id).toBe('default');

    const missing = await oryFailure(sdk().getProject('00000000-0000-4000-8000-000000000000'));
    expect(missing.status).toBe(404);
    expect((missing.data as { error: { code: number } }).error.code).toBe(404);
    expect((await oryFailure(sdk().updateProject('not-a-uuid', { name: 'x', services: {} }))).status).toBe(404);
  });

  it('patches the project document (RFC 6902); 20 parallel patches all apply', async () => {
    const project = await create();
    const { data } = await sdk().patchProject(project.id, [
      { op: 'replace', path: '/name', value: 'Patched' },
      { op: 'replace', path: '/services/identity/config/session/lifespan', value: '3h' },
      { op: 'add', path: '/services/identity/config/serve', value: { public: { port: 1 } } },
    ]);
    expect(data.project.name).toBe('Patched');
    expect((data.project.services.identity!.config as Json).session.lifespan).toBe('3h0m0s');
    expect(data.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^services\.identity\.config\.serve\.public\.port /)]);
    expect(data.project.revision_id).not.toBe(project.revision_id);

    // The default identity schema (a file:// URL of the installation) may stay next to a base64:// one.
    const { data: withSchema } = await sdk().patchProject(project.id, [{ op: 'add', path: '/services/identity/config/identity/schemas/-', value: { id: 'customer', url: base64(CUSTOMER_SCHEMA) } }]);
    expect(((withSchema.project.services.identity!.config as Json).identity.schemas as unknown as { id: string }[]).map((x) => x.id)).toEqual(['default', 'customer']);

    const bad = await oryFailure(sdk().patchProject(project.id, [{ op: 'replace', path: '/services/identity/config/nope/deeper', value: 1 }]));
    expect(bad.status).toBe(400);
    expect((await oryFailure(sdk().patchProject(project.id, [{ op: 'replace', path: '/services/identity/config/session/lifespan', value: 3 }]))).status).toBe(400);
    expect((await oryFailure(sdk().patchProject(project.id, [{ op: 'replace', path: '/id', value: DEFAULT_PROJECT_ID }]))).status).toBe(400);
    expect((await admin().patch(`/projects/${project.id}`).send({ op: 'replace' })).status).toBe(400);

    const urls = Array.from({ length: 20 }, (_, i) => `https://app${i}.example.com/`);
    const results = await Promise.all(urls.map((value) => sdk().patchProject(project.id, [{ op: 'add', path: '/services/identity/config/selfservice/allowed_return_urls/-', value }])));
    expect(new Set(results.map((r) => r.data.project.revision_id)).size).toBe(20);
    const { data: final } = await sdk().getProject(project.id);
    expect([...((final.services.identity!.config as Json).selfservice.allowed_return_urls as unknown as string[])].sort()).toEqual([...urls].sort());
    expect((await admin().get(`/admin/realms/${project.slug}`)).body.revision).toBe(23);
  });

  it('purges a project (204): every row of its realm is gone from every table, other projects keep theirs', async () => {
    const project = await create();
    const other = await create();
    const populate = async (slug: string): Promise<void> => {
      const ory = oryClient(`${server.publicUrl}/realms/${slug}`);
      const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
      await ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password: 'a purge passphrase', traits: { email: `${slug}@example.com` } });
      await oryClient(`${server.adminUrl}/realms/${slug}`).adminCreateOAuth2Client({ client_name: slug, grant_types: ['client_credentials'] });
      await admin().post(`/realms/${slug}/admin/keys/custom`).send({ alg: 'ES256', use: 'sig' }).expect(201);
    };
    await populate(project.slug);
    await populate(other.slug);
    const before = await realmRows(project.slug);
    for (const table of ['projects', 'identities', 'identity_credentials', 'sessions', 'selfservice_flows', 'oauth2_clients', 'oauth2_jwks']) {
      expect(before[table]).toBeGreaterThan(0);
    }
    const otherBefore = await realmRows(other.slug);

    const purges = await Promise.all([0, 1, 2].map(() => admin().delete(`/projects/${project.id}`)));
    expect(purges.map((r) => r.status).sort()).toEqual([204, 404, 404]);
    expect(Object.entries(await realmRows(project.slug)).filter(([, count]) => count > 0)).toEqual([]);
    expect(await realmRows(other.slug)).toEqual(otherBefore);
    expect((await oryFailure(sdk().getProject(project.id))).status).toBe(404);
    expect((await oryFailure(sdk().purgeProject(project.id))).status).toBe(404);
    expect((await sdk().listProjects()).data.map((p) => p.id)).not.toContain(project.id);
    expect((await admin().get(`/admin/realms/${project.slug}`)).status).toBe(404);
    expect((await request(server.publicUrl).get(`/realms/${project.slug}/self-service/registration/api`)).status).toBe(404);
    expect((await sdk().getProject(other.id)).data.slug).toBe(other.slug);
  });

  it('creates 20 projects of one name in parallel: 20 distinct slugs, each with its realm, no realm without a record', async () => {
    const base = `parallel-${++n}`;
    const created = await Promise.all(Array.from({ length: 20 }, () => sdk().createProject({ name: `Parallel ${n}` })));
    const slugs = created.map((r) => r.data.slug);
    expect(new Set(slugs).size).toBe(20);
    expect(slugs).toContain(base);
    expect(slugs.filter((slug) => slug !== base).every((slug) => new RegExp(`^${base}-[a-z0-9]{6}$`).test(slug))).toBe(true);
    const realms = ((await admin().get('/admin/realms')).body as { name: string }[]).map((r) => r.name).filter((r) => r.startsWith(base));
    expect(realms.sort()).toEqual([...slugs].sort());
    for (const slug of slugs) expect((await realmRows(slug)).projects).toBe(1);
  });

  it('reaches another process on the same database within the refresh interval', async () => {
    const other = await createRegistry(loadConfig({ files: [resolve(__dirname, '../../../config/test.yaml')], env: { DSN: db.dsn, REALMS_REFRESH_INTERVAL: '1s' } })).init();
    try {
      const project = await create();
      expect((await other.realms.get(project.slug))?.config.selfservice.methods.totp.enabled).toBe(false);
      await sdk().patchProject(project.id, [{ op: 'replace', path: '/services/identity/config/selfservice/methods/totp/enabled', value: true }]);
      await eventually(async () => ((await other.realms.get(project.slug))?.config.selfservice.methods.totp.enabled === true ? true : undefined));
      await sdk().purgeProject(project.id);
      await eventually(async () => ((await other.realms.get(project.slug)) === undefined ? true : undefined));
    } finally {
      await other.close();
    }
  });

  it('makes every realm a project: one stored through /admin/realms is listed (named after it), and deleting the realm deletes the project', async () => {
    const slug = `plain-realm-${n}`;
    await admin().post('/admin/realms').send({ name: slug, config: { session: { lifespan: '2h' } } }).expect(201);
    const listed = (await sdk().listProjects()).data.filter((p) => p.slug === slug);
    expect(listed).toEqual([expect.objectContaining({ name: slug, slug, state: 'running' })]);
    expect((await sdk().listProjects()).data.filter((p) => p.slug === slug)).toEqual(listed);
    const { data: project } = await sdk().getProject(listed[0].id);
    expect((project.services.identity!.config as Json).session.lifespan).toBe('2h0m0s');
    expect((await sdk().getProject(slug)).data.id).toBe(project.id);

    await admin().delete(`/admin/realms/${slug}`).expect(204);
    expect((await oryFailure(sdk().getProject(project.id))).status).toBe(404);
    expect((await realmRows(slug)).projects).toBe(0);
  });
});

describe('project hosts', () => {
  it('are {slug}{realm_host_suffix} when a suffix is set, else the public base URL host', async () => {
    const file = resolve(__dirname, '../../../config/test.yaml');
    const registry = await createRegistry(
      loadConfig({ files: [file], env: { SERVE_PUBLIC_BASE_URL: 'https://auth.example.com/', SERVE_PUBLIC_REALM_HOST_SUFFIX: '.auth.example.com' } }),
    ).init();
    try {
      const ctx = systemCtx(registry.logger);
      const project = await registry.projectService.create(ctx, 'Hosted');
      expect(project.hosts).toEqual(['hosted.auth.example.com']);
      expect((await registry.projectService.get(ctx, DEFAULT_PROJECT_ID)).hosts).toEqual(['auth.example.com']);
    } finally {
      await registry.close();
    }
  });
});
