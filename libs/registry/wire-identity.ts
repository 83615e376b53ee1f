import { IdentityManager, IdentitySchemas } from '../identity';
import { TypeormIdentityPool } from '../persistence';
import { RealmCore } from './realm-core';

/** Identity: the realm's trait schemas, the identity pool and the manager. */
export abstract class IdentityWiring extends RealmCore {
  /** Loaded and compiled on first use; `init()` touches it so a bad schema stops boot. */
  get identitySchemas(): IdentitySchemas {
    return this.once('identitySchemas', () => IdentitySchemas.load(this.config.identity.schemas, this.config.identity.default_schema_id));
  }

  get privilegedIdentityPool(): TypeormIdentityPool {
    return this.once('identityPool', () => new TypeormIdentityPool(this.persistence, this.whoamiCache));
  }

  get identityPool(): TypeormIdentityPool {
    return this.privilegedIdentityPool;
  }

  get identityManager(): IdentityManager {
    return this.once('identityManager', () => new IdentityManager(this.deps));
  }
}
