import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from './columns';

interface IndexChange {
  readonly table: string;
  /** The index every keyset page of the list reads one range of: the filter columns, then the list's key. */
  readonly add: { readonly name: string; readonly columns: readonly string[] };
  /** The index it supersedes (a prefix of it), dropped after the new one exists. */
  readonly drop?: { readonly name: string; readonly columns: readonly string[] };
}

/**
 * Issue 16: every admin list is a keyset query `WHERE nid = ? [AND filter = ?] AND (key) > (…) ORDER BY key
 * LIMIT n+1`, so each needs an index of its filter columns followed by the whole key, id included (SQLite
 * indexes end in the rowid, not the id). Identities, clients and trust grants had theirs (migration 015);
 * this adds sessions (all, and per identity — led by `identity_id`, which MySQL's foreign key needs, so
 * the new index is created before the old one is dropped), courier messages (all, and per recipient) and
 * consent sessions per subject.
 */
const CHANGES: readonly IndexChange[] = [
  {
    table: 'sessions',
    add: { name: 'idx_sessions_list', columns: ['nid', 'created_at', 'id'] },
    drop: { name: 'idx_sessions_created', columns: ['nid', 'created_at'] },
  },
  {
    table: 'sessions',
    add: { name: 'idx_sessions_identity_list', columns: ['identity_id', 'created_at', 'id'] },
    drop: { name: 'idx_sessions_identity', columns: ['identity_id', 'created_at'] },
  },
  {
    table: 'courier_messages',
    add: { name: 'idx_courier_messages_list', columns: ['nid', 'created_at', 'id'] },
    drop: { name: 'idx_courier_messages_created', columns: ['nid', 'created_at'] },
  },
  {
    table: 'courier_messages',
    add: { name: 'idx_courier_messages_recipient_list', columns: ['nid', 'recipient', 'created_at', 'id'] },
    drop: { name: 'idx_courier_messages_recipient', columns: ['nid', 'recipient', 'created_at'] },
  },
  {
    table: 'oauth2_consent_sessions',
    add: { name: 'idx_oauth2_consent_sessions_list', columns: ['nid', 'subject', 'skip', 'handled_at', 'grant_id'] },
  },
];

export class KeysetListIndexes1700000000019 implements MigrationInterface {
  name = 'KeysetListIndexes1700000000019';

  async up(qr: QueryRunner): Promise<void> {
    for (const change of CHANGES) {
      await createIndex(qr, change.table, change.add.name, change.add.columns);
      if (change.drop) await dropIndex(qr, change.table, change.drop.name);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const change of [...CHANGES].reverse()) {
      if (change.drop) await createIndex(qr, change.table, change.drop.name, change.drop.columns);
      await dropIndex(qr, change.table, change.add.name);
    }
  }
}

function q(qr: QueryRunner, name: string): string {
  return qr.connection.driver.escape(name);
}

async function createIndex(qr: QueryRunner, table: string, name: string, columns: readonly string[]): Promise<void> {
  await qr.query(`CREATE INDEX ${q(qr, name)} ON ${q(qr, table)} (${columns.map((c) => q(qr, c)).join(', ')})`);
}

async function dropIndex(qr: QueryRunner, table: string, name: string): Promise<void> {
  await qr.query(isMysql(qr) ? `DROP INDEX ${q(qr, name)} ON ${q(qr, table)}` : `DROP INDEX ${q(qr, name)}`);
}
