import { MemoryRealmStore, RealmExistsError, type RealmStore } from '../../libs/config';
import { TypeormRealmStore } from '../../libs/persistence';
import { testCtx } from '../../libs/x/testing';
import { databaseFactories, sharedPersistence } from '../helpers/databases';

const ctx = testCtx();
let seq = 0;
const unique = (): string => `r${Date.now().toString(36)}-${(seq++).toString(36)}`;

/** The `RealmStore` contract, for the table (SQLite and MariaDB) and the memory store alike. */
function realmStoreContract(label: string, store: () => Promise<RealmStore>): void {
  describe(`RealmStore on ${label}`, () => {
    it('creates a realm at revision 1 and reads it back with its config as given', async () => {
      const s = await store();
      const name = unique();
      const config = { session: { lifespan: '1h' }, identity: { schemas: [{ id: 'x', url: 'base64://e30=' }] } };
      const created = await s.create(ctx, name, config);
      expect(created).toMatchObject({ name, revision: 1, config });
      expect(created.created_at).toBeInstanceOf(Date);
      expect(await s.get(ctx, name)).toEqual(created);
      expect((await s.list(ctx)).map((r) => r.name)).toContain(name);
    });

    it('refuses a second realm of the same name', async () => {
      const s = await store();
      const name = unique();
      await s.create(ctx, name, {});
      await expect(s.create(ctx, name, { session: {} })).rejects.toBeInstanceOf(RealmExistsError);
      expect((await s.get(ctx, name))?.config).toEqual({});
    });

    it('replaces the config and increments the revision; an unknown realm is not created', async () => {
      const s = await store();
      const name = unique();
      await s.create(ctx, name, {});
      const updated = await s.update(ctx, name, { cookies: { path: '/x' } });
      expect(updated).toMatchObject({ name, revision: 2, config: { cookies: { path: '/x' } } });
      expect(await s.update(ctx, unique(), {})).toBeUndefined();
    });

    it('counts every one of 20 concurrent updates (the revision is incremented in the database)', async () => {
      const s = await store();
      const name = unique();
      await s.create(ctx, name, {});
      await Promise.all(Array.from({ length: 20 }, (_, i) => s.update(ctx, name, { session: { lifespan: `${i + 1}h` } })));
      expect((await s.get(ctx, name))?.revision).toBe(21);
    });

    it('deletes once', async () => {
      const s = await store();
      const name = unique();
      await s.create(ctx, name, {});
      expect(await s.delete(ctx, name)).toBe(true);
      expect(await s.delete(ctx, name)).toBe(false);
      expect(await s.get(ctx, name)).toBeUndefined();
    });
  });
}

for (const factory of databaseFactories()) {
  const persistence = sharedPersistence(factory);
  realmStoreContract(factory.label, async () => new TypeormRealmStore(await persistence()));
}
const memory = new MemoryRealmStore();
realmStoreContract('memory', async () => memory);
