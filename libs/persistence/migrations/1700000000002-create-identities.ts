import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { jsonColumn, timestampColumn, uuidColumn, varcharColumn } from './columns';

const cascade = (table: string, column: string, refTable: string): TableForeignKey =>
  new TableForeignKey({ name: `fk_${table}_${column}`, columnNames: [column], referencedTableName: refTable, referencedColumnNames: ['id'], onDelete: 'CASCADE' });

/**
 * Identities with credentials, identifiers and addresses (Kratos's tables). Identifiers are unique per
 * credentials type and addresses per `via`: the unique indexes make duplicates a 409, never a race.
 */
export class CreateIdentities1700000000002 implements MigrationInterface {
  name = 'CreateIdentities1700000000002';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'identities',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          varcharColumn('schema_id', 255),
          varcharColumn('state', 16),
          timestampColumn('state_changed_at', true),
          jsonColumn(qr, 'traits', false),
          jsonColumn(qr, 'metadata_public'),
          jsonColumn(qr, 'metadata_admin'),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_identities_created', columnNames: ['created_at', 'id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'identity_credentials',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          uuidColumn('identity_id'),
          varcharColumn('type', 32),
          jsonColumn(qr, 'config', false),
          { name: 'version', type: 'integer', default: 0 },
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        foreignKeys: [cascade('identity_credentials', 'identity_id', 'identities')],
        indices: [new TableIndex({ name: 'uq_identity_credentials_type', columnNames: ['identity_id', 'type'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'identity_credential_identifiers',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          uuidColumn('identity_id'),
          uuidColumn('credential_id'),
          varcharColumn('type', 32),
          varcharColumn('identifier', 255),
          timestampColumn('created_at'),
        ],
        foreignKeys: [
          cascade('identity_credential_identifiers', 'identity_id', 'identities'),
          cascade('identity_credential_identifiers', 'credential_id', 'identity_credentials'),
        ],
        indices: [
          new TableIndex({ name: 'uq_identifiers_type_identifier', columnNames: ['type', 'identifier'], isUnique: true }),
          new TableIndex({ name: 'idx_identifiers_identifier', columnNames: ['identifier'] }),
          new TableIndex({ name: 'idx_identifiers_identity', columnNames: ['identity_id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'identity_verifiable_addresses',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          uuidColumn('identity_id'),
          varcharColumn('via', 16),
          varcharColumn('value', 400),
          { name: 'verified', type: 'boolean', default: false },
          varcharColumn('status', 16),
          timestampColumn('verified_at', true),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        foreignKeys: [cascade('identity_verifiable_addresses', 'identity_id', 'identities')],
        indices: [
          new TableIndex({ name: 'uq_verifiable_via_value', columnNames: ['via', 'value'], isUnique: true }),
          new TableIndex({ name: 'idx_verifiable_identity', columnNames: ['identity_id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'identity_recovery_addresses',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          uuidColumn('identity_id'),
          varcharColumn('via', 16),
          varcharColumn('value', 400),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        foreignKeys: [cascade('identity_recovery_addresses', 'identity_id', 'identities')],
        indices: [
          new TableIndex({ name: 'uq_recovery_via_value', columnNames: ['via', 'value'], isUnique: true }),
          new TableIndex({ name: 'idx_recovery_identity', columnNames: ['identity_id'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['identity_recovery_addresses', 'identity_verifiable_addresses', 'identity_credential_identifiers', 'identity_credentials', 'identities']) {
      await qr.dropTable(t);
    }
  }
}
