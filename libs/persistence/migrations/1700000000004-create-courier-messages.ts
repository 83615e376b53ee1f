import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { textColumn, timestampColumn, uuidColumn, varcharColumn } from './columns';

/**
 * Courier messages (Kratos `courier_messages`) with delivery bookkeeping: `send_count`, `next_attempt_at`
 * (backoff) and the claim (`claimed_by`, `claimed_until`) that keeps one message with one dispatcher.
 */
export class CreateCourierMessages1700000000004 implements MigrationInterface {
  name = 'CreateCourierMessages1700000000004';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'courier_messages',
        columns: [
          uuidColumn('id', { isPrimary: true }),
          varcharColumn('type', 8),
          varcharColumn('status', 16),
          varcharColumn('recipient', 255),
          textColumn(qr, 'subject'),
          textColumn(qr, 'body'),
          textColumn(qr, 'html_body', true),
          varcharColumn('template_type', 64),
          { name: 'send_count', type: 'int', default: 0 },
          timestampColumn('next_attempt_at'),
          varcharColumn('claimed_by', 128, { isNullable: true }),
          timestampColumn('claimed_until', true),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_courier_messages_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'idx_courier_messages_recipient', columnNames: ['recipient', 'created_at'] }),
          new TableIndex({ name: 'idx_courier_messages_created', columnNames: ['created_at'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('courier_messages');
  }
}
