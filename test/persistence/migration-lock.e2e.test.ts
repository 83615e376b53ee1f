import { Persistence } from '../../libs/persistence';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

jest.setTimeout(120_000);

describe.each(databaseFactories())('migration lock on $label', (factory) => {
  let db: TestDatabase;
  const opened: Persistence[] = [];
  const open = async (): Promise<Persistence> => {
    const p = new Persistence({ dsn: db.dsn, poolSize: 2 });
    opened.push(p);
    await p.connect();
    return p;
  };
  beforeAll(async () => {
    db = await factory.create();
  });
  afterAll(async () => {
    await Promise.all(opened.map((p) => p.close()));
    await db.drop();
  });

  it('of concurrent migrateUp calls on separate connections, one applies every migration and the others none', async () => {
    const instances = await Promise.all([open(), open(), open(), open()]);
    const all = instances[0].dataSource.migrations.map((m) => m.name);
    expect(await instances[0].pendingMigrations()).toEqual(all);
    const results = await Promise.all(instances.map((p) => p.migrateUp()));
    expect(results.filter((r) => r.length > 0)).toEqual([all]);
    expect(results.filter((r) => r.length === 0)).toHaveLength(3);
    for (const p of instances) expect(await p.pendingMigrations()).toEqual([]);
  });

  it('lists what migrate down made pending again', async () => {
    const p = await open();
    await p.migrateDown();
    const last = p.dataSource.migrations.at(-1)!.name;
    expect(await p.pendingMigrations()).toEqual([last]);
    expect(await p.migrateUp()).toEqual([last]);
  });
});
