import { isAbsolute, resolve } from 'node:path';

/** A parsed `DSN`. */
export type ParsedDsn =
  | { readonly kind: 'sqlite'; readonly path: string; readonly memory: boolean }
  | { readonly kind: 'mysql'; readonly url: string; readonly database: string };

/**
 * Parses the `dsn` setting: `memory` (in-memory SQLite), `sqlite:///abs/file.db`, `sqlite://rel/file.db`
 * (relative to the working directory; query parameters ignored), or `mysql://user:pass@host:3306/db`.
 * @throws Error with a message that names the accepted forms (never echoes a password).
 */
export function parseDsn(dsn: string): ParsedDsn {
  if (dsn === 'memory' || dsn === 'sqlite://:memory:' || dsn.startsWith('sqlite://file::memory:')) {
    return { kind: 'sqlite', path: ':memory:', memory: true };
  }
  if (dsn.startsWith('sqlite://')) {
    const raw = decodeURIComponent(dsn.slice('sqlite://'.length).split('?')[0]);
    if (raw === '') throw new Error('dsn: sqlite:// needs a file path, e.g. sqlite://./data/tessera.db');
    return { kind: 'sqlite', path: isAbsolute(raw) ? raw : resolve(process.cwd(), raw), memory: false };
  }
  if (dsn.startsWith('mysql://')) {
    const url = URL.parse(dsn);
    const database = url?.pathname.replace(/^\//, '') ?? '';
    if (!url || !url.hostname || database === '') {
      throw new Error('dsn: a MySQL DSN looks like mysql://user:password@host:3306/database');
    }
    return { kind: 'mysql', url: dsn, database };
  }
  throw new Error('dsn: must be "memory", sqlite://<path> or mysql://user:password@host:3306/database');
}
