import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { jsonColumn, timestampColumn, varcharColumn } from './columns';

/**
 * Stored realms: the realm part of the configuration of every realm but `default` (which files and
 * environment configure), as given, with a revision every change increments.
 */
export class CreateRealms1700000000016 implements MigrationInterface {
  name = 'CreateRealms1700000000016';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'realms',
        columns: [
          varcharColumn('name', 63, { isPrimary: true }),
          jsonColumn(qr, 'config', false),
          { name: 'revision', type: 'integer', isNullable: false, default: 1 },
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('realms');
  }
}
