import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { isMysql, jsonColumn, timestampColumn, uuidColumn, varcharColumn } from './columns';

/** The default project's fixed id (`DEFAULT_PROJECT_ID` in libs/project; a migration never imports domain code). */
const DEFAULT_PROJECT_ID = '51d8e9f3-3bc8-49c2-b47f-4451d52e6521';

/**
 * Projects (Ory Network's project API): the control-plane record of a realm — a stable UUID, the display
 * name, the revision id and the kept (not applied) Ory Keto configuration. Process-wide like `realms`;
 * `nid` is the project's realm (its slug), unique, so deleting a realm's rows deletes its record too. The
 * file-configured realm `default` gets its record here, with a fixed id.
 */
export class CreateProjects1700000000017 implements MigrationInterface {
  name = 'CreateProjects1700000000017';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'projects',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          varcharColumn('nid', 63, { isNullable: false }),
          varcharColumn('name', 255, { isNullable: false }),
          uuidColumn('revision_id', { isNullable: false }),
          jsonColumn(qr, 'permission_config', true),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
      }),
    );
    await qr.createIndex('projects', new TableIndex({ name: 'uq_projects_nid', columnNames: ['nid'], isUnique: true }));
    const iso = new Date().toISOString();
    const now = isMysql(qr) ? new Date(iso) : `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
    await qr.query('INSERT INTO projects (id, nid, name, revision_id, permission_config, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?)', [
      DEFAULT_PROJECT_ID,
      'default',
      'default',
      DEFAULT_PROJECT_ID,
      now,
      now,
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('projects');
  }
}
