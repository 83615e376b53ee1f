import type { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { isMysql } from './columns';

/** The realm column (Ory's `nid`): wide enough for any realm name, NOT NULL, existing rows in `default`. */
export const REALM_COLUMN = 'nid';
const DEFAULT_REALM = 'default';

interface IndexSpec {
  readonly name: string;
  /** The columns after `nid` (and, before this migration, the whole index). */
  readonly columns: readonly string[];
  readonly unique?: boolean;
  /** SQLite only: the partial-index condition (see migration 008). */
  readonly sqliteWhere?: string;
}

interface TableSpec {
  readonly table: string;
  /** The primary key after `nid`; absent when the primary key is a random UUID and stays as it is. */
  readonly primaryKey?: readonly string[];
  readonly indexes: readonly IndexSpec[];
}

const oidcLookup = (name: string, column: string): IndexSpec => ({ name, columns: ['model', column], sqliteWhere: `${column} IS NOT NULL` });

/**
 * Every table but `secrets` (process-wide) and in the order parents before children. Indexes led by an
 * `identity_id` foreign key keep it first: that UUID belongs to exactly one realm, and MySQL needs an index
 * led by a foreign key's column. Natural or engine-chosen keys (client ids, oidc-provider ids, challenges,
 * jti signatures, forced subjects) get `nid` first in the primary key, so the same key can exist in two realms.
 */
const TABLES: readonly TableSpec[] = [
  { table: 'identities', indexes: [{ name: 'idx_identities_created', columns: ['created_at', 'id'] }] },
  { table: 'identity_credentials', indexes: [] },
  {
    table: 'identity_credential_identifiers',
    indexes: [
      { name: 'uq_identifiers_type_identifier', columns: ['type', 'identifier'], unique: true },
      { name: 'idx_identifiers_identifier', columns: ['identifier'] },
    ],
  },
  { table: 'identity_verifiable_addresses', indexes: [{ name: 'uq_verifiable_via_value', columns: ['via', 'value'], unique: true }] },
  { table: 'identity_recovery_addresses', indexes: [{ name: 'uq_recovery_via_value', columns: ['via', 'value'], unique: true }] },
  {
    table: 'sessions',
    indexes: [
      { name: 'uq_sessions_token_hash', columns: ['token_hash'], unique: true },
      { name: 'idx_sessions_created', columns: ['created_at'] },
    ],
  },
  { table: 'selfservice_flows', indexes: [{ name: 'idx_flows_expires', columns: ['expires_at'] }] },
  { table: 'selfservice_errors', indexes: [] },
  {
    table: 'courier_messages',
    indexes: [
      { name: 'idx_courier_messages_recipient', columns: ['recipient', 'created_at'] },
      { name: 'idx_courier_messages_created', columns: ['created_at'] },
    ],
  },
  { table: 'selfservice_tokens', indexes: [{ name: 'idx_selfservice_tokens_flow', columns: ['flow_id', 'kind'] }] },
  { table: 'oauth2_jwks', indexes: [{ name: 'uq_oauth2_jwks_set_kid', columns: ['set_id', 'kid'], unique: true }] },
  {
    table: 'oauth2_clients',
    primaryKey: ['id'],
    indexes: [
      { name: 'idx_oauth2_clients_created', columns: ['created_at', 'id'] },
      { name: 'idx_oauth2_clients_owner', columns: ['owner'] },
      { name: 'idx_oauth2_clients_name', columns: ['client_name'] },
    ],
  },
  {
    table: 'oauth2_oidc_payloads',
    primaryKey: ['model', 'id'],
    indexes: [
      oidcLookup('idx_oidc_payloads_grant', 'grant_id'),
      oidcLookup('idx_oidc_payloads_uid', 'uid'),
      oidcLookup('idx_oidc_payloads_user_code', 'user_code'),
      oidcLookup('idx_oidc_payloads_account', 'account_id'),
      oidcLookup('idx_oidc_payloads_client', 'client_id'),
      { name: 'idx_oidc_payloads_expires', columns: ['expires_at'] },
    ],
  },
  { table: 'oauth2_login_sessions', primaryKey: ['id'], indexes: [{ name: 'idx_oauth2_login_sessions_subject', columns: ['subject'] }] },
  {
    table: 'oauth2_consent_sessions',
    primaryKey: ['grant_id'],
    indexes: [
      { name: 'idx_oauth2_consent_sessions_subject', columns: ['subject', 'client_id', 'handled_at'] },
      { name: 'idx_oauth2_consent_sessions_remembered', columns: ['subject', 'client_id', 'remember', 'skip', 'handled_at'] },
    ],
  },
  { table: 'oauth2_challenges', primaryKey: ['challenge'], indexes: [{ name: 'idx_oauth2_challenges_expires', columns: ['expires_at'] }] },
  {
    table: 'oauth2_logout_requests',
    primaryKey: ['challenge'],
    indexes: [
      { name: 'uq_oauth2_logout_verifier', columns: ['verifier'], unique: true },
      { name: 'idx_oauth2_logout_expires', columns: ['expires_at'] },
    ],
  },
  {
    table: 'oauth2_trust_grants',
    indexes: [
      { name: 'uq_oauth2_trust_grants_iss_sub_kid', columns: ['issuer', 'subject', 'key_id'], unique: true },
      { name: 'idx_oauth2_trust_grants_created', columns: ['created_at', 'id'] },
    ],
  },
  { table: 'oauth2_trust_jtis', primaryKey: ['signature'], indexes: [{ name: 'idx_oauth2_trust_jtis_expires', columns: ['expires_at'] }] },
  { table: 'oauth2_forced_subjects', primaryKey: ['subject', 'client_id'], indexes: [] },
];

/** The tables that carry a realm column (every table but `secrets`). */
export const REALM_TABLES: readonly string[] = TABLES.map((t) => t.table);

/**
 * Issue 14, data: every table gets `nid` (the realm; existing rows land in `default`), first in every
 * unique key and index and — where the key is not a random UUID — in the primary key. Reverting deletes
 * the rows of other realms (they cannot be told apart without the column), then restores the old keys.
 */
export class RealmColumn1700000000015 implements MigrationInterface {
  name = 'RealmColumn1700000000015';

  async up(qr: QueryRunner): Promise<void> {
    for (const spec of TABLES) {
      await qr.query(`ALTER TABLE ${q(qr, spec.table)} ADD COLUMN ${q(qr, REALM_COLUMN)} varchar(64) NOT NULL DEFAULT '${DEFAULT_REALM}'`);
      if (spec.primaryKey) await setPrimaryKey(qr, spec.table, [REALM_COLUMN, ...spec.primaryKey]);
      for (const index of spec.indexes) await rebuildIndex(qr, spec.table, index, [REALM_COLUMN, ...index.columns]);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const spec of [...TABLES].reverse()) {
      await qr.query(`DELETE FROM ${q(qr, spec.table)} WHERE ${q(qr, REALM_COLUMN)} <> '${DEFAULT_REALM}'`);
      if (spec.primaryKey) await setPrimaryKey(qr, spec.table, spec.primaryKey);
      for (const index of spec.indexes) await rebuildIndex(qr, spec.table, index, index.columns);
      await qr.query(`ALTER TABLE ${q(qr, spec.table)} DROP COLUMN ${q(qr, REALM_COLUMN)}`);
    }
  }
}

function q(qr: QueryRunner, name: string): string {
  return qr.connection.driver.escape(name);
}

async function rebuildIndex(qr: QueryRunner, table: string, index: IndexSpec, columns: readonly string[]): Promise<void> {
  const mysql = isMysql(qr);
  await qr.query(mysql ? `DROP INDEX ${q(qr, index.name)} ON ${q(qr, table)}` : `DROP INDEX ${q(qr, index.name)}`);
  const where = !mysql && index.sqliteWhere ? ` WHERE ${index.sqliteWhere}` : '';
  await qr.query(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${q(qr, index.name)} ON ${q(qr, table)} (${columns.map((c) => q(qr, c)).join(', ')})${where}`);
}

/** MySQL alters the key in place; SQLite rebuilds the table (none of these tables is referenced by a foreign key). */
async function setPrimaryKey(qr: QueryRunner, table: string, columns: readonly string[]): Promise<void> {
  if (isMysql(qr)) {
    await qr.query(`ALTER TABLE ${q(qr, table)} DROP PRIMARY KEY, ADD PRIMARY KEY (${columns.map((c) => q(qr, c)).join(', ')})`);
    return;
  }
  const old = await qr.getTable(table);
  if (!old) throw new Error(`table ${table} not found`);
  const next = old.clone();
  for (const column of next.columns) column.isPrimary = columns.includes(column.name);
  // The key's column order follows the column order: put the key columns first, in key order — in both
  // tables, since the copy pairs the new table's column list with the old table's by position.
  const byKey = (a: { name: string }, b: { name: string }): number => rank(columns, a.name) - rank(columns, b.name);
  next.columns.sort(byKey);
  old.columns.sort(byKey);
  await (qr as unknown as { recreateTable(next: Table, old: Table): Promise<void> }).recreateTable(next, old);
}

function rank(order: readonly string[], name: string): number {
  const i = order.indexOf(name);
  return i === -1 ? order.length : i;
}
