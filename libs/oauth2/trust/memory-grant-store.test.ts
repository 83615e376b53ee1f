import { MemoryJtiStore, MemoryTrustGrantStore } from './memory-grant-store';
import { describeJtiStoreContract, describeTrustGrantStoreContract } from './testing/grant-store.contract';

describeTrustGrantStoreContract('memory', async () => new MemoryTrustGrantStore());
describeJtiStoreContract('memory', async () => new MemoryJtiStore());
