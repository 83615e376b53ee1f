import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

const INDEX = new TableIndex({ name: 'idx_oauth2_consent_sessions_remembered', columnNames: ['subject', 'client_id', 'remember', 'skip', 'handled_at'] });

/**
 * The remembered-consent lookup of every authorization (`subject = ? AND client_id = ? AND remember = 1
 * AND skip = 0 ORDER BY handled_at DESC LIMIT 20`) reads exactly its rows from this index, instead of
 * walking every consent the subject ever gave the client.
 */
export class ConsentRememberedIndex1700000000011 implements MigrationInterface {
  name = 'ConsentRememberedIndex1700000000011';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('oauth2_consent_sessions', INDEX);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('oauth2_consent_sessions', INDEX);
  }
}
