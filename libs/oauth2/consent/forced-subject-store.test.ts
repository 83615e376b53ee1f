import { MemoryForcedSubjectStore } from './forced-subject-store';
import { describeForcedSubjectStoreContract } from './testing/forced-subject-store.contract';

describeForcedSubjectStoreContract('memory', async () => new MemoryForcedSubjectStore());
