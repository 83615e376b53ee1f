import { SecretSchema } from './secret.schema';

/** Every table TypeORM maps. */
export const entitySchemas = [SecretSchema];
