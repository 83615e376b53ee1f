import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { timestampColumn, uuidColumn, varcharColumn } from './columns';

/**
 * Project members (issue 15, Ory Network's `CloudAccount`s of a project): one row per operator account
 * (an identity of the default realm) and project. `nid` is the project's realm (its slug), first in the
 * primary key, so purging the project deletes its memberships with every other row of the realm. The
 * identity id references `identities` with ON DELETE CASCADE: deleting the operator's identity deletes its
 * memberships in the same statement (no membership ever names a missing identity). The index led by
 * `identity_id` serves the foreign key (MySQL needs one) and "the projects of an operator".
 */
export class CreateProjectMembers1700000000022 implements MigrationInterface {
  name = 'CreateProjectMembers1700000000022';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'project_members',
        columns: [varcharColumn('nid', 64, { isPrimary: true }), uuidColumn('identity_id', { isPrimary: true }), timestampColumn('created_at')],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_project_members_identity_id', columnNames: ['identity_id'], referencedTableName: 'identities', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
        ],
      }),
    );
    await qr.createIndex('project_members', new TableIndex({ name: 'idx_project_members_identity', columnNames: ['identity_id', 'nid'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('project_members');
  }
}
