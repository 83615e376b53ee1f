/** Kratos credentials types. */
export type CredentialsType = 'password' | 'oidc' | 'totp' | 'lookup_secret' | 'webauthn' | 'code' | 'link';

export const CREDENTIALS_TYPES: readonly CredentialsType[] = ['password', 'oidc', 'totp', 'lookup_secret', 'webauthn', 'code', 'link'];

/** `active` identities may sign in; `inactive` ones may not and hold no valid session. */
export type IdentityState = 'active' | 'inactive';

/** Verification status of an address. */
export type VerifiableAddressStatus = 'pending' | 'sent' | 'completed';

/** How an address is reached. */
export type AddressVia = 'email' | 'sms';

export interface VerifiableAddress {
  readonly id: string;
  /** Lower-cased, trimmed. Unique per `via` across identities. */
  readonly value: string;
  readonly verified: boolean;
  readonly via: AddressVia;
  readonly status: VerifiableAddressStatus;
  readonly verifiedAt?: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface RecoveryAddress {
  readonly id: string;
  /** Lower-cased, trimmed. Unique per `via` across identities. */
  readonly value: string;
  readonly via: AddressVia;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * One credential of an identity. `identifiers` are lower-cased and unique per credentials type across
 * all identities (a unique index enforces it). `config` holds secrets (hashes, TOTP keys) and never
 * leaves the server except through an explicit admin declassification.
 */
export interface Credentials {
  readonly type: CredentialsType;
  readonly identifiers: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** An identity as Kratos stores it. */
export interface Identity {
  readonly id: string;
  readonly schemaId: string;
  readonly state: IdentityState;
  readonly stateChangedAt?: Date;
  readonly traits: Readonly<Record<string, unknown>>;
  readonly verifiableAddresses: readonly VerifiableAddress[];
  readonly recoveryAddresses: readonly RecoveryAddress[];
  readonly metadataPublic: unknown;
  readonly metadataAdmin: unknown;
  readonly credentials: Readonly<Partial<Record<CredentialsType, Credentials>>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Normalises an identifier or address for storage and lookup (Kratos lower-cases and trims). */
export function normalizeIdentifier(value: string): string {
  return value.trim().toLowerCase();
}
