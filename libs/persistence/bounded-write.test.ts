import { boundedWriteSql } from './bounded-write';

describe('boundedWriteSql', () => {
  const del = { table: 't', where: 'nid = ? AND expires_at < ?', params: [] };

  it('bounds a MySQL/MariaDB DELETE and UPDATE with LIMIT', () => {
    expect(boundedWriteSql('mysql', del, 1000)).toBe('DELETE FROM t WHERE nid = ? AND expires_at < ? LIMIT 1000');
    expect(boundedWriteSql('mysql', { ...del, set: 'active = ?' }, 50)).toBe('UPDATE t SET active = ? WHERE nid = ? AND expires_at < ? LIMIT 50');
  });

  it('bounds a SQLite DELETE and UPDATE by a rowid sub-select (no DELETE … LIMIT in stock SQLite)', () => {
    expect(boundedWriteSql('sqlite', del, 1000)).toBe('DELETE FROM t WHERE rowid IN (SELECT rowid FROM t WHERE nid = ? AND expires_at < ? LIMIT 1000)');
    expect(boundedWriteSql('sqlite', { ...del, set: 'active = ?' }, 2)).toBe('UPDATE t SET active = ? WHERE rowid IN (SELECT rowid FROM t WHERE nid = ? AND expires_at < ? LIMIT 2)');
  });

  it('names the index of the SQLite sub-select when asked', () => {
    expect(boundedWriteSql('sqlite', { ...del, sqliteIndex: 'idx_t' }, 5)).toBe('DELETE FROM t WHERE rowid IN (SELECT rowid FROM t INDEXED BY idx_t WHERE nid = ? AND expires_at < ? LIMIT 5)');
    expect(boundedWriteSql('mysql', { ...del, sqliteIndex: 'idx_t' }, 5)).toBe('DELETE FROM t WHERE nid = ? AND expires_at < ? LIMIT 5');
  });

  it('never emits a limit below one or a fraction', () => {
    expect(boundedWriteSql('mysql', del, 0)).toMatch(/LIMIT 1$/);
    expect(boundedWriteSql('mysql', del, 2.7)).toMatch(/LIMIT 2$/);
  });
});
