import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './columns';

/** Columns holding identifiers or addresses, with their width before this migration. */
const COLUMNS: readonly { table: string; column: string; before: number }[] = [
  { table: 'identity_credential_identifiers', column: 'identifier', before: 255 },
  { table: 'identity_verifiable_addresses', column: 'value', before: 400 },
  { table: 'identity_recovery_addresses', column: 'value', before: 400 },
  { table: 'selfservice_tokens', column: 'address', before: 400 },
  { table: 'courier_messages', column: 'recipient', before: 255 },
];

/**
 * Identifier and address columns hold `MAX_IDENTIFIER_LENGTH` (512) characters on MySQL/MariaDB, so a
 * valid 320-character email is stored there as on SQLite (which ignores lengths). 512 utf8mb4
 * characters keep the unique indexes `(type, identifier)` and `(via, value)` within InnoDB's
 * 3072-byte key limit ((32 + 512) × 4 = 2176 bytes).
 */
export class WidenIdentifierColumns1700000000013 implements MigrationInterface {
  name = 'WidenIdentifierColumns1700000000013';

  async up(qr: QueryRunner): Promise<void> {
    if (!isMysql(qr)) return;
    for (const { table, column } of COLUMNS) await qr.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(512) NOT NULL`);
  }

  async down(qr: QueryRunner): Promise<void> {
    if (!isMysql(qr)) return;
    for (const { table, column, before } of COLUMNS) await qr.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` varchar(${before}) NOT NULL`);
  }
}
