import { CreateSecrets1700000000001 } from './1700000000001-create-secrets';
import { CreateIdentities1700000000002 } from './1700000000002-create-identities';
import { CreateSessionsAndFlows1700000000003 } from './1700000000003-create-sessions-and-flows';

/** Every migration, oldest first. Each runs on SQLite and MySQL/MariaDB. */
export const migrations = [CreateSecrets1700000000001, CreateIdentities1700000000002, CreateSessionsAndFlows1700000000003];
