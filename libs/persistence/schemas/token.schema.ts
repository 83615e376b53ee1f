import { EntitySchema } from 'typeorm';

export interface TokenRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  kind: string;
  flow_id: string;
  identity_id: string;
  address: string;
  secret_hash: string;
  expires_at: Date;
  used_at: Date | null;
  created_at: Date;
}

const ts = { type: 'datetime' as const, precision: 3 };

export const TokenSchema = new EntitySchema<TokenRow>({
  name: 'SelfServiceToken',
  tableName: 'selfservice_tokens',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    kind: { type: 'varchar', length: 32 },
    flow_id: { type: 'varchar', length: 36 },
    identity_id: { type: 'varchar', length: 36 },
    address: { type: 'varchar', length: 512 },
    secret_hash: { type: 'varchar', length: 64 },
    expires_at: ts,
    used_at: { ...ts, nullable: true },
    created_at: ts,
  },
});
