import { EntitySchema } from 'typeorm';

export interface CourierMessageRow {
  /** The realm (Ory's `nid`). */
  nid: string;
  id: string;
  type: string;
  status: string;
  recipient: string;
  subject: string;
  body: string;
  html_body: string | null;
  template_type: string;
  send_count: number;
  next_attempt_at: Date;
  claimed_by: string | null;
  claimed_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

const ts = { type: 'datetime' as const, precision: 3 };

export const CourierMessageSchema = new EntitySchema<CourierMessageRow>({
  name: 'CourierMessage',
  tableName: 'courier_messages',
  columns: {
    nid: { type: 'varchar', length: 64 },
    id: { type: 'varchar', length: 36, primary: true },
    type: { type: 'varchar', length: 8 },
    status: { type: 'varchar', length: 16 },
    recipient: { type: 'varchar', length: 512 },
    subject: { type: 'text' },
    body: { type: 'text' },
    html_body: { type: 'text', nullable: true },
    template_type: { type: 'varchar', length: 64 },
    send_count: { type: 'int' },
    next_attempt_at: ts,
    claimed_by: { type: 'varchar', length: 128, nullable: true },
    claimed_until: { ...ts, nullable: true },
    created_at: ts,
    updated_at: ts,
  },
});
