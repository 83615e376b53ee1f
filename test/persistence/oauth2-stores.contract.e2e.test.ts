import { describeKeyStoreContract } from '../../libs/keys/testing/key-store.contract';
import { describeClientStoreContract } from '../../libs/oauth2/client/testing/client-store.contract';
import { describeConsentStoresContract } from '../../libs/oauth2/consent/testing/consent-stores.contract';
import { describeForcedSubjectStoreContract } from '../../libs/oauth2/consent/testing/forced-subject-store.contract';
import { describeOidcAdapterContract } from '../../libs/oauth2/provider/testing/oidc-adapter.contract';
import { describeJtiStoreContract, describeTrustGrantStoreContract } from '../../libs/oauth2/trust/testing/grant-store.contract';
import {
  TypeormClientStore,
  TypeormConsentSessionStore,
  TypeormForcedSubjectStore,
  TypeormHandledChallengeStore,
  TypeormKeyStore,
  TypeormLoginSessionStore,
  TypeormLogoutRequestStore,
  TypeormJtiStore,
  TypeormOidcPayloadStore,
  TypeormTrustGrantStore,
} from '../../libs/persistence';
import { databaseFactories, sharedPersistence } from '../helpers/databases';

/** One migrated database per dialect serves every OAuth2 store contract (tests use unique keys). */
for (const factory of databaseFactories()) {
  const open = sharedPersistence(factory);
  describeKeyStoreContract(factory.label, async () => new TypeormKeyStore(await open()));
  describeClientStoreContract(factory.label, async () => new TypeormClientStore(await open()));
  describeOidcAdapterContract(factory.label, async () => new TypeormOidcPayloadStore(await open()));
  describeTrustGrantStoreContract(factory.label, async () => new TypeormTrustGrantStore(await open()));
  describeJtiStoreContract(factory.label, async () => new TypeormJtiStore(await open()));
  describeForcedSubjectStoreContract(factory.label, async () => new TypeormForcedSubjectStore(await open()));
  describeConsentStoresContract(factory.label, async () => {
    const p = await open();
    return {
      loginSessions: new TypeormLoginSessionStore(p),
      consentSessions: new TypeormConsentSessionStore(p),
      handledChallenges: new TypeormHandledChallengeStore(p),
      logoutRequests: new TypeormLogoutRequestStore(p),
    };
  });
}
