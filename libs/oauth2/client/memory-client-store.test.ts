import { MemoryClientStore } from './memory-client-store';
import { describeClientStoreContract } from './testing/client-store.contract';

describeClientStoreContract('memory', async () => new MemoryClientStore());
