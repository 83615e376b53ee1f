import { existsSync, readFileSync } from 'node:fs';
import type { JsonWebKey as SdkJsonWebKey, V0alpha2Api } from '@ory/client';
import Database from 'better-sqlite3';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { JWT_ACCESS_TOKEN_SET, OPENID_ID_TOKEN_SET, PRIVATE_JWK_MEMBERS, generateSigningKey, toPublicJwk } from '../../../libs/keys';
import { isUuid } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { sqliteFactory, type TestDatabase } from '../../helpers/databases';
import { oryClient, oryFailure } from '../../helpers/ory-client';

const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Members each key type carries privately. */
const PRIVATE_BY_KTY: Record<string, string[]> = { RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'], EC: ['d'], OKP: ['d'] };

const NOT_FOUND_SET = { error: 'Not Found', status_code: 404 };
const NOT_FOUND_KEY = { error: 'Unable to locate the resource', error_description: '', status_code: 404 };
const sdk = (key: object): SdkJsonWebKey => key as SdkJsonWebKey;

describe('admin JSON Web Key API (Hydra §5)', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let admin: V0alpha2Api;
  let n = 0;
  const setName = (): string => `e2e-set-${++n}`;

  beforeAll(async () => {
    db = await sqliteFactory.create();
    server = await bootApps({ DSN: db.dsn });
    admin = oryClient(server.adminUrl);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  describe('POST /admin/keys/{set} (adminCreateJsonWebKeySet)', () => {
    it.each(ALGS)('creates a %s key and answers 201 with only the new key, private parts included', async (alg) => {
      const set = setName();
      await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'existing', use: 'sig' });
      const res = await admin.adminCreateJsonWebKeySet(set, { alg, kid: `k-${alg}`, use: 'sig' });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`${server.registry.config.serve.public.base_url}keys/${set}`);
      expect(res.data.keys!).toHaveLength(1);
      const [key] = res.data.keys!;
      expect(key).toMatchObject({ alg, kid: `k-${alg}`, use: 'sig' });
      for (const member of PRIVATE_BY_KTY[key.kty]) expect(key).toHaveProperty(member, expect.any(String));
      const curves: Record<string, { kty: string; crv?: string }> = { ES256: { kty: 'EC', crv: 'P-256' }, ES384: { kty: 'EC', crv: 'P-384' }, ES512: { kty: 'EC', crv: 'P-521' }, EdDSA: { kty: 'OKP', crv: 'Ed25519' } };
      expect({ kty: key.kty, crv: key.crv }).toEqual(curves[alg] ?? { kty: 'RSA', crv: undefined });
      // The set grew; the new key is listed first.
      expect((await admin.adminGetJsonWebKeySet(set)).data.keys!.map((k) => k.kid)).toEqual([`k-${alg}`, 'existing']);
    });

    it('generates a UUID kid and use sig when both are empty', async () => {
      const { data } = await admin.adminCreateJsonWebKeySet(setName(), { alg: 'ES256', kid: '', use: '' });
      expect(isUuid(data.keys![0].kid)).toBe(true);
      expect(data.keys![0].use).toBe('sig');
    });

    it('answers 409 for a kid the set already holds', async () => {
      const set = setName();
      await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'dup', use: 'sig' });
      const res = await oryFailure(admin.adminCreateJsonWebKeySet(set, { alg: 'EdDSA', kid: 'dup', use: 'sig' }));
      expect(res.status).toBe(409);
      expect(res.data).toEqual({
        error: 'Unable to insert or update resource because a resource with that value exists already',
        error_description: `The JSON Web Key Set ${set} already holds a key with kid dup.`,
        status_code: 409,
      });
    });

    it.each(['HS256', 'HS512', 'RS1'])('answers 400 Unsupported key algorithm for %s', async (alg) => {
      const res = await oryFailure(admin.adminCreateJsonWebKeySet(setName(), { alg, kid: '', use: 'sig' }));
      expect(res.status).toBe(400);
      expect(res.data).toEqual({ error: 'Bad Request', error_description: 'Unsupported key algorithm', status_code: 400 });
    });

    it('answers 400 for a body without alg or with an unknown field', async () => {
      const noAlg = await request(server.adminUrl).post(`/admin/keys/${setName()}`).send({ kid: 'x', use: 'sig' });
      expect(noAlg.status).toBe(400);
      expect(noAlg.body).toMatchObject({ error: 'Bad Request', error_description: 'alg must be a string', status_code: 400 });
      const extra = await request(server.adminUrl).post(`/admin/keys/${setName()}`).send({ alg: 'ES256', use: 'sig', size: 4096 });
      expect(extra.status).toBe(400);
      expect(extra.body.error_description).toBe('property size is not allowed');
    });
  });

  describe('GET /admin/keys/{set} and /{kid}', () => {
    it('returns the set newest first with private keys, and one key in the set shape', async () => {
      const set = setName();
      const a = (await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'a', use: 'sig' })).data.keys![0];
      const b = (await admin.adminCreateJsonWebKeySet(set, { alg: 'EdDSA', kid: 'b', use: 'enc' })).data.keys![0];
      expect((await admin.adminGetJsonWebKeySet(set)).data).toEqual({ keys: [b, a] });
      const one = await admin.adminGetJsonWebKey(set, 'a');
      expect(one.status).toBe(200);
      expect(one.data).toEqual({ keys: [a] });
    });

    it('answers 404 for an unknown set and an unknown key', async () => {
      const unknownSet = await oryFailure(admin.adminGetJsonWebKeySet('no-such-set'));
      expect(unknownSet.status).toBe(404);
      expect(unknownSet.data).toMatchObject(NOT_FOUND_SET);
      const set = setName();
      await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'a', use: 'sig' });
      const unknownKey = await oryFailure(admin.adminGetJsonWebKey(set, 'zzz'));
      expect(unknownKey.status).toBe(404);
      expect(unknownKey.data).toEqual(NOT_FOUND_KEY);
      expect((await oryFailure(admin.adminGetJsonWebKey('no-such-set', 'a'))).status).toBe(404);
    });
  });

  describe('PUT /admin/keys/{set} (adminUpdateJsonWebKeySet)', () => {
    it('replaces the whole set and echoes it; the first key becomes the newest', async () => {
      const set = setName();
      await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'gone', use: 'sig' });
      const keys = [await generateSigningKey('ES384', 'x'), toPublicJwk(await generateSigningKey('RS256', 'y'))];
      const res = await admin.adminUpdateJsonWebKeySet(set, { keys: keys.map(sdk) });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ keys });
      expect((await admin.adminGetJsonWebKeySet(set)).data).toEqual({ keys });
      expect((await oryFailure(admin.adminGetJsonWebKey(set, 'gone'))).status).toBe(404);
    });

    it('answers 400 naming the bad key and leaves the set unchanged', async () => {
      const set = setName();
      const before = (await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'keep', use: 'sig' })).data;
      const good = await generateSigningKey('ES256', 'good');
      const cases: [unknown, string][] = [
        [{ keys: [good, { ...good, kid: 'bad', crv: 'P-384' }] }, 'keys.1: alg ES256 needs kty EC with crv P-384'],
        [{ keys: [{ ...good, alg: 'HS256' }] }, 'Unsupported key algorithm'],
        [{ keys: [{ ...good, d: 'AAAA' }] }, 'keys.0: the key material is not a valid ES256 key'],
        [{ keys: [{ kty: 'oct', kid: 'sym', alg: 'ES256', k: 'c2VjcmV0' }] }, 'member k is not allowed'],
        [{ keys: 'nope' }, 'keys must be array'],
      ];
      for (const [body, reason] of cases) {
        const res = await request(server.adminUrl).put(`/admin/keys/${set}`).send(body as object);
        expect([res.status, res.body.error]).toEqual([400, 'Bad Request']);
        expect(res.body.error_description).toContain(reason.replace('crv P-384', 'crv P-256'));
      }
      expect((await admin.adminGetJsonWebKeySet(set)).data).toEqual(before);
    });

    it('answers 409 for a body that repeats a kid', async () => {
      const key = await generateSigningKey('ES256', 'twice');
      expect((await oryFailure(admin.adminUpdateJsonWebKeySet(setName(), { keys: [sdk(key), sdk(key)] }))).status).toBe(409);
    });
  });

  describe('PUT /admin/keys/{set}/{kid} (adminUpdateJsonWebKey)', () => {
    it('inserts or replaces one key, echoes it, and makes it the newest', async () => {
      const set = setName();
      await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'a', use: 'sig' });
      await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'b', use: 'sig' });
      const replacement = await generateSigningKey('EdDSA', 'a');
      const res = await admin.adminUpdateJsonWebKey(set, 'a', sdk(replacement));
      expect(res.status).toBe(200);
      expect(res.data).toEqual(replacement);
      expect((await admin.adminGetJsonWebKeySet(set)).data.keys!.map((k) => [k.kid, k.alg])).toEqual([['a', 'EdDSA'], ['b', 'ES256']]);
      const fresh = await generateSigningKey('ES256', 'c');
      await admin.adminUpdateJsonWebKey(set, 'c', sdk(fresh));
      expect((await admin.adminGetJsonWebKey(set, 'c')).data).toEqual({ keys: [fresh] });
    });

    it('answers 400 when the body kid differs from the URL or the key is invalid', async () => {
      const set = setName();
      const key = await generateSigningKey('ES256', 'body-kid');
      const mismatch = await oryFailure(admin.adminUpdateJsonWebKey(set, 'url-kid', sdk(key)));
      expect(mismatch.status).toBe(400);
      expect(mismatch.data).toEqual({
        error: 'Bad Request',
        error_description: 'The kid of the JSON Web Key (body-kid) must match the kid in the URL (url-kid).',
        status_code: 400,
      });
      const invalid = await oryFailure(admin.adminUpdateJsonWebKey(set, 'body-kid', sdk({ ...key, alg: 'HS256' })));
      expect(invalid.status).toBe(400);
      expect(invalid.data).toMatchObject({ error_description: 'Unsupported key algorithm' });
      expect((await oryFailure(admin.adminGetJsonWebKeySet(set))).status).toBe(404);
    });
  });

  describe('DELETE /admin/keys/{set} and /{kid}', () => {
    it('deletes a key, then the set (204); deleting again is still 204 as in Hydra', async () => {
      const set = setName();
      await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'a', use: 'sig' });
      await admin.adminCreateJsonWebKeySet(set, { alg: 'ES256', kid: 'b', use: 'sig' });
      expect((await admin.adminDeleteJsonWebKey(set, 'a')).status).toBe(204);
      expect((await oryFailure(admin.adminGetJsonWebKey(set, 'a'))).status).toBe(404);
      expect((await admin.adminGetJsonWebKeySet(set)).data.keys!.map((k) => k.kid)).toEqual(['b']);
      expect((await admin.adminDeleteJsonWebKey(set, 'a')).status).toBe(204);
      expect((await admin.adminDeleteJsonWebKeySet(set)).status).toBe(204);
      expect((await oryFailure(admin.adminGetJsonWebKeySet(set))).data).toMatchObject(NOT_FOUND_SET);
      expect((await admin.adminDeleteJsonWebKeySet(set)).status).toBe(204);
    });
  });

  describe('storage', () => {
    it('keeps no private key material in clear text in the SQLite database', async () => {
      const set = setName();
      const created: SdkJsonWebKey[] = [];
      for (const alg of ['RS256', 'ES512', 'EdDSA']) created.push((await admin.adminCreateJsonWebKeySet(set, { alg, kid: alg, use: 'sig' })).data.keys![0]);
      created.push(...(await admin.adminUpdateJsonWebKeySet(set, { keys: [sdk(await generateSigningKey('PS384', 'put'))] })).data.keys!);
      const secrets = created.flatMap((key) => PRIVATE_JWK_MEMBERS.map((m) => (key as unknown as Record<string, unknown>)[m]).filter((v): v is string => typeof v === 'string'));
      expect(secrets.length).toBeGreaterThanOrEqual(9);

      const path = db.dsn.replace(/^sqlite:\/\//, '');
      const raw = new Database(path, { readonly: true, fileMustExist: true });
      try {
        const rows = raw.prepare('SELECT kid, alg, key_use, key_data FROM oauth2_jwks WHERE set_id = ?').all(set) as { kid: string; key_data: string }[];
        expect(rows.map((r) => r.kid).sort()).toEqual(['put']);
        const all = raw.prepare('SELECT key_data FROM oauth2_jwks').all() as { key_data: string }[];
        for (const row of all) {
          expect(row.key_data).toMatch(/^aes256gcm\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
          expect(row.key_data).not.toMatch(/"(d|p|q|dp|dq|qi|k)"/);
        }
      } finally {
        raw.close();
      }
      // Every byte SQLite wrote (database and write-ahead log), not only the rows we chose to read.
      const bytes = [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p).toString('latin1')).join('');
      for (const secret of secrets) expect(bytes.includes(secret)).toBe(false);
    });
  });

  describe('published keys', () => {
    it('publicJwks() holds the public form of the broadcast sets only', async () => {
      await admin.adminCreateJsonWebKeySet(OPENID_ID_TOKEN_SET, { alg: 'RS256', kid: 'published-rsa', use: 'sig' });
      await admin.adminCreateJsonWebKeySet('private-set', { alg: 'ES256', kid: 'never-published', use: 'sig' });
      const jwks = await server.registry.keyManager.publicJwks();
      const kids = jwks.keys.map((k) => k.kid);
      expect(kids[0]).toBe('published-rsa');
      expect(kids).not.toContain('never-published');
      expect(kids).toEqual(
        expect.arrayContaining((await server.registry.keyManager.getSet(JWT_ACCESS_TOKEN_SET)).map((k) => k.kid)),
      );
      for (const key of jwks.keys) for (const member of PRIVATE_JWK_MEMBERS) expect(key).not.toHaveProperty(member);
    });
  });
});
