import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import type { Identity } from '../../../libs/identity';
import type { ConsentSession } from '../../../libs/oauth2/consent';
import { encodePageToken, newId } from '../../../libs/x';
import { testCtx } from '../../../libs/x/testing';
import { bootApps } from '../../helpers/boot-apps';
import { type TestDatabase, databaseFactories } from '../../helpers/databases';
import { linksOf, pathOf } from '../../helpers/links';

const ctx = testCtx();
const IMPORTED = 2000;

/**
 * Issue 16, item 1: every admin list pages by keyset (`page_size` + `page_token`, Link `first`/`next`)
 * and still answers the old `page`/`per_page` with links a client can follow, on SQLite and MariaDB.
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('keyset pagination on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  const admin = () => request(server.adminUrl);
  let initial: string[] = [];

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({ DSN: db.dsn });
    for (let batch = 0; batch < IMPORTED / 1000; batch++) {
      const identities = Array.from({ length: 1000 }, (_, i) => ({ schema_id: 'default', traits: { email: `bulk-${batch}-${i}@example.com` } }));
      const res = await admin().patch('/admin/identities').send({ identities });
      expect(res.status).toBe(200);
    }
    initial = await pageAll('/admin/identities?page_size=1000');
    expect(initial).toHaveLength(IMPORTED);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  /** Every id of a list, following `rel="next"` from `first` (any parameter style). */
  async function pageAll(first: string, origin = server.adminUrl, headers: Record<string, string> = {}): Promise<string[]> {
    const ids: string[] = [];
    let next: string | undefined = first;
    while (next) {
      const res: request.Response = await request(origin).get(pathOf(next, origin)).set(headers);
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBeUndefined();
      ids.push(...res.body.map((row: { id?: string; client_id?: string; name?: string; consent_request?: { challenge: string } }) => row.id ?? row.client_id ?? row.name ?? row.consent_request?.challenge));
      next = linksOf(res.headers.link).next;
    }
    return ids;
  }

  /**
   * Pages through the identities with `first` and, between pages, creates 3 identities and deletes 3 of
   * the initial ones (some already seen, some not). Every initial identity never deleted shows up exactly
   * once; nothing shows up twice; nothing shows up that never existed.
   */
  async function churnPaging(first: string): Promise<void> {
    const seen: string[] = [];
    const created = new Set<string>();
    const deleted = new Set<string>();
    const alive = [...initial].filter((id) => !deletedBefore.has(id));
    let next: string | undefined = first;
    let pages = 0;
    while (next) {
      const res = await admin().get(pathOf(next, server.adminUrl));
      expect(res.status).toBe(200);
      seen.push(...res.body.map((i: { id: string }) => i.id));
      next = linksOf(res.headers.link).next;
      pages++;
      for (let i = 0; i < 3; i++) {
        const made = await admin().post('/admin/identities').send({ schema_id: 'default', traits: { email: `churn-${newId()}@example.com` } });
        created.add(made.body.id);
        const victim = alive.splice(Math.floor(Math.random() * alive.length), 1)[0] as string;
        expect((await admin().delete(`/admin/identities/${victim}`)).status).toBe(204);
        deleted.add(victim);
        deletedBefore.add(victim);
      }
    }
    expect(pages).toBeGreaterThan(10);
    expect(new Set(seen).size).toBe(seen.length);
    const survivors = initial.filter((id) => !deletedBefore.has(id));
    expect(survivors.filter((id) => !seen.includes(id))).toEqual([]);
    const known = new Set([...initial, ...created, ...createdBefore]);
    expect(seen.filter((id) => !known.has(id))).toEqual([]);
    for (const id of created) createdBefore.add(id);
  }
  const deletedBefore = new Set<string>();
  const createdBefore = new Set<string>();

  it('pages 2,000 identities by page_token while identities are created and deleted between pages: none missed or repeated', async () => {
    await churnPaging('/admin/identities?page_size=150');
  }, 180_000);

  it('does the same for the old page/per_page when the client follows the next links (@ory/client alpha.60 parameters)', async () => {
    const first = await admin().get('/admin/identities?per_page=150&page=0');
    expect(linksOf(first.headers.link).next).toContain('page_token=');
    await churnPaging('/admin/identities?per_page=150&page=0');
  }, 180_000);

  it('serves page N of the old parameters without a token by offset, in the keyset order', async () => {
    const all = await pageAll('/admin/identities?page_size=1000');
    const third = await admin().get('/admin/identities?per_page=100&page=2');
    expect(third.body.map((i: { id: string }) => i.id)).toEqual(all.slice(200, 300));
  });

  it('refuses bad page tokens and sizes with 400 in the Ory envelope', async () => {
    for (const query of ['page_token=%%%', 'page_token=garbage', `page_token=${encodePageToken(['x'])}`, 'page_size=0', 'page_size=1001', 'page_size=ten']) {
      const res = await admin().get(`/admin/identities?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 400, status: 'Bad Request' });
    }
  });

  it("binds nothing but a position: realm a's token read on realm b lists only b's rows after that position", async () => {
    const name = `pages-${Date.now().toString(36)}`;
    expect((await admin().post('/admin/realms').send({ name })).status).toBe(201);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await admin().post(`/realms/${name}/admin/identities`).send({ schema_id: 'default', traits: { email: `r${i}@example.com` } })).body.id);
    const inB = await pageAll(`/realms/${name}/admin/identities?page_size=2`);
    expect(inB).toEqual(made);
    const first = await admin().get(`/realms/${name}/admin/identities?page_size=2`);
    expect(linksOf(first.headers.link).next).toMatch(new RegExp(`^/realms/${name}/admin/identities\\?page_size=2&page_token=`));
    const fromA = await admin().get('/admin/identities?page_size=5');
    const tokenOfA = new URL(linksOf(fromA.headers.link).next as string, server.adminUrl).searchParams.get('page_token') as string;
    const read = await admin().get(`/realms/${name}/admin/identities?page_token=${tokenOfA}`);
    expect(read.status).toBe(200);
    expect(read.body.every((i: { id: string }) => made.includes(i.id))).toBe(true);
    expect(await pageAll('/admin/realms?page_size=1')).toEqual(expect.arrayContaining(['default', name].filter((n) => n !== 'default')));
    expect((await admin().delete(`/admin/realms/${name}`)).status).toBe(204);
  });

  it('pages every other admin list by page_token, and each page token continues where the last page ended', async () => {
    const identities = await admin().get('/admin/identities?page_size=3');
    const [alice, bob] = identities.body as Identity[];
    const registry = server.registry;
    for (let i = 0; i < 3; i++) await registry.sessionManager.issue(ctx, (await registry.identityPool.get(ctx, alice!.id)) as Identity, 'password', 'aal1', { ipAddress: '198.51.100.1', userAgent: `ua-${i}`, location: '' });
    await registry.sessionManager.issue(ctx, (await registry.identityPool.get(ctx, bob!.id)) as Identity, 'password', 'aal1', { ipAddress: '198.51.100.1', userAgent: 'bob', location: '' });
    for (let i = 0; i < 5; i++) await registry.courier.queueEmail(ctx, 'login_code_valid', { to: `pager-${i}@example.org`, login_code: String(i) });
    const owner = `owner-${newId()}`;
    for (let i = 0; i < 5; i++) expect((await admin().post('/admin/clients').send({ owner, client_name: `c${i}` })).status).toBe(201);
    const clients = await pageAll(`/admin/clients?owner=${owner}&page_size=2`);
    for (let i = 0; i < 5; i++) {
      await registry.consentSessionStore.create(ctx, consent('subject-1', clients[i % clients.length] as string, new Date(Date.UTC(2026, 0, 1, 0, 0, i))));
    }
    const iss = `https://issuer-${newId()}.example`;
    const jwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig' };
    for (let i = 0; i < 3; i++) {
      const res = await admin().post('/admin/trust/grants/jwt-bearer/issuers').send({ issuer: iss, subject: `s${i}`, scope: [], jwk: { ...jwk, kid: `k${i}` }, expires_at: '2099-01-01T00:00:00Z' });
      expect(res.status).toBe(201);
    }

    for (let i = 0; i < 3; i++) expect((await admin().post('/admin/realms').send({ name: `listed-${i}-${Date.now().toString(36)}` })).status).toBe(201);

    const lists: [string, string][] = [
      ['/admin/sessions?page_size=2', '/admin/sessions?page_size=1000'],
      [`/admin/identities/${alice!.id}/sessions?page_size=2`, `/admin/identities/${alice!.id}/sessions?page_size=1000`],
      ['/admin/courier/messages?page_size=2', '/admin/courier/messages?page_size=1000'],
      [`/admin/clients?owner=${owner}&page_size=2`, `/admin/clients?owner=${owner}&page_size=1000`],
      ['/admin/oauth2/auth/sessions/consent?subject=subject-1&page_size=2', '/admin/oauth2/auth/sessions/consent?subject=subject-1&page_size=1000'],
      [`/admin/trust/grants/jwt-bearer/issuers?issuer=${encodeURIComponent(iss)}&page_size=2`, `/admin/trust/grants/jwt-bearer/issuers?issuer=${encodeURIComponent(iss)}&page_size=1000`],
      ['/admin/realms?page_size=1', '/admin/realms?page_size=1000'],
    ];
    for (const [paged, whole] of lists) {
      const all = (await admin().get(whole)).body.map((row: { id?: string; client_id?: string; name?: string; consent_request?: { challenge: string } }) => row.id ?? row.client_id ?? row.name ?? row.consent_request?.challenge);
      expect([paged, all.length > 0]).toEqual([paged, true]);
      expect([paged, await pageAll(paged)]).toEqual([paged, all]);
      if (all.length > 1) expect(linksOf((await admin().get(paged)).headers.link).next).toBeDefined();
    }
    const hydraBad = await admin().get('/admin/oauth2/auth/sessions/consent?subject=subject-1&page_token=bad!');
    expect(hydraBad.status).toBe(400);
    expect(hydraBad.body).toMatchObject({ error: 'invalid_request' });
    expect((await admin().get('/admin/trust/grants/jwt-bearer/issuers?page_size=5000')).body).toMatchObject({ error: 'invalid_request' });
    expect((await admin().get('/admin/realms?page_token=bad!')).body.error).toMatchObject({ code: 400 });
  }, 120_000);
});

function consent(subject: string, clientId: string, handledAt: Date): ConsentSession {
  const challenge = newId();
  return {
    grantId: newId(),
    challenge,
    subject,
    clientId,
    loginSessionId: newId(),
    remember: true,
    rememberFor: 3600,
    skip: false,
    grantedScope: ['openid'],
    grantedAudience: [],
    session: { access_token: {}, id_token: {} },
    authenticatedAt: handledAt,
    acr: '1',
    amr: ['pwd'],
    request: { challenge, requested_scope: ['openid'] },
    handledAt,
    expiresAt: new Date('2099-01-01T00:00:00.000Z'),
  };
}
