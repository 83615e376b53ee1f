import { CreateSecrets1700000000001 } from './1700000000001-create-secrets';

/** Every migration, oldest first. Each runs on SQLite and MySQL/MariaDB. */
export const migrations = [CreateSecrets1700000000001];
