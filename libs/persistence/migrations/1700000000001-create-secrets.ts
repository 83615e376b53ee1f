import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { jsonColumn, timestampColumn, varcharColumn } from './columns';

/** Secrets generated on first boot (`secrets.*` absent from config). */
export class CreateSecrets1700000000001 implements MigrationInterface {
  name = 'CreateSecrets1700000000001';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'secrets',
        columns: [
          varcharColumn('kind', 32, { isPrimary: true }),
          jsonColumn(qr, 'value', false),
          timestampColumn('created_at'),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('secrets');
  }
}
