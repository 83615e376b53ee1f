import { MemoryOidcPayloadStore } from './memory-oidc-payload-store';
import { describeOidcAdapterContract } from './testing/oidc-adapter.contract';

describeOidcAdapterContract('memory', async () => new MemoryOidcPayloadStore());
