import { describeIdentityPoolContract } from '../../libs/identity/testing/identity-pool.contract';
import { TypeormIdentityPool } from '../../libs/persistence';
import { databaseFactories, sharedPersistence } from '../helpers/databases';

for (const factory of databaseFactories()) {
  const open = sharedPersistence(factory);
  describeIdentityPoolContract(factory.label, async () => new TypeormIdentityPool(await open()));
}
