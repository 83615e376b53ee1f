import { EntitySchema } from 'typeorm';

const ts = { type: 'datetime' as const, precision: 3 };

export interface TrustGrantRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  issuer: string;
  subject: string;
  allow_any_subject: boolean;
  scope: string[];
  key_set: string;
  key_id: string;
  created_at: Date;
  expires_at: Date;
}

export const TrustGrantSchema = new EntitySchema<TrustGrantRow>({
  name: 'OAuth2TrustGrant',
  tableName: 'oauth2_trust_grants',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    issuer: { type: 'varchar', length: 255 },
    subject: { type: 'varchar', length: 255 },
    allow_any_subject: { type: 'boolean' },
    scope: { type: 'simple-json' },
    key_set: { type: 'varchar', length: 255 },
    key_id: { type: 'varchar', length: 255 },
    created_at: ts,
    expires_at: ts,
  },
});

export interface TrustJtiRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  signature: string;
  expires_at: Date;
}

export const TrustJtiSchema = new EntitySchema<TrustJtiRow>({
  name: 'OAuth2TrustJti',
  tableName: 'oauth2_trust_jtis',
  columns: {
    nid: { type: 'varchar', length: 64, primary: true },
    signature: { type: 'varchar', length: 64, primary: true },
    expires_at: ts,
  },
});
