import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { timestampColumn, uuidColumn, varcharColumn } from './columns';

/**
 * Project API keys (issue 15): one row per key of a project, in the project's realm (`nid` first in the
 * primary key). Only the SHA-256 hex of a value is stored; `key_hash` is unique across realms, because the
 * admin plane looks a presented key up by its hash alone to learn its project (401 vs 403).
 */
export class CreateProjectApiKeys1700000000018 implements MigrationInterface {
  name = 'CreateProjectApiKeys1700000000018';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'project_api_keys',
        columns: [
          varcharColumn('nid', 64, { isPrimary: true }),
          uuidColumn('id', { isPrimary: true }),
          varcharColumn('name', 255),
          varcharColumn('owner_id', 255),
          varcharColumn('key_hash', 64),
          timestampColumn('created_at'),
        ],
      }),
    );
    await qr.createIndex('project_api_keys', new TableIndex({ name: 'uq_project_api_keys_hash', columnNames: ['key_hash'], isUnique: true }));
    await qr.createIndex('project_api_keys', new TableIndex({ name: 'idx_project_api_keys_created', columnNames: ['nid', 'created_at'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('project_api_keys');
  }
}
