import { describeSecretStoreContract } from '../../libs/config/testing/secret-store.contract';
import { Persistence, TypeormSecretStore } from '../../libs/persistence';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

for (const factory of databaseFactories()) {
  const opened: { db: TestDatabase; persistence: Persistence }[] = [];
  afterAll(async () => {
    for (const { db, persistence } of opened) {
      await persistence.close();
      await db.drop();
    }
  });
  describeSecretStoreContract(factory.label, async () => {
    const db = await factory.create();
    const persistence = new Persistence({ dsn: db.dsn });
    await persistence.connect();
    await persistence.migrateUp();
    opened.push({ db, persistence });
    return new TypeormSecretStore(persistence);
  });
}
