import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { jsonColumn, timestampColumn, varcharColumn } from './columns';

/**
 * JWK sets (private keys encrypted with the system secret) and OAuth2 clients (metadata as one JSON
 * document, secret and registration token as HMACs). `pk` orders keys of equal `created_at`.
 */
export class CreateOAuth2KeysAndClients1700000000006 implements MigrationInterface {
  name = 'CreateOAuth2KeysAndClients1700000000006';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'oauth2_jwks',
        columns: [
          { name: 'pk', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          varcharColumn('set_id', 255),
          varcharColumn('kid', 255),
          varcharColumn('alg', 32),
          varcharColumn('key_use', 16),
          jsonColumn(qr, 'key_data', false),
          timestampColumn('created_at'),
        ],
        indices: [new TableIndex({ name: 'uq_oauth2_jwks_set_kid', columnNames: ['set_id', 'kid'], isUnique: true })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oauth2_clients',
        columns: [
          varcharColumn('id', 255, { isPrimary: true }),
          varcharColumn('client_name', 255),
          varcharColumn('owner', 255),
          varcharColumn('secret_hash', 128, { isNullable: true }),
          varcharColumn('registration_token_hash', 128, { isNullable: true }),
          jsonColumn(qr, 'metadata', false),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_oauth2_clients_created', columnNames: ['created_at', 'id'] }),
          new TableIndex({ name: 'idx_oauth2_clients_owner', columnNames: ['owner'] }),
          new TableIndex({ name: 'idx_oauth2_clients_name', columnNames: ['client_name'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('oauth2_clients');
    await qr.dropTable('oauth2_jwks');
  }
}
