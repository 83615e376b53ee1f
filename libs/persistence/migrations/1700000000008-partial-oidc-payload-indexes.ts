import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';
import { isMysql } from './columns';

const LOOKUPS = [
  ['idx_oidc_payloads_grant', 'grant_id'],
  ['idx_oidc_payloads_uid', 'uid'],
  ['idx_oidc_payloads_user_code', 'user_code'],
  ['idx_oidc_payloads_account', 'account_id'],
  ['idx_oidc_payloads_client', 'client_id'],
] as const;

/**
 * On SQLite, the lookup indexes of `oauth2_oidc_payloads` only hold rows that have the value (partial
 * indexes): most rows (client_credentials tokens, interactions) have none, and every token insert used
 * to update five index entries. Queries `model = ? AND <col> = ?` still use them. MySQL has no partial
 * indexes and keeps the full ones.
 */
export class PartialOidcPayloadIndexes1700000000008 implements MigrationInterface {
  name = 'PartialOidcPayloadIndexes1700000000008';

  async up(qr: QueryRunner): Promise<void> {
    if (isMysql(qr)) return;
    for (const [name, column] of LOOKUPS) {
      await qr.dropIndex('oauth2_oidc_payloads', name);
      await qr.createIndex('oauth2_oidc_payloads', new TableIndex({ name, columnNames: ['model', column], where: `${column} IS NOT NULL` }));
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    if (isMysql(qr)) return;
    for (const [name, column] of LOOKUPS) {
      await qr.dropIndex('oauth2_oidc_payloads', name);
      await qr.createIndex('oauth2_oidc_payloads', new TableIndex({ name, columnNames: ['model', column] }));
    }
  }
}
