import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { jsonColumn, timestampColumn, uuidColumn, varcharColumn } from './columns';

/** Sessions (token stored as SHA-256), self-service flows (one JSON document each) and stored browser errors. */
export class CreateSessionsAndFlows1700000000003 implements MigrationInterface {
  name = 'CreateSessionsAndFlows1700000000003';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'sessions',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          uuidColumn('identity_id'),
          varcharColumn('token_hash', 64),
          { name: 'active', type: 'boolean', default: true },
          varcharColumn('aal', 8),
          timestampColumn('authenticated_at'),
          timestampColumn('issued_at'),
          timestampColumn('expires_at'),
          jsonColumn(qr, 'authentication_methods', false),
          jsonColumn(qr, 'devices', false),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_sessions_identity_id', columnNames: ['identity_id'], referencedTableName: 'identities', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
        indices: [
          new TableIndex({ name: 'uq_sessions_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'idx_sessions_identity', columnNames: ['identity_id', 'created_at'] }),
          new TableIndex({ name: 'idx_sessions_created', columnNames: ['created_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'selfservice_flows',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          varcharColumn('kind', 16),
          varcharColumn('type', 8),
          jsonColumn(qr, 'data', false),
          timestampColumn('expires_at'),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_flows_expires', columnNames: ['expires_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'selfservice_errors',
        columns: [uuidColumn('id', { isPrimary: true }), jsonColumn(qr, 'error', false), timestampColumn('seen_at', true), timestampColumn('created_at'), timestampColumn('updated_at')],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['selfservice_errors', 'selfservice_flows', 'sessions']) await qr.dropTable(t);
  }
}
