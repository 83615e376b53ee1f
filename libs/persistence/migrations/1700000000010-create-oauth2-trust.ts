import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { jsonColumn, timestampColumn, uuidColumn, varcharColumn } from './columns';

/**
 * Trusted JWT-bearer issuers (RFC 7523; Hydra's `hydra_oauth2_trusted_jwt_bearer_issuer`, unique on
 * issuer + subject + key id, `subject` empty when any subject is allowed) and the `jti`s of used
 * assertions, kept until the assertion expires (the primary key makes a replay check atomic).
 */
export class CreateOAuth2Trust1700000000010 implements MigrationInterface {
  name = 'CreateOAuth2Trust1700000000010';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'oauth2_trust_grants',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          varcharColumn('issuer', 255),
          varcharColumn('subject', 255),
          { name: 'allow_any_subject', type: 'boolean', default: false },
          jsonColumn(qr, 'scope', false),
          varcharColumn('key_set', 255),
          varcharColumn('key_id', 255),
          timestampColumn('created_at'),
          timestampColumn('expires_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_oauth2_trust_grants_iss_sub_kid', columnNames: ['issuer', 'subject', 'key_id'], isUnique: true }),
          new TableIndex({ name: 'idx_oauth2_trust_grants_created', columnNames: ['created_at', 'id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oauth2_trust_jtis',
        columns: [varcharColumn('signature', 64, { isPrimary: true }), timestampColumn('expires_at')],
        indices: [new TableIndex({ name: 'idx_oauth2_trust_jtis_expires', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('oauth2_trust_jtis');
    await qr.dropTable('oauth2_trust_grants');
  }
}
