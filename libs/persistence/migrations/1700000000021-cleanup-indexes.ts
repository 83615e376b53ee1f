import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/** The expiry (or age) column the cleanup job deletes by, per table that had no index led by `(nid, that column)`. */
const INDEXES: readonly { table: string; index: TableIndex }[] = [
  { table: 'sessions', index: new TableIndex({ name: 'idx_sessions_expires', columnNames: ['nid', 'expires_at'] }) },
  { table: 'selfservice_tokens', index: new TableIndex({ name: 'idx_selfservice_tokens_expires', columnNames: ['nid', 'expires_at'] }) },
  { table: 'selfservice_errors', index: new TableIndex({ name: 'idx_selfservice_errors_created', columnNames: ['nid', 'created_at'] }) },
  { table: 'oauth2_login_sessions', index: new TableIndex({ name: 'idx_oauth2_login_sessions_expires', columnNames: ['nid', 'expires_at'] }) },
  { table: 'oauth2_consent_sessions', index: new TableIndex({ name: 'idx_oauth2_consent_sessions_expires', columnNames: ['nid', 'expires_at'] }) },
];

/**
 * Issue 16/19, cleanup: each chunk of `tessera cleanup` (and of the engine's sweep) is
 * `DELETE … WHERE nid = ? AND expires_at < ? LIMIT n` (SQLite: `rowid IN (SELECT … LIMIT n)`); these indexes
 * make each chunk read exactly the rows it deletes instead of scanning the realm's table. Flows, OAuth2
 * payloads, challenges, logout requests and trust jtis already have `(nid, expires_at)`, courier messages
 * `(nid, created_at)` (migration 015).
 */
export class CleanupIndexes1700000000021 implements MigrationInterface {
  name = 'CleanupIndexes1700000000021';

  async up(qr: QueryRunner): Promise<void> {
    for (const { table, index } of INDEXES) await qr.createIndex(table, index);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const { table, index } of [...INDEXES].reverse()) await qr.dropIndex(table, index.name as string);
  }
}
