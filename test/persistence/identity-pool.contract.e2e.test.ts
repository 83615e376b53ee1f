import { describeIdentityPoolContract } from '../../libs/identity/testing/identity-pool.contract';
import { Persistence, TypeormIdentityPool } from '../../libs/persistence';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

for (const factory of databaseFactories()) {
  let db: TestDatabase;
  let persistence: Persistence;
  afterAll(async () => {
    await persistence?.close();
    await db?.drop();
  });
  describeIdentityPoolContract(factory.label, async () => {
    db = await factory.create();
    persistence = new Persistence({ dsn: db.dsn });
    await persistence.connect();
    await persistence.migrateUp();
    return new TypeormIdentityPool(persistence);
  });
}
