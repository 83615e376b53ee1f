import { MemoryCourierMessageStore } from './memory-courier-message-store';
import { describeCourierMessageStoreContract } from './testing/courier-message-store.contract';

const store = new MemoryCourierMessageStore();
describeCourierMessageStoreContract('memory', async () => ({ store, peer: store, reset: async () => store.clear() }));
