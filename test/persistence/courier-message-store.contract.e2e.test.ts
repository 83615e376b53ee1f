import { describeCourierMessageStoreContract } from '../../libs/courier/testing/courier-message-store.contract';
import { Persistence, TypeormCourierMessageStore } from '../../libs/persistence';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

for (const factory of databaseFactories()) {
  let db: TestDatabase;
  const connections: Persistence[] = [];
  afterAll(async () => {
    for (const p of connections) await p.close();
    await db?.drop();
  });
  describeCourierMessageStoreContract(factory.label, async () => {
    db = await factory.create();
    const persistence = new Persistence({ dsn: db.dsn });
    const peer = new Persistence({ dsn: db.dsn });
    connections.push(persistence, peer);
    await persistence.connect();
    await persistence.migrateUp();
    await peer.connect();
    return {
      store: new TypeormCourierMessageStore(persistence),
      peer: new TypeormCourierMessageStore(peer),
      reset: async () => {
        await persistence.dataSource.query('DELETE FROM courier_messages');
      },
    };
  });
}
