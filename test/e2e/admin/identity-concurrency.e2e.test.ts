import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';

jest.setTimeout(180_000);

const PARALLEL = 20;

/**
 * Admin writes of one identity are serialised (each re-reads the identity under a row lock): parallel
 * JSON Patches all survive, parallel full replaces each answer 200 and the last one wins whole; parallel
 * creations of one email give one 201 and 409s (deadlocks are retried, never a 500).
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('parallel admin writes of one identity on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({ DSN: db.dsn });
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  async function createIdentity(email: string): Promise<string> {
    const res = await request(server.adminUrl).post('/admin/identities').send({ schema_id: 'default', traits: { email }, metadata_admin: {}, metadata_public: { n: 0 } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it(`${PARALLEL} parallel PATCHes adding distinct metadata keys: every change survives`, async () => {
    const id = await createIdentity('race-patch@example.com');
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => request(server.adminUrl).patch(`/admin/identities/${id}`).send([{ op: 'add', path: `/metadata_admin/key_${i}`, value: i }])),
    );
    expect(answers.map((r) => r.status)).toEqual(Array<number>(PARALLEL).fill(200));
    const after = await request(server.adminUrl).get(`/admin/identities/${id}`);
    expect(after.body.metadata_admin).toEqual(Object.fromEntries(Array.from({ length: PARALLEL }, (_, i) => [`key_${i}`, i])));
  });

  it(`${PARALLEL} parallel PATCHes incrementing through test-and-replace: exactly one wins per value`, async () => {
    const id = await createIdentity('race-test-op@example.com');
    // Each patch asserts the value it read (`test`) and replaces it: only serialised patches can all be checked.
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        request(server.adminUrl)
          .patch(`/admin/identities/${id}`)
          .send([
            { op: 'test', path: '/metadata_public/n', value: 0 },
            { op: 'replace', path: '/metadata_public/n', value: 1 },
          ]),
      ),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, ...Array<number>(PARALLEL - 1).fill(400)]);
    for (const lost of answers.filter((r) => r.status === 400)) expect(lost.body.error).toMatchObject({ code: 400, status: 'Bad Request' });
  });

  it(`${PARALLEL} parallel creations with one email: one 201, the others 409, none 500`, async () => {
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () => request(server.adminUrl).post('/admin/identities').send({ schema_id: 'default', traits: { email: 'race-create@example.com' } })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, ...Array<number>(PARALLEL - 1).fill(409)]);
    for (const lost of answers.filter((r) => r.status === 409)) expect(lost.body.error).toMatchObject({ code: 409, status: 'Conflict' });
  });

  it(`${PARALLEL} parallel PUTs: all answer 200 and the stored identity is one of them, whole`, async () => {
    const id = await createIdentity('race-put@example.com');
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        request(server.adminUrl)
          .put(`/admin/identities/${id}`)
          .send({ schema_id: 'default', state: 'active', traits: { email: `race-put-${i}@example.com` }, metadata_admin: { writer: i } }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array<number>(PARALLEL).fill(200));
    const after = await request(server.adminUrl).get(`/admin/identities/${id}`);
    const writer = after.body.metadata_admin.writer as number;
    expect(after.body.traits).toEqual({ email: `race-put-${writer}@example.com` });
    expect(after.body.verifiable_addresses.map((a: { value: string }) => a.value)).toEqual([`race-put-${writer}@example.com`]);
  });
});
