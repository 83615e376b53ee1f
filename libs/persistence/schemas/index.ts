import { CredentialSchema, IdentifierSchema, IdentitySchema, RecoveryAddressSchema, VerifiableAddressSchema } from './identity.schema';
import { SecretSchema } from './secret.schema';

/** Every table TypeORM maps. */
export const entitySchemas = [SecretSchema, IdentitySchema, CredentialSchema, IdentifierSchema, VerifiableAddressSchema, RecoveryAddressSchema];
