import bcryptjs from 'bcryptjs';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { oryClient } from '../../helpers/ory-client';

jest.setTimeout(180_000);

const hash = bcryptjs.hashSync('imported secret', 4);
const item = (email: string, first = 'imported'): Record<string, unknown> => ({
  traits: { email, name: { first } },
  credentials: { password: { config: { hashed_password: hash } } },
});
type Result = { action: 'create' | 'error'; identity?: string; patch_id?: string; error?: { code: number; status: string; id?: string; reason?: string; message: string } };

/**
 * Batch import (`PATCH /admin/identities`) lets the unique indexes decide: repeats within a batch and
 * identifiers stored already answer a per-item 409 while the other items of the same transaction chunk are
 * written; a failed item leaves no row behind; concurrent batches sharing identifiers create each one once.
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('batch import on %s', (_label, factory) => {
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

  const importBatch = async (identities: unknown[]): Promise<Result[]> => {
    const res = await request(server.adminUrl).patch('/admin/identities').send({ identities });
    expect(res.status).toBe(200);
    return res.body.identities as Result[];
  };
  const rowsOf = async (sql: string, params: unknown[]): Promise<number> => {
    const [row] = await server.registry.persistence.read(`SELECT COUNT(*) AS n FROM ${sql}`, params);
    return Number(row.n);
  };

  it('gives time-ordered (UUIDv7) ids that @ory/client reads back', async () => {
    const results = await importBatch([item('v7-a@example.com'), item('v7-b@example.com')]);
    const ids = results.map((r) => r.identity as string);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect(ids[1] > ids[0]).toBe(true);
    const fetched = await oryClient(server.adminUrl).adminGetIdentity(ids[1]);
    expect(fetched.data.credentials?.password?.identifiers).toEqual(['v7-b@example.com']);
    expect(fetched.data.verifiable_addresses?.[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('answers 409 per item for repeats and stored identifiers among hundreds of items, writing every other item and nothing of the failed ones', async () => {
    const stored = await request(server.adminUrl).post('/admin/identities').send(item('stored@example.com', 'first-owner'));
    expect(stored.status).toBe(201);
    // 450 items span three transaction chunks; the collisions sit in the middle of the first and the last.
    const batch = Array.from({ length: 450 }, (_, i) => item(`many${i}@example.com`));
    batch[100] = item('STORED@example.com', 'loser');
    batch[101] = item('many5@example.com', 'loser');
    batch[420] = item('stored@example.com', 'loser');
    const results = await importBatch(batch);
    const failed = results.flatMap((r, i) => (r.action === 'error' ? [i] : []));
    expect(failed).toEqual([100, 101, 420]);
    for (const i of failed) expect(results[i].error).toMatchObject({ code: 409, status: 'Conflict', id: 'identity_conflict' });
    expect(results[100].error).toMatchObject({ reason: 'An identity with the same identifier exists already.' });
    expect(results.filter((r) => r.action === 'create')).toHaveLength(447);
    // Nothing of the failed items: no identity with their traits, one identifier and one address each for the taken emails.
    expect(await rowsOf("identities WHERE traits LIKE '%loser%'", [])).toBe(0);
    expect(await rowsOf('identity_credential_identifiers WHERE identifier = ?', ['stored@example.com'])).toBe(1);
    expect(await rowsOf('identity_verifiable_addresses WHERE value = ?', ['stored@example.com'])).toBe(1);
    expect(await rowsOf('identity_recovery_addresses WHERE value = ?', ['many5@example.com'])).toBe(1);
    const owner = await request(server.adminUrl).get('/admin/identities').query({ credentials_identifier: 'stored@example.com' });
    expect(owner.body.map((i: { traits: { name: { first: string } } }) => i.traits.name.first)).toEqual(['first-owner']);
  });

  it('keeps the answer of an all-duplicate re-import: every item 409, nothing written', async () => {
    const emails = Array.from({ length: 250 }, (_, i) => `again${i}@example.com`);
    expect((await importBatch(emails.map((e) => item(e)))).every((r) => r.action === 'create')).toBe(true);
    const before = await rowsOf('identities', []);
    const again = await importBatch(emails.map((e) => item(e, 'loser')));
    expect(again.map((r) => r.error?.code)).toEqual(Array<number>(250).fill(409));
    expect(await rowsOf('identities', [])).toBe(before);
  });

  it('creates each identifier exactly once when concurrent batches overlap', async () => {
    const shared = Array.from({ length: 120 }, (_, i) => `shared${i}@example.com`);
    const batches = Array.from({ length: 4 }, (_, b) => {
      // Every batch holds all shared emails (in a different order) and 80 of its own.
      const own = Array.from({ length: 80 }, (_, i) => item(`own${b}-${i}@example.com`));
      const rotated = [...shared.slice(b * 30), ...shared.slice(0, b * 30)].map((e) => item(e, `batch${b}`));
      return b % 2 ? [...rotated, ...own] : [...own, ...rotated];
    });
    const answers = await Promise.all(batches.map((identities) => request(server.adminUrl).patch('/admin/identities').send({ identities })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const winners = new Map<string, number>();
    answers.forEach((a, b) =>
      (a.body.identities as Result[]).forEach((r, i) => {
        const email = (batches[b][i].traits as { email: string }).email;
        if (r.action === 'create') winners.set(email, (winners.get(email) ?? 0) + 1);
        else expect(r.error).toMatchObject({ code: 409 });
      }),
    );
    expect(shared.filter((e) => winners.get(e) !== 1)).toEqual([]);
    expect([...winners.values()].every((n) => n === 1)).toBe(true);
    expect(winners.size).toBe(120 + 4 * 80);
    expect(await rowsOf("identities WHERE traits LIKE '%shared%'", [])).toBe(120);
    expect(await rowsOf("identity_credential_identifiers WHERE identifier LIKE 'shared%'", [])).toBe(120);
  });
});
