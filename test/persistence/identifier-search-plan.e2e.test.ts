import { makeIdentity } from '../../libs/identity/testing/identity-pool.contract';
import { TypeormIdentityPool } from '../../libs/persistence';
import { identifierSearchSql, prefixUpperBound } from '../../libs/persistence/stores/typeorm-identity-pool';
import { inRealm } from '../../libs/x';
import { testCtx } from '../../libs/x/testing';
import { databaseFactories, sharedPersistence } from '../helpers/databases';

jest.setTimeout(180_000);

/**
 * The identifier lookups of `GET /admin/identities` are index range scans on (nid, identifier): no table
 * scan and no sort, whatever the table holds (checked with EXPLAIN QUERY PLAN on SQLite and EXPLAIN on MariaDB
 * over a few thousand rows in two realms, after ANALYZE so the planners see real statistics).
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('identifier search query plans on %s', (label, factory) => {
  const open = sharedPersistence(factory);

  beforeAll(async () => {
    const persistence = await open();
    const pool = new TypeormIdentityPool(persistence);
    for (const realm of ['default', 'other']) {
      const ctx = inRealm(testCtx(), realm);
      await pool.createMany(ctx, Array.from({ length: 1500 }, (_, i) => makeIdentity(`${String.fromCharCode(97 + (i % 26))}${i}@${realm}.example`)));
    }
    await persistence.dataSource.query(label === 'mysql' ? 'ANALYZE TABLE identity_credential_identifiers' : 'ANALYZE');
  });

  const plan = async (sql: string, params: unknown[]): Promise<string[]> => {
    const persistence = await open();
    if (label === 'mysql') {
      const rows = (await persistence.dataSource.query(`EXPLAIN ${sql}`, params)) as { table: string; type: string; key: string | null; Extra: string | null }[];
      return rows.map((r) => `${r.table} type=${r.type} key=${r.key} extra=${r.Extra ?? ''}`);
    }
    const rows = await persistence.read(`EXPLAIN QUERY PLAN ${sql}`, params);
    return rows.map((r) => String(r.detail));
  };
  const expectIndexRange = (steps: string[]): void => {
    expect(steps).toHaveLength(1);
    if (label === 'mysql') {
      expect(steps[0]).toMatch(/type=(ref|range) key=idx_identifiers_identifier/);
      expect(steps[0]).not.toMatch(/filesort|temporary/i);
    } else {
      expect(steps[0]).toMatch(/^SEARCH identity_credential_identifiers USING (COVERING )?INDEX idx_identifiers_identifier \(nid=\? AND identifier/);
      expect(steps.join('\n')).not.toMatch(/TEMP B-TREE/);
    }
  };

  it('exact match (credentials_identifier)', async () => {
    expectIndexRange(await plan(identifierSearchSql(factory.label as 'sqlite' | 'mysql', 'exact'), ['default', 'a0@default.example']));
  });

  it('prefix match (preview_credentials_identifier_similar), ordered without a sort', async () => {
    const params = label === 'mysql' ? ['default', 'b1%', 50, 0] : ['default', 'b1', prefixUpperBound('b1'), 50, 0];
    expectIndexRange(await plan(identifierSearchSql(factory.label as 'sqlite' | 'mysql', 'prefix'), params));
  });
});

describe('prefixUpperBound', () => {
  it('is the prefix with its last code point incremented', () => {
    expect(prefixUpperBound('ab')).toBe('ac');
    expect(prefixUpperBound('a%')).toBe('a&');
    expect(prefixUpperBound('é')).toBe('ê');
    expect(prefixUpperBound('a\u{d7ff}')).toBe('a\u{e000}');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('\u{10ffff}')).toBeUndefined();
  });
});
