import { keysetPage, keysetPageOf } from './keyset';

const rows = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, at: `2026-01-01T00:00:0${i % 2}.000Z` }));
const key = (r: { id: string; at: string }): string[] => [r.at, r.id];

describe('keysetPage', () => {
  it('cuts the extra row and returns the key of the last kept row as next', () => {
    expect(keysetPage(rows.slice(0, 3), 2, key)).toEqual({ items: rows.slice(0, 2), next: key(rows[1]!) });
    expect(keysetPage(rows.slice(0, 2), 2, key)).toEqual({ items: rows.slice(0, 2) });
  });
});

describe('keysetPageOf', () => {
  it('pages ascending and descending by the whole key, none missed or repeated', () => {
    for (const direction of ['ASC', 'DESC'] as const) {
      const seen: string[] = [];
      let after: readonly string[] | undefined;
      do {
        const page = keysetPageOf(rows, key, direction, { size: 2, ...(after ? { after } : {}) });
        seen.push(...page.items.map((r) => r.id));
        after = page.next;
      } while (after);
      const ascending = ['a', 'c', 'e', 'b', 'd'];
      expect(seen).toEqual(direction === 'ASC' ? ascending : [...ascending].reverse());
    }
  });

  it('skips offset rows without a key', () => {
    expect(keysetPageOf(rows, key, 'ASC', { size: 2, offset: 2 }).items.map((r) => r.id)).toEqual(['e', 'b']);
  });
});
