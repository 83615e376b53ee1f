import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import request from 'supertest';
import { runCli } from '../../../apps/cli/src/cli';
import type { RunningServer } from '../../../apps/cli/src/server';
import { rawTimeParam } from '../../../libs/persistence/raw-values';
import { type Ctx, systemCtx, inRealm } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { eventually } from '../../helpers/eventually';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
const TOKENS = 5_000;

describe.each(databaseFactories().map((f) => [f.label, f] as const))('bounded deletes and the cleanup job on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  const env = (): Record<string, string> => ({ DSN: db.dsn, DATABASE_CLEANUP_INTERVAL: '0s' });

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps(env());
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const ctx = (realm = 'default'): Ctx => inRealm(systemCtx(server.registry.logger), realm);
  const time = (d: Date): unknown => rawTimeParam(server.registry.persistence.dialect, d);
  const count = async (table: string, realm: string, ids: readonly string[], column = 'id'): Promise<number> => {
    const [row] = await server.registry.persistence.read(`SELECT COUNT(*) AS n FROM ${table} WHERE nid = ? AND ${column} IN (${ids.map(() => '?').join(', ')})`, [realm, ...ids]);
    return Number(row.n);
  };

  async function client(): Promise<{ id: string; secret: string }> {
    const res = await request(server.adminUrl).post('/admin/clients').send({ grant_types: ['client_credentials'], scope: 'api' });
    expect(res.status).toBe(201);
    return { id: res.body.client_id, secret: res.body.client_secret };
  }

  async function token(c: { id: string; secret: string }): Promise<string> {
    const res = await request(server.publicUrl).post('/oauth2/token').auth(c.id, c.secret).type('form').send({ grant_type: 'client_credentials', scope: 'api' });
    expect(res.status).toBe(200);
    return res.body.access_token;
  }

  const active = async (t: string): Promise<boolean> => (await request(server.adminUrl).post('/admin/oauth2/introspect').type('form').send({ token: t })).body.active;

  it(`revokes a client's ${TOKENS} tokens in chunks: none usable once DELETE answered, other clients' tokens intact, concurrent requests answered`, async () => {
    const [a, b] = [await client(), await client()];
    const real = [await token(a), await token(a)];
    const other = await token(b);
    // The bulk of a's tokens, as the engine stores them (a row per token).
    const store = server.registry.oidcPayloadStore;
    const expiresAt = new Date(Date.now() + HOUR);
    for (let i = 0; i < TOKENS; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, TOKENS - i) }, (_, j) =>
          store.upsert(ctx(), { model: 'ClientCredentials', id: `bulk-${i + j}-${randomUUID()}`, payload: { kind: 'ClientCredentials', clientId: a.id, jti: 'x' }, clientId: a.id, expiresAt }),
        ),
      );
    }
    const revoking = request(server.adminUrl).delete(`/admin/oauth2/tokens?client_id=${encodeURIComponent(a.id)}`);
    const revoked = revoking.then((r) => r);
    // Requests issued while the revocation runs are answered (no starvation): completion asserted, not timing.
    const during = await Promise.all([token(b), active(other), token(b)]);
    expect(during[1]).toBe(true);
    expect((await revoked).status).toBe(204);
    for (const t of real) expect(await active(t)).toBe(false);
    const [left] = await server.registry.persistence.read('SELECT COUNT(*) AS n FROM oauth2_oidc_payloads WHERE nid = ? AND client_id = ?', ['default', a.id]);
    expect(Number(left.n)).toBe(0);
    expect(await active(other)).toBe(true);
    expect(await active(during[0])).toBe(true);
  });

  it('revokes an identity\'s 2,500 sessions in chunks, leaving the one kept and other identities\' sessions', async () => {
    const identity = async (): Promise<string> => (await request(server.adminUrl).post('/admin/identities').send({ schema_id: 'default', traits: { email: `${randomUUID()}@example.com` } })).body.id;
    const [mine, theirs] = [await identity(), await identity()];
    const session = (identityId: string) => ({
      id: randomUUID(), identityId, tokenHash: randomUUID(), active: true, aal: 'aal1' as const,
      authenticatedAt: new Date(), issuedAt: new Date(), expiresAt: new Date(Date.now() + HOUR), authenticationMethods: [], devices: [],
    });
    const sessions = Array.from({ length: 2_500 }, () => session(mine));
    const kept = sessions[0].id;
    const store = server.registry.sessionStore;
    for (let i = 0; i < sessions.length; i += 250) await Promise.all(sessions.slice(i, i + 250).map((s) => store.create(ctx(), s)));
    const foreign = session(theirs);
    await store.create(ctx(), foreign);
    expect(await store.revokeAllExcept(ctx(), mine, kept)).toBe(2_499);
    const [row] = await server.registry.persistence.read('SELECT COUNT(*) AS n FROM sessions WHERE nid = ? AND identity_id = ? AND active = ?', ['default', mine, server.registry.persistence.dialect === 'mysql' ? true : 1]);
    expect(Number(row.n)).toBe(1);
    expect((await store.get(ctx(), foreign.id))?.active).toBe(true);
    expect(await store.deleteForIdentity(ctx(), mine)).toBe(2_500);
    expect(await store.get(ctx(), foreign.id)).toBeDefined();
  });

  /** One row per age in each cleaned table of `realm`: expired two days ago, one hour ago, and live. Returns the ids per table and age. */
  async function seed(realm: string): Promise<Record<string, { old: string; recent: string; live: string }>> {
    const c = ctx(realm);
    const p = server.registry.persistence;
    const at = { old: new Date(Date.now() - 48 * HOUR), recent: new Date(Date.now() - HOUR), live: new Date(Date.now() + HOUR) };
    const ids: Record<string, { old: string; recent: string; live: string }> = {};
    const identityId = (await request(server.adminUrl).post(`${realm === 'default' ? '' : `/realms/${realm}`}/admin/identities`).send({ schema_id: 'default', traits: { email: `${randomUUID()}@example.com` } })).body.id as string;
    expect(identityId).toBeDefined();
    for (const age of ['old', 'recent', 'live'] as const) {
      const when = at[age];
      // Self-service flow through the public API, then aged.
      const flow = await request(server.publicUrl).get(`${realm === 'default' ? '' : `/realms/${realm}`}/self-service/login/api`);
      expect(flow.status).toBe(200);
      await p.execute('UPDATE selfservice_flows SET expires_at = ? WHERE nid = ? AND id = ?', [time(when), realm, flow.body.id]);
      const errorId = await server.registry.errorStore.create(c, { code: 500, message: 'x' });
      await p.execute('UPDATE selfservice_errors SET created_at = ? WHERE nid = ? AND id = ?', [time(when), realm, errorId]);
      const sessionId = randomUUID();
      await server.registry.sessionStore.create(c, { id: sessionId, identityId, tokenHash: randomUUID(), active: true, aal: 'aal1', authenticatedAt: when, issuedAt: when, expiresAt: when, authenticationMethods: [], devices: [] });
      const codeId = randomUUID();
      await server.registry.tokenStore.create(c, { id: codeId, kind: 'recovery', flowId: randomUUID(), identityId, address: 'a@example.com', secretHash: 'h', expiresAt: when, createdAt: when } as never);
      const messageId = randomUUID();
      await server.registry.courierMessageStore.create(c, {
        id: messageId, type: 'email', status: 'sent', recipient: 'a@example.com', subject: 's', body: 'b', templateType: 'recovery_code_valid', sendCount: 1, nextAttemptAt: when, createdAt: when, updatedAt: when,
      } as never);
      const payloadId = `payload-${randomUUID()}`;
      await server.registry.oidcPayloadStore.upsert(c, { model: 'AccessToken', id: payloadId, payload: {}, expiresAt: when });
      ids.selfservice_flows = { ...ids.selfservice_flows, [age]: flow.body.id };
      ids.selfservice_errors = { ...ids.selfservice_errors, [age]: errorId };
      ids.sessions = { ...ids.sessions, [age]: sessionId };
      ids.selfservice_tokens = { ...ids.selfservice_tokens, [age]: codeId };
      ids.courier_messages = { ...ids.courier_messages, [age]: messageId };
      ids.oauth2_oidc_payloads = { ...ids.oauth2_oidc_payloads, [age]: payloadId };
    }
    // A queued message, however old, is never cleaned.
    const queued = randomUUID();
    await server.registry.courierMessageStore.create(c, {
      id: queued, type: 'email', status: 'queued', recipient: 'a@example.com', subject: 's', body: 'b', templateType: 'recovery_code_valid', sendCount: 0, nextAttemptAt: at.old, createdAt: at.old, updatedAt: at.old,
    } as never);
    ids.queued = { old: queued, recent: queued, live: queued };
    return ids;
  }

  async function remaining(realm: string, ids: Record<string, { old: string; recent: string; live: string }>): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const [table, byAge] of Object.entries(ids)) {
      const t = table === 'queued' ? 'courier_messages' : table;
      out[table] = [];
      for (const age of ['old', 'recent', 'live'] as const) if ((await count(t, realm, [byAge[age]])) > 0) out[table].push(age);
    }
    return out;
  }

  it('tessera cleanup deletes only rows past the keep window, in every realm; --realm limits it; exits 0 with counts', async () => {
    const realm = `cleanup-${Date.now().toString(36)}`;
    expect((await request(server.adminUrl).post('/admin/realms').send({ name: realm })).status).toBe(201);
    const [inDefault, inRealm2] = [await seed('default'), await seed(realm)];
    const cli = async (args: string[]): Promise<{ code: number; out: string[] }> => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['cleanup', '--config', resolve(__dirname, '../../../config/test.yaml'), ...args], { out: (l) => out.push(l), err: (l) => err.push(l), env: { LOG_LEVEL: 'silent', DSN: db.dsn } });
      if (code !== 0) throw new Error(err.join('\n'));
      return { code, out };
    };

    // --realm: only that realm, keep window 24h → the two-day-old rows go, the hour-old and live ones stay.
    const first = await cli(['--realm', realm, '--keep-last', '24h', '--batch-size', '2']);
    expect(first.code).toBe(0);
    const cleaned = { selfservice_flows: ['recent', 'live'], selfservice_errors: ['recent', 'live'], sessions: ['recent', 'live'], selfservice_tokens: ['recent', 'live'], courier_messages: ['recent', 'live'], oauth2_oidc_payloads: ['recent', 'live'], queued: ['old', 'recent', 'live'] };
    expect(await remaining(realm, inRealm2)).toEqual(cleaned);
    expect(Object.values(await remaining('default', inDefault)).every((ages) => ages.length === 3)).toBe(true);
    expect(first.out).toContain(`${realm}\tselfservice_flows\t1`);
    expect(first.out).toContain(`${realm}\tcourier_messages\t1`);
    expect(first.out.at(-1)).toMatch(/^deleted \d+ rows$/);
    expect(first.out.some((l) => l.startsWith('default\t'))).toBe(false);

    // Every realm, keep window 0: everything expired goes, live rows stay.
    const second = await cli(['--keep-last', '0s']);
    expect(second.code).toBe(0);
    const live = { selfservice_flows: ['live'], selfservice_errors: ['live'], sessions: ['live'], selfservice_tokens: ['live'], courier_messages: ['live'], oauth2_oidc_payloads: ['live'], queued: ['old', 'recent', 'live'] };
    // Errors and sent messages are aged by creation: "live" ones were created in the future here, so they stay too.
    expect(await remaining(realm, inRealm2)).toEqual(live);
    expect(await remaining('default', inDefault)).toEqual(live);
    expect(second.out.some((l) => l.startsWith('default\t'))).toBe(true);
  });

  // Last: its sweeper (keep window 0) would clean the other tests' rows.
  it('serve sweeps expired rows in the background every database.cleanup.interval, leaving live ones', async () => {
    const flow = async (): Promise<string> => (await request(server.publicUrl).get('/self-service/login/api')).body.id;
    const [expired, live] = [await flow(), await flow()];
    await server.registry.persistence.execute('UPDATE selfservice_flows SET expires_at = ? WHERE nid = ? AND id = ?', [time(new Date(Date.now() - HOUR)), 'default', expired]);
    const sweeping = await bootApps({ DSN: db.dsn, DATABASE_CLEANUP_INTERVAL: '1s', DATABASE_CLEANUP_KEEP_LAST: '0s' });
    try {
      await eventually(async () => ((await count('selfservice_flows', 'default', [expired])) === 0 ? true : undefined), 60_000);
      expect(await count('selfservice_flows', 'default', [live])).toBe(1);
    } finally {
      await sweeping.close();
    }
  });

  it('refuses an unknown realm and bad flags', async () => {
    const err: string[] = [];
    const run = (args: string[]) => runCli(['cleanup', '--config', resolve(__dirname, '../../../config/test.yaml'), ...args], { out: () => undefined, err: (l) => err.push(l), env: { LOG_LEVEL: 'silent', DSN: db.dsn } });
    expect(await run(['--realm', 'no-such-realm'])).toBe(1);
    expect(await run(['--keep-last', 'soon'])).toBe(2);
    expect(await run(['--batch-size', '0'])).toBe(2);
    expect(await run(['--batch', '0'])).toBe(2);
    expect(await run(['--older-than', 'soon'])).toBe(2);
    // Issue 19's spelling: --older-than and --batch are aliases of --keep-last and --batch-size.
    expect(await run(['--older-than', '72h', '--batch', '1000'])).toBe(0);
    expect(err.join('\n')).toContain('no-such-realm');
  });
});
