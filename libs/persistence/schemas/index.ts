import { CourierMessageSchema } from './courier-message.schema';
import { CredentialSchema, IdentifierSchema, IdentitySchema, RecoveryAddressSchema, VerifiableAddressSchema } from './identity.schema';
import { ChallengeSchema, ConsentSessionSchema, JwkSchema, LoginSessionSchema, LogoutRequestSchema, OAuth2ClientSchema } from './oauth2.schema';
import { SecretSchema } from './secret.schema';
import { ErrorSchema, FlowSchema, SessionSchema } from './session.schema';
import { TokenSchema } from './token.schema';
import { TrustGrantSchema, TrustJtiSchema } from './trust.schema';

/** Every table TypeORM maps. */
export const entitySchemas = [
  SecretSchema,
  IdentitySchema,
  CredentialSchema,
  IdentifierSchema,
  VerifiableAddressSchema,
  RecoveryAddressSchema,
  SessionSchema,
  FlowSchema,
  ErrorSchema,
  CourierMessageSchema,
  TokenSchema,
  JwkSchema,
  OAuth2ClientSchema,
  LoginSessionSchema,
  ConsentSessionSchema,
  ChallengeSchema,
  LogoutRequestSchema,
  TrustGrantSchema,
  TrustJtiSchema,
];
