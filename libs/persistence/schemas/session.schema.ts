import { EntitySchema } from 'typeorm';

export interface SessionRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  identity_id: string;
  token_hash: string;
  active: boolean;
  aal: string;
  authenticated_at: Date;
  issued_at: Date;
  expires_at: Date;
  authentication_methods: { method: string; aal: string; completed_at: string }[];
  devices: { id: string; ip_address: string; user_agent: string; location: string }[];
  created_at: Date;
  updated_at: Date;
}

export interface FlowRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  kind: string;
  type: string;
  data: Record<string, unknown>;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
}

export interface ErrorRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  error: Record<string, unknown>;
  seen_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const ts = { type: 'datetime' as const, precision: 3 };

export const SessionSchema = new EntitySchema<SessionRow>({
  name: 'Session',
  tableName: 'sessions',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    identity_id: { type: 'varchar', length: 36 },
    token_hash: { type: 'varchar', length: 64 },
    active: { type: 'boolean' },
    aal: { type: 'varchar', length: 8 },
    authenticated_at: ts,
    issued_at: ts,
    expires_at: ts,
    authentication_methods: { type: 'simple-json' },
    devices: { type: 'simple-json' },
    created_at: ts,
    updated_at: ts,
  },
});

export const FlowSchema = new EntitySchema<FlowRow>({
  name: 'SelfServiceFlow',
  tableName: 'selfservice_flows',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    kind: { type: 'varchar', length: 16 },
    type: { type: 'varchar', length: 8 },
    data: { type: 'simple-json' },
    expires_at: ts,
    created_at: ts,
    updated_at: ts,
  },
});

export const ErrorSchema = new EntitySchema<ErrorRow>({
  name: 'SelfServiceError',
  tableName: 'selfservice_errors',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    error: { type: 'simple-json' },
    seen_at: { ...ts, nullable: true },
    created_at: ts,
    updated_at: ts,
  },
});
