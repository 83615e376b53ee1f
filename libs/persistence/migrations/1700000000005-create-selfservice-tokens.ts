import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampColumn, uuidColumn, varcharColumn } from './columns';

/** One-time recovery/verification codes and link tokens (HMAC at rest), bound to a flow. */
export class CreateSelfServiceTokens1700000000005 implements MigrationInterface {
  name = 'CreateSelfServiceTokens1700000000005';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'selfservice_tokens',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          varcharColumn('kind', 32),
          uuidColumn('flow_id'),
          uuidColumn('identity_id'),
          varcharColumn('address', 400),
          varcharColumn('secret_hash', 64),
          timestampColumn('expires_at'),
          timestampColumn('used_at', true),
          timestampColumn('created_at'),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_selfservice_tokens_identity', columnNames: ['identity_id'], referencedTableName: 'identities', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
        indices: [new TableIndex({ name: 'idx_selfservice_tokens_flow', columnNames: ['flow_id', 'kind'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('selfservice_tokens');
  }
}
