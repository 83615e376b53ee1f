import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { timestampColumn, varcharColumn } from './columns';

/** Hydra's `force_subject_identifier` mappings (subject, pairwise client) → forced `sub`. */
export class CreateOAuth2ForcedSubjects1700000000012 implements MigrationInterface {
  name = 'CreateOAuth2ForcedSubjects1700000000012';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'oauth2_forced_subjects',
        columns: [varcharColumn('subject', 255, { isPrimary: true }), varcharColumn('client_id', 255, { isPrimary: true }), varcharColumn('forced_subject', 255), timestampColumn('updated_at')],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('oauth2_forced_subjects');
  }
}
