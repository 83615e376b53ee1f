import { describeKeyStoreContract } from '../../libs/keys/testing/key-store.contract';
import { describeClientStoreContract } from '../../libs/oauth2/client/testing/client-store.contract';
import { Persistence, TypeormClientStore, TypeormKeyStore } from '../../libs/persistence';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

/** One migrated database per dialect serves every OAuth2 store contract (tests use unique keys). */
for (const factory of databaseFactories()) {
  let db: TestDatabase | undefined;
  let persistence: Persistence | undefined;
  const open = async (): Promise<Persistence> => {
    if (!persistence) {
      db = await factory.create();
      persistence = new Persistence({ dsn: db.dsn });
      await persistence.connect();
      await persistence.migrateUp();
    }
    return persistence;
  };
  afterAll(async () => {
    await persistence?.close();
    await db?.drop();
  });
  describeKeyStoreContract(factory.label, async () => new TypeormKeyStore(await open()));
  describeClientStoreContract(factory.label, async () => new TypeormClientStore(await open()));
}
