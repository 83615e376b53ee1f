import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

const COLUMN = new TableColumn({ name: 'skip_logout_consent', type: 'boolean', isNullable: true });

/**
 * Hydra's `skip_logout_consent` client column (its migration 20240129174410): a nullable boolean, NULL
 * for clients that never set it (the client JSON then shows `null`, as Hydra does).
 */
export class AddOAuth2ClientSkipLogoutConsent1700000000014 implements MigrationInterface {
  name = 'AddOAuth2ClientSkipLogoutConsent1700000000014';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('oauth2_clients', COLUMN);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('oauth2_clients', COLUMN.name);
  }
}
