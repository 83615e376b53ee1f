import { And, type FindOperator, type FindOptionsOrder, type FindOptionsWhere, LessThan, MoreThan } from 'typeorm';
import type { KeyPart, KeysetWindow } from '../x';

/** One column of a list's key; the last column of a key is the row's id (unique within a realm). */
export interface KeyColumn {
  readonly column: string;
  readonly part: KeyPart;
}

/** The find options of one keyset page: `where` (an OR of branches), `order`, `take` (one extra row), `skip`. */
export interface KeysetFind<Row> {
  readonly where: FindOptionsWhere<Row>[];
  readonly order: FindOptionsOrder<Row>;
  readonly take: number;
  readonly skip?: number;
}

/**
 * TypeORM find options for a keyset page of a list ordered by `key` in `direction`: the rows of `base`
 * (one condition or an OR of them, realm-scoped by the caller) strictly after `window.after`, i.e.
 * `k1 > a1 OR (k1 = a1 AND k2 > a2) …` (`<` when descending), ordered by the key, `size + 1` rows (the
 * extra one tells that a next page exists; see `keysetPage`). With an index led by `nid` and the key
 * columns, each page is one index range scan however deep it is. Without `after`, `window.offset` rows
 * are skipped (the old `?page=N`).
 */
export function keysetFind<Row>(
  base: FindOptionsWhere<Row> | FindOptionsWhere<Row>[],
  key: readonly KeyColumn[],
  direction: 'ASC' | 'DESC',
  window: KeysetWindow,
): KeysetFind<Row> {
  const bases = Array.isArray(base) ? base : [base];
  const order = Object.fromEntries(key.map((k) => [k.column, direction])) as FindOptionsOrder<Row>;
  const take = window.size + 1;
  const after = window.after;
  if (!after) return { where: bases, order, take, ...(window.offset ? { skip: window.offset } : {}) };
  const values = key.map((k, i) => (k.part === 'time' ? new Date(after[i] as string) : (after[i] as string)));
  const beyond = direction === 'ASC' ? MoreThan : LessThan;
  const branches: Record<string, unknown>[] = key.map((k, i) => {
    const branch: Record<string, unknown> = {};
    for (let j = 0; j < i; j += 1) branch[(key[j] as KeyColumn).column] = values[j];
    branch[k.column] = beyond(values[i]);
    return branch;
  });
  const where = bases.flatMap((b) => branches.map((branch) => merge(b as Record<string, unknown>, branch) as FindOptionsWhere<Row>));
  return { where, order, take };
}

/** `base` and `branch` together; a column both constrain (e.g. `id: Not(x)` and `id > y`) gets both (`And`). */
function merge(base: Record<string, unknown>, branch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [column, condition] of Object.entries(branch)) {
    out[column] = column in base ? And(base[column] as FindOperator<unknown>, condition as FindOperator<unknown>) : condition;
  }
  return out;
}

/** The usual list key: `(created_at, id)` with a UUID id. */
export const TIME_ID_KEY: readonly KeyColumn[] = [
  { column: 'created_at', part: 'time' },
  { column: 'id', part: 'uuid' },
];
