import { makeIdentity } from '../../libs/identity/testing/identity-pool.contract';
import { TypeormIdentityPool, TypeormSessionStore } from '../../libs/persistence';
import { describeSessionStoreContract } from '../../libs/session/testing/session-store.contract';
import { newId } from '../../libs/x';
import { databaseFactories, sharedPersistence } from '../helpers/databases';
import { testCtx } from '../../libs/x/testing';

const ctx = testCtx();

for (const factory of databaseFactories()) {
  const open = sharedPersistence(factory);
  describeSessionStoreContract(factory.label, async () => {
    const persistence = await open();
    const identities = new TypeormIdentityPool(persistence);
    return {
      store: new TypeormSessionStore(persistence),
      createIdentity: async () => {
        const identity = makeIdentity(`s-${newId().slice(0, 8)}@example.com`);
        await identities.create(ctx, identity);
        return identity.id;
      },
      deleteIdentity: async (id) => {
        await identities.delete(ctx, id);
      },
    };
  });
}
