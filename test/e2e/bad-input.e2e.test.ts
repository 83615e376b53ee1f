import { resolve } from 'node:path';
import request from 'supertest';
import type { RunningServer } from '../../apps/cli/src/server';
import { MAX_BODY_DEPTH } from '../../libs/http';
import { MAX_IDENTIFIER_LENGTH } from '../../libs/identity';
import { bootApps } from '../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

jest.setTimeout(120_000);

/** JSON nested `n` levels deep (objects). */
const deep = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

/** A valid email of exactly 320 characters: a 64-character local part and a 255-character domain. */
const EMAIL_320 = `${'l'.repeat(64)}@${['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')}.${'d'.repeat(63)}`;

/** A schema whose email identifier has no maxLength: Tessera's own limit applies. */
const UNBOUNDED_SCHEMA = {
  type: 'object',
  properties: {
    traits: {
      type: 'object',
      properties: { email: { type: 'string', format: 'email', 'ory.sh/kratos': { credentials: { password: { identifier: true } }, verification: { via: 'email' }, recovery: { via: 'email' } } } },
      required: ['email'],
    },
  },
};

/** Row counts of every table but the migrations log. */
async function rowCounts(server: RunningServer): Promise<Record<string, number>> {
  const ds = server.registry.persistence.dataSource;
  const mysql = ds.options.type === 'mysql';
  const tables = ((await ds.query(mysql ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()' : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) as { name: string }[])
    .map((t) => t.name)
    .filter((t) => t !== 'migrations');
  const counts: Record<string, number> = {};
  for (const t of tables.sort()) counts[t] = Number(((await ds.query(`SELECT COUNT(*) AS n FROM ${mysql ? `\`${t}\`` : `"${t}"`}`)) as { n: number | string }[])[0].n);
  return counts;
}

describe.each(databaseFactories())('bad input is a clear 4xx and writes nothing ($label)', (factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let identityId: string;
  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({
      DSN: db.dsn,
      SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
      IDENTITY_SCHEMAS: JSON.stringify([
        { id: 'default', url: `file://${resolve(__dirname, '../../schemas/identity.default.schema.json')}` },
        { id: 'unbounded', url: `base64://${Buffer.from(JSON.stringify(UNBOUNDED_SCHEMA)).toString('base64')}` },
      ]),
    });
    const created = await request(server.adminUrl).post('/admin/identities').send({ schema_id: 'default', traits: { email: 'existing@example.com' }, metadata_public: { plan: 'free' } });
    expect(created.status).toBe(201);
    identityId = created.body.id as string;
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const expectOryBadRequest = (res: request.Response, reason: RegExp | string): void => {
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toMatchObject({ code: 400, status: 'Bad Request' });
    expect(res.body.error.reason).toMatch(reason);
  };

  it(`answers 400 for JSON nested deeper than ${MAX_BODY_DEPTH} levels on registration, login and admin create/update/patch, writing nothing`, async () => {
    const before = await rowCounts(server);
    const tooDeep = /nested more than 64 levels deep/;
    const registration = (await request(server.publicUrl).get('/self-service/registration/api')).body.id as string;
    const login = (await request(server.publicUrl).get('/self-service/login/api')).body.id as string;
    const after1 = await rowCounts(server);
    const json = (r: request.Test, body: string) => r.set('content-type', 'application/json').send(body);
    expectOryBadRequest(await json(request(server.publicUrl).post(`/self-service/registration?flow=${registration}`), `{"method":"password","password":"a long passphrase","traits":${deep(10_000)}}`), tooDeep);
    expectOryBadRequest(await json(request(server.publicUrl).post(`/self-service/login?flow=${login}`), `{"method":"password","password":"x","identifier":${deep(10_000)}}`), tooDeep);
    expectOryBadRequest(await json(request(server.adminUrl).post('/admin/identities'), `{"traits":{"email":"deep@example.com"},"metadata_public":${deep(10_000)}}`), tooDeep);
    expectOryBadRequest(await json(request(server.adminUrl).put(`/admin/identities/${identityId}`), `{"traits":{"email":"deep@example.com"},"metadata_public":${deep(10_000)}}`), tooDeep);
    expectOryBadRequest(await json(request(server.adminUrl).patch(`/admin/identities/${identityId}`), `[{"op":"replace","path":"/metadata_public","value":${deep(10_000)}}]`), tooDeep);
    // Form bodies nest by dotted names.
    const dotted = `${Array(10_000).fill('a').join('.')}=1&method=password`;
    expectOryBadRequest(await request(server.publicUrl).post(`/self-service/registration?flow=${registration}`).set('Accept', 'application/json').type('form').send(dotted), tooDeep);
    // Just within the limit is parsed (and then refused by validation, not by depth).
    const within = await json(request(server.adminUrl).post('/admin/identities'), `{"traits":{"email":"within@example.com"},"metadata_public":${deep(MAX_BODY_DEPTH - 1)}}`);
    expect(within.status).toBe(201);
    await request(server.adminUrl).delete(`/admin/identities/${within.body.id}`).expect(204);
    expect(await rowCounts(server)).toEqual(after1);
    expect(after1.selfservice_flows).toBe(before.selfservice_flows + 2);
    expect((await request(server.adminUrl).get(`/admin/identities/${identityId}`)).body.metadata_public).toEqual({ plan: 'free' });
  });

  it('stores a valid 320-character email through admin create and through registration', async () => {
    expect(EMAIL_320).toHaveLength(320);
    const created = await request(server.adminUrl).post('/admin/identities').send({ schema_id: 'default', traits: { email: EMAIL_320 }, credentials: { password: { config: { password: 'a long enough passphrase' } } } });
    expect(created.status).toBe(201);
    expect(created.body.verifiable_addresses[0].value).toBe(EMAIL_320);
    expect(created.body.credentials.password.identifiers).toEqual([EMAIL_320]);
    await request(server.adminUrl).delete(`/admin/identities/${created.body.id}`).expect(204);

    const flow = (await request(server.publicUrl).get('/self-service/registration/api')).body.id as string;
    const registered = await request(server.publicUrl).post(`/self-service/registration?flow=${flow}`).send({ method: 'password', password: 'a long enough passphrase', traits: { email: EMAIL_320 } });
    expect(registered.status).toBe(200);
    expect(registered.body.identity.traits.email).toBe(EMAIL_320);
    const login = (await request(server.publicUrl).get('/self-service/login/api')).body.id as string;
    const loggedIn = await request(server.publicUrl).post(`/self-service/login?flow=${login}`).send({ method: 'password', identifier: EMAIL_320, password: 'a long enough passphrase' });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body.session.identity.id).toBe(registered.body.identity.id);
  });

  it(`refuses identifiers and addresses longer than ${MAX_IDENTIFIER_LENGTH} characters with 400 on every database, writing nothing`, async () => {
    const before = await rowCounts(server);
    const email = (length: number): string => `${'l'.repeat(64)}@${'d'.repeat(length - 64 - 5)}.com`;
    const longest = await request(server.adminUrl).post('/admin/identities').send({ schema_id: 'unbounded', traits: { email: email(MAX_IDENTIFIER_LENGTH) } });
    expect(longest.status).toBe(201);
    expect(longest.body.recovery_addresses[0].value).toHaveLength(MAX_IDENTIFIER_LENGTH);
    await request(server.adminUrl).delete(`/admin/identities/${longest.body.id}`).expect(204);
    const res = await request(server.adminUrl).post('/admin/identities').send({ schema_id: 'unbounded', traits: { email: email(MAX_IDENTIFIER_LENGTH + 1) } });
    expectOryBadRequest(res, `I[#/traits/email] length must be <= ${MAX_IDENTIFIER_LENGTH}, but got ${MAX_IDENTIFIER_LENGTH + 1}`);
    const flow = (await request(server.publicUrl).get('/self-service/registration/api')).body.id as string;
    const registered = await request(server.publicUrl).post(`/self-service/registration?flow=${flow}`).send({ method: 'password', password: 'a long enough passphrase', schema_id: 'unbounded', traits: { email: email(2000) } });
    expect(registered.status).toBeGreaterThanOrEqual(400);
    expect(registered.status).toBeLessThan(500);
    // The default schema caps email at 320; its maxLength answers first.
    expectOryBadRequest(await request(server.adminUrl).post('/admin/identities').send({ schema_id: 'default', traits: { email: email(321) } }), /more than 320 characters/);
    expect(await rowCounts(server)).toEqual({ ...before, selfservice_flows: before.selfservice_flows + 1 });
  });

  it('answers 400 for a JSON Web Key Set name longer than 255 characters on every database, writing nothing', async () => {
    const before = await rowCounts(server);
    const set = 's'.repeat(256);
    const jwk = { kty: 'EC', crv: 'P-256', kid: 'k1', alg: 'ES256', use: 'sig', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
    for (const res of [
      await request(server.adminUrl).post(`/admin/keys/${set}`).send({ alg: 'ES256' }),
      await request(server.adminUrl).put(`/admin/keys/${set}`).send({ keys: [jwk] }),
      await request(server.adminUrl).put(`/admin/keys/${set}/k1`).send(jwk),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'Bad Request', error_description: 'The name of a JSON Web Key Set may be at most 255 characters.', status_code: 400 });
    }
    expect(await rowCounts(server)).toEqual(before);
    expect((await request(server.adminUrl).post(`/admin/keys/${'s'.repeat(255)}`).send({ alg: 'ES256' })).status).toBe(201);
  });

  it('answers 400 for login/consent accepts whose subject or remember_for exceed the columns; the longest allowed complete the flow', async () => {
    const client = await request(server.adminUrl).post('/admin/clients').send({ redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' });
    const browser = request.agent(server.publicUrl);
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    const auth = await browser.get(`/oauth2/auth?client_id=${client.body.client_id}&response_type=code&redirect_uri=http://127.0.0.1/cb&scope=openid&state=abcdefghij&code_challenge=${challenge}&code_challenge_method=S256`);
    const login = new URL(auth.headers.location as string).searchParams.get('login_challenge') as string;
    const accept = (kind: string, id: string, body: object) => request(server.adminUrl).put(`/admin/oauth2/auth/requests/${kind}/accept?${kind}_challenge=${id}`).send(body);
    const before = await rowCounts(server);
    for (const body of [{ subject: 's'.repeat(256) }, { subject: 'sub', force_subject_identifier: 'f'.repeat(256) }, { subject: 'sub', remember: true, remember_for: 2 ** 31 }]) {
      const res = await accept('login', login, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: expect.any(String), error_description: expect.stringMatching(/subject|remember_for/), status_code: 400 });
    }
    expect(await rowCounts(server)).toEqual(before);
    const accepted = await accept('login', login, { subject: 's'.repeat(255), remember: true, remember_for: 2 ** 31 - 1 });
    expect(accepted.status).toBe(200);
    const resumed = await browser.get(new URL(accepted.body.redirect_to as string).pathname);
    expect(resumed.status).toBe(303);
    const consent = new URL(resumed.headers.location as string).searchParams.get('consent_challenge') as string;
    expect((await accept('consent', consent, { grant_scope: ['openid'], remember: true, remember_for: 2 ** 31 })).status).toBe(400);
    const granted = await accept('consent', consent, { grant_scope: ['openid'], remember: true, remember_for: 2 ** 31 - 1 });
    expect(granted.status).toBe(200);
    const done = await browser.get(new URL(granted.body.redirect_to as string).pathname);
    expect(done.status).toBe(303);
    expect(done.headers.location).toMatch(/^http:\/\/127\.0\.0\.1\/cb\?code=/);
  });

  it('answers 400 for an admin recovery expires_in beyond Go\'s range and creates no flow', async () => {
    const before = await rowCounts(server);
    for (const path of ['/admin/recovery/code', '/admin/recovery/link']) {
      for (const expires of ['2562048h', `${'9'.repeat(400)}h`, '99999999999999h']) {
        const res = await request(server.adminUrl).post(path).send({ identity_id: identityId, expires_in: expires });
        expectOryBadRequest(res, /Unable to parse "expires_in"/);
      }
    }
    expect(await rowCounts(server)).toEqual(before);
    const ok = await request(server.adminUrl).post('/admin/recovery/code').send({ identity_id: identityId, expires_in: '2562047h' });
    expect(ok.status).toBe(201);
    expect(Number.isNaN(Date.parse(ok.body.expires_at))).toBe(false);
  });

  it('answers 400 for metadata that is not an object or null, and for a bad state, on create, update, patch and import; nothing is written', async () => {
    const before = await rowCounts(server);
    for (const metadata of ['a string', 42, true, [1, 2]]) {
      for (const key of ['metadata_public', 'metadata_admin']) {
        const create = await request(server.adminUrl).post('/admin/identities').send({ traits: { email: 'meta@example.com' }, [key]: metadata });
        expectOryBadRequest(create, `${key} must be a JSON object or null.`);
        const update = await request(server.adminUrl).put(`/admin/identities/${identityId}`).send({ traits: { email: 'existing@example.com' }, [key]: metadata });
        expectOryBadRequest(update, `${key} must be a JSON object or null.`);
        const patch = await request(server.adminUrl).patch(`/admin/identities/${identityId}`).send([{ op: 'replace', path: `/${key}`, value: metadata }]);
        expectOryBadRequest(patch, `${key} must be a JSON object or null.`);
      }
    }
    for (const state of [5, 'frozen', ['active']]) {
      expect((await request(server.adminUrl).post('/admin/identities').send({ traits: { email: 'state@example.com' }, state })).status).toBe(400);
      expect((await request(server.adminUrl).patch(`/admin/identities/${identityId}`).send([{ op: 'replace', path: '/state', value: state }])).status).toBe(400);
    }
    const imported = await request(server.adminUrl).patch('/admin/identities').send({ identities: [{ create: { traits: { email: 'import@example.com' }, metadata_public: 'a string' }, patch_id: 'p1' }] });
    expect(imported.status).toBe(200);
    expect(imported.body.identities[0]).toMatchObject({ action: 'error', patch_id: 'p1', error: { code: 400, reason: 'metadata_public must be a JSON object or null.' } });
    expect(await rowCounts(server)).toEqual(before);
    const current = await request(server.adminUrl).get(`/admin/identities/${identityId}`);
    expect(current.body.metadata_public).toEqual({ plan: 'free' });
    expect(current.body.state).toBe('active');
    // Objects and null are fine.
    const ok = await request(server.adminUrl).patch(`/admin/identities/${identityId}`).send([{ op: 'replace', path: '/metadata_admin', value: null }]);
    expect(ok.status).toBe(200);
  });

  it('answers POST /oauth2/device/verify without a session with the form again (400), whose resubmission works', async () => {
    const agent = request.agent(server.publicUrl);
    const first = await agent.post('/oauth2/device/verify').type('form').send({ user_code: 'BCDF-GHJK' });
    expect(first.status).toBe(400);
    expect(first.headers['content-type']).toMatch(/^text\/html/);
    expect(first.headers['x-request-id']).toBeDefined();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(first.text)?.[1];
    expect(xsrf).toBeDefined();
    // The re-rendered form belongs to a saved session: posting it gets past the CSRF check to the code lookup.
    const again = await agent.post('/oauth2/device/verify').type('form').send({ xsrf, user_code: 'BCDF-GHJK' });
    expect(again.status).toBe(200);
    expect(again.text).toContain('The code is incorrect or has expired');
    const stranger = await request(server.publicUrl).post('/oauth2/device/verify').type('form').send({ xsrf, user_code: 'BCDF-GHJK' });
    expect(stranger.status).toBe(400);
    expect(stranger.text).toContain('The code is incorrect or has expired');
  });

  it('answers every engine error under /oauth2 as OAuth2 JSON with X-Request-Id, never plain text', async () => {
    const cases: [string, string, number, string][] = [
      ['get', '/oauth2/nope', 404, 'not_found'],
      ['put', '/oauth2/token', 404, 'not_found'],
      ['get', '/oauth2/token', 404, 'not_found'],
      ['delete', '/oauth2/revoke', 404, 'not_found'],
      ['post', '/.well-known/jwks.json', 404, 'not_found'],
      ['patch', '/oauth2/device/verify', 404, 'not_found'],
    ];
    for (const [method, path, status, error] of cases) {
      const id = `req-${method}${path.replace(/\//g, '.')}`;
      const res = await request(server.publicUrl)[method as 'get'](path).set('X-Request-Id', id);
      expect({ path, status: res.status, type: res.headers['content-type'], body: res.body }).toEqual({ path, status, type: expect.stringMatching(/^application\/json/), body: { error, error_description: expect.any(String) } });
      expect(res.headers['x-request-id']).toBe(id);
    }
    // API endpoints answer JSON also to clients that accept HTML (no redirect to the error page).
    for (const path of ['/oauth2/token', '/oauth2/revoke', '/oauth2/device/auth']) {
      const res = await request(server.publicUrl).post(path).set('Accept', 'text/html').type('form').send({ grant_type: 'client_credentials' });
      expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({ path, status: expect.any(Number), type: expect.stringMatching(/^application\/json/) });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error).toEqual(expect.any(String));
    }
    // Browser endpoints still send browsers to the error page (Hydra).
    const auth = await request(server.publicUrl).get('/oauth2/auth').set('Accept', 'text/html');
    expect(auth.status).toBe(302);
    expect(auth.headers.location).toMatch(/\/oauth2\/fallbacks\/error\?error=invalid_request/);
  });
});
