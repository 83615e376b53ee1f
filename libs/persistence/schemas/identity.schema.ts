import { EntitySchema } from 'typeorm';

export interface IdentityRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  schema_id: string;
  state: string;
  state_changed_at: Date | null;
  traits: Record<string, unknown>;
  metadata_public: unknown;
  metadata_admin: unknown;
  created_at: Date;
  updated_at: Date;
}

export interface CredentialRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  identity_id: string;
  type: string;
  config: Record<string, unknown>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface IdentifierRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  identity_id: string;
  credential_id: string;
  type: string;
  identifier: string;
  created_at: Date;
}

export interface VerifiableAddressRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  identity_id: string;
  via: string;
  value: string;
  verified: boolean;
  status: string;
  verified_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface RecoveryAddressRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  identity_id: string;
  via: string;
  value: string;
  created_at: Date;
  updated_at: Date;
}

const ts = { type: 'datetime' as const, precision: 3 };

export const IdentitySchema = new EntitySchema<IdentityRow>({
  name: 'Identity',
  tableName: 'identities',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    schema_id: { type: 'varchar', length: 255 },
    state: { type: 'varchar', length: 16 },
    state_changed_at: { ...ts, nullable: true },
    traits: { type: 'simple-json' },
    metadata_public: { type: 'simple-json', nullable: true },
    metadata_admin: { type: 'simple-json', nullable: true },
    created_at: ts,
    updated_at: ts,
  },
});

export const CredentialSchema = new EntitySchema<CredentialRow>({
  name: 'IdentityCredential',
  tableName: 'identity_credentials',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    identity_id: { type: 'varchar', length: 36 },
    type: { type: 'varchar', length: 32 },
    config: { type: 'simple-json' },
    version: { type: 'integer' },
    created_at: ts,
    updated_at: ts,
  },
});

export const IdentifierSchema = new EntitySchema<IdentifierRow>({
  name: 'IdentityCredentialIdentifier',
  tableName: 'identity_credential_identifiers',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    identity_id: { type: 'varchar', length: 36 },
    credential_id: { type: 'varchar', length: 36 },
    type: { type: 'varchar', length: 32 },
    identifier: { type: 'varchar', length: 512 },
    created_at: ts,
  },
});

export const VerifiableAddressSchema = new EntitySchema<VerifiableAddressRow>({
  name: 'IdentityVerifiableAddress',
  tableName: 'identity_verifiable_addresses',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    identity_id: { type: 'varchar', length: 36 },
    via: { type: 'varchar', length: 16 },
    value: { type: 'varchar', length: 512 },
    verified: { type: 'boolean' },
    status: { type: 'varchar', length: 16 },
    verified_at: { ...ts, nullable: true },
    created_at: ts,
    updated_at: ts,
  },
});

export const RecoveryAddressSchema = new EntitySchema<RecoveryAddressRow>({
  name: 'IdentityRecoveryAddress',
  tableName: 'identity_recovery_addresses',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    identity_id: { type: 'varchar', length: 36 },
    via: { type: 'varchar', length: 16 },
    value: { type: 'varchar', length: 512 },
    created_at: ts,
    updated_at: ts,
  },
});
