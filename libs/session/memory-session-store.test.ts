import { newId } from '../x';
import { MemorySessionStore } from './memory-session-store';
import { describeSessionStoreContract } from './testing/session-store.contract';

describeSessionStoreContract('memory', async () => ({ store: new MemorySessionStore(), createIdentity: async () => newId() }), { identityReferences: false });
