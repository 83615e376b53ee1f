import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { jsonColumn, timestampColumn, varcharColumn } from './columns';

/**
 * OAuth2 protocol state: every oidc-provider model in one table keyed by (model, id) with the
 * lookup columns its adapter needs, plus Hydra's own concepts — remembered login sessions, consent
 * sessions (one per grant), handled challenges and logout requests. Rows with a past `expires_at`
 * are ignored on read and swept periodically.
 */
export class CreateOAuth2Flows1700000000007 implements MigrationInterface {
  name = 'CreateOAuth2Flows1700000000007';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'oauth2_oidc_payloads',
        columns: [
          varcharColumn('model', 40, { isPrimary: true }),
          varcharColumn('id', 128, { isPrimary: true }),
          jsonColumn(qr, 'payload', false),
          varcharColumn('grant_id', 128, { isNullable: true }),
          varcharColumn('uid', 128, { isNullable: true }),
          varcharColumn('user_code', 64, { isNullable: true }),
          varcharColumn('account_id', 255, { isNullable: true }),
          varcharColumn('client_id', 255, { isNullable: true }),
          timestampColumn('expires_at', true),
          timestampColumn('consumed_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_oidc_payloads_grant', columnNames: ['model', 'grant_id'] }),
          new TableIndex({ name: 'idx_oidc_payloads_uid', columnNames: ['model', 'uid'] }),
          new TableIndex({ name: 'idx_oidc_payloads_user_code', columnNames: ['model', 'user_code'] }),
          new TableIndex({ name: 'idx_oidc_payloads_account', columnNames: ['model', 'account_id'] }),
          new TableIndex({ name: 'idx_oidc_payloads_client', columnNames: ['model', 'client_id'] }),
          new TableIndex({ name: 'idx_oidc_payloads_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oauth2_login_sessions',
        columns: [
          varcharColumn('id', 128, { isPrimary: true }),
          varcharColumn('subject', 255),
          { name: 'remember', type: 'boolean', default: false },
          { name: 'remember_for', type: 'integer', default: 0 },
          timestampColumn('authenticated_at'),
          jsonColumn(qr, 'data', false),
          timestampColumn('expires_at', true),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_oauth2_login_sessions_subject', columnNames: ['subject'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oauth2_consent_sessions',
        columns: [
          varcharColumn('grant_id', 128, { isPrimary: true }),
          varcharColumn('challenge', 128),
          varcharColumn('subject', 255),
          varcharColumn('client_id', 255),
          varcharColumn('login_session_id', 128, { isNullable: true }),
          { name: 'remember', type: 'boolean', default: false },
          { name: 'remember_for', type: 'integer', default: 0 },
          { name: 'skip', type: 'boolean', default: false },
          jsonColumn(qr, 'data', false),
          timestampColumn('handled_at'),
          timestampColumn('expires_at', true),
        ],
        indices: [new TableIndex({ name: 'idx_oauth2_consent_sessions_subject', columnNames: ['subject', 'client_id', 'handled_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oauth2_challenges',
        columns: [
          varcharColumn('challenge', 128, { isPrimary: true }),
          varcharColumn('kind', 16),
          jsonColumn(qr, 'request_url', false),
          timestampColumn('handled_at'),
          timestampColumn('expires_at'),
        ],
        indices: [new TableIndex({ name: 'idx_oauth2_challenges_expires', columnNames: ['expires_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oauth2_logout_requests',
        columns: [
          varcharColumn('challenge', 64, { isPrimary: true }),
          varcharColumn('verifier', 64, { isNullable: true }),
          varcharColumn('state', 16),
          varcharColumn('subject', 255),
          varcharColumn('sid', 128),
          varcharColumn('client_id', 255, { isNullable: true }),
          { name: 'rp_initiated', type: 'boolean', default: false },
          jsonColumn(qr, 'data', false),
          timestampColumn('expires_at'),
          timestampColumn('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_oauth2_logout_verifier', columnNames: ['verifier'], isUnique: true }),
          new TableIndex({ name: 'idx_oauth2_logout_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['oauth2_logout_requests', 'oauth2_challenges', 'oauth2_consent_sessions', 'oauth2_login_sessions', 'oauth2_oidc_payloads']) await qr.dropTable(t);
  }
}
