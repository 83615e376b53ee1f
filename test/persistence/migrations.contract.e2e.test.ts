import { Persistence } from '../../libs/persistence';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { testCtx } from '../../libs/x/testing';

const ctx = testCtx();

describe.each(databaseFactories())('migrations on $label', (factory) => {
  let db: TestDatabase;
  let persistence: Persistence;
  beforeAll(async () => {
    db = await factory.create();
    persistence = new Persistence({ dsn: db.dsn });
    await persistence.connect();
  });
  afterAll(async () => {
    await persistence.close();
    await db.drop();
  });

  it('applies every migration, reverts them all, and applies them again', async () => {
    const total = persistence.dataSource.migrations.length;
    expect((await persistence.migrateUp()).length).toBe(total);
    expect((await persistence.migrationStatus()).every((m) => m.applied)).toBe(true);
    for (let i = 0; i < total; i++) await persistence.migrateDown();
    expect((await persistence.migrationStatus()).every((m) => !m.applied)).toBe(true);
    expect((await persistence.migrateUp()).length).toBe(total);
    expect(await persistence.migrateUp()).toEqual([]);
  });

  it('rolls a failed transaction back entirely', async () => {
    const repo = persistence.dataSource.getRepository('Secret');
    await expect(
      persistence.withTransaction(ctx, async (ctx) => {
        await persistence.manager(ctx.tx).getRepository('Secret').insert({ kind: 'rollback-test', value: ['x'], created_at: new Date() });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await repo.findOneBy({ kind: 'rollback-test' })).toBeNull();
  });
});
