import { EntitySchema } from 'typeorm';

const ts = { type: 'datetime' as const, precision: 3 };

export interface JwkRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  pk: number;
  set_id: string;
  kid: string;
  alg: string;
  key_use: string;
  key_data: string;
  created_at: Date;
}

export const JwkSchema = new EntitySchema<JwkRow>({
  name: 'OAuth2Jwk',
  tableName: 'oauth2_jwks',
  columns: {
    nid: { type: 'varchar', length: 64 },
    pk: { type: 'integer', primary: true, generated: 'increment' },
    set_id: { type: 'varchar', length: 255 },
    kid: { type: 'varchar', length: 255 },
    alg: { type: 'varchar', length: 32 },
    key_use: { type: 'varchar', length: 16 },
    key_data: { type: 'text' },
    created_at: ts,
  },
});

export interface OAuth2ClientRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  client_name: string;
  owner: string;
  secret_hash: string | null;
  registration_token_hash: string | null;
  metadata: Record<string, unknown>;
  /** Hydra's nullable `skip_logout_consent` (NULL: never set); kept out of `metadata`. */
  skip_logout_consent: boolean | null;
  created_at: Date;
  updated_at: Date;
}

export const OAuth2ClientSchema = new EntitySchema<OAuth2ClientRow>({
  name: 'OAuth2Client',
  tableName: 'oauth2_clients',
  columns: {
    nid: { type: 'varchar', length: 64, primary: true },
    id: { type: 'varchar', length: 255, primary: true },
    client_name: { type: 'varchar', length: 255 },
    owner: { type: 'varchar', length: 255 },
    secret_hash: { type: 'varchar', length: 128, nullable: true },
    registration_token_hash: { type: 'varchar', length: 128, nullable: true },
    metadata: { type: 'simple-json' },
    skip_logout_consent: { type: 'boolean', nullable: true },
    created_at: ts,
    updated_at: ts,
  },
});

export interface LoginSessionRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  subject: string;
  remember: boolean;
  remember_for: number;
  authenticated_at: Date;
  data: Record<string, unknown>;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const LoginSessionSchema = new EntitySchema<LoginSessionRow>({
  name: 'OAuth2LoginSession',
  tableName: 'oauth2_login_sessions',
  columns: {
    nid: { type: 'varchar', length: 64, primary: true },
    id: { type: 'varchar', length: 128, primary: true },
    subject: { type: 'varchar', length: 255 },
    remember: { type: 'boolean' },
    remember_for: { type: 'integer' },
    authenticated_at: ts,
    data: { type: 'simple-json' },
    expires_at: { ...ts, nullable: true },
    created_at: ts,
    updated_at: ts,
  },
});

export interface ConsentSessionRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  grant_id: string;
  challenge: string;
  subject: string;
  client_id: string;
  login_session_id: string | null;
  remember: boolean;
  remember_for: number;
  skip: boolean;
  data: Record<string, unknown>;
  handled_at: Date;
  expires_at: Date | null;
}

export const ConsentSessionSchema = new EntitySchema<ConsentSessionRow>({
  name: 'OAuth2ConsentSession',
  tableName: 'oauth2_consent_sessions',
  columns: {
    nid: { type: 'varchar', length: 64, primary: true },
    grant_id: { type: 'varchar', length: 128, primary: true },
    challenge: { type: 'varchar', length: 128 },
    subject: { type: 'varchar', length: 255 },
    client_id: { type: 'varchar', length: 255 },
    login_session_id: { type: 'varchar', length: 128, nullable: true },
    remember: { type: 'boolean' },
    remember_for: { type: 'integer' },
    skip: { type: 'boolean' },
    data: { type: 'simple-json' },
    handled_at: ts,
    expires_at: { ...ts, nullable: true },
  },
});

export interface ChallengeRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  challenge: string;
  kind: string;
  request_url: string;
  handled_at: Date;
  expires_at: Date;
}

export const ChallengeSchema = new EntitySchema<ChallengeRow>({
  name: 'OAuth2Challenge',
  tableName: 'oauth2_challenges',
  columns: {
    nid: { type: 'varchar', length: 64, primary: true },
    challenge: { type: 'varchar', length: 128, primary: true },
    kind: { type: 'varchar', length: 16 },
    request_url: { type: 'text' },
    handled_at: ts,
    expires_at: ts,
  },
});

export interface LogoutRequestRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  challenge: string;
  verifier: string | null;
  state: string;
  subject: string;
  sid: string;
  client_id: string | null;
  rp_initiated: boolean;
  data: Record<string, unknown>;
  expires_at: Date;
  created_at: Date;
}

export const LogoutRequestSchema = new EntitySchema<LogoutRequestRow>({
  name: 'OAuth2LogoutRequest',
  tableName: 'oauth2_logout_requests',
  columns: {
    nid: { type: 'varchar', length: 64, primary: true },
    challenge: { type: 'varchar', length: 64, primary: true },
    verifier: { type: 'varchar', length: 64, nullable: true },
    state: { type: 'varchar', length: 16 },
    subject: { type: 'varchar', length: 255 },
    sid: { type: 'varchar', length: 128 },
    client_id: { type: 'varchar', length: 255, nullable: true },
    rp_initiated: { type: 'boolean' },
    data: { type: 'simple-json' },
    expires_at: ts,
    created_at: ts,
  },
});
