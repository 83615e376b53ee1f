import { makeIdentity } from '../../libs/identity/testing/identity-pool.contract';
import { Persistence, TypeormIdentityPool, TypeormSessionStore } from '../../libs/persistence';
import { describeSessionStoreContract } from '../../libs/session/testing/session-store.contract';
import { newId } from '../../libs/x';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

for (const factory of databaseFactories()) {
  let db: TestDatabase;
  let persistence: Persistence;
  afterAll(async () => {
    await persistence?.close();
    await db?.drop();
  });
  describeSessionStoreContract(factory.label, async () => {
    db = await factory.create();
    persistence = new Persistence({ dsn: db.dsn });
    await persistence.connect();
    await persistence.migrateUp();
    const identities = new TypeormIdentityPool(persistence);
    return {
      store: new TypeormSessionStore(persistence),
      createIdentity: async () => {
        const identity = makeIdentity(`s-${newId().slice(0, 8)}@example.com`);
        await identities.create(identity);
        return identity.id;
      },
      deleteIdentity: async (id) => {
        await identities.delete(id);
      },
    };
  });
}
