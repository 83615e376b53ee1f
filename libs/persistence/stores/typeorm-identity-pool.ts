import { type EntityManager, type FindOperator, type FindOptionsWhere, In, Raw } from 'typeorm';
import type {
  CredentialsType,
  Credentials,
  Identity,
  IdentityPage,
  IdentityState,
  ListIdentitiesQuery,
  PrivilegedIdentityPool,
  AddressVia,
  VerifiableAddressStatus,
} from '../../identity';
import { DuplicateIdentifierError, normalizeIdentifier } from '../../identity';
import { keysetPage, newTimeOrderedId, timeKey, type Ctx } from '../../x';
import type { SessionInvalidation } from '../../session';
import { type KeyColumn, keysetFind } from '../keyset-find';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { insertManySql } from '../raw-sql';
import { invalidateSessions } from './invalidate-sessions';
import { rawBool, rawDate, rawJson, rawOptionalDate, rawTimeParam } from '../raw-values';
import {
  type CredentialRow,
  CredentialSchema,
  type IdentifierRow,
  IdentifierSchema,
  type IdentityRow,
  IdentitySchema,
  type RecoveryAddressRow,
  RecoveryAddressSchema,
  type VerifiableAddressRow,
  VerifiableAddressSchema,
} from '../schemas/identity.schema';

/** The most identifiers a prefix search (`preview_credentials_identifier_similar`) reads: it previews, it does not export. */
const SIMILAR_MAX = 1000;

const IDENTITY_KEY: readonly KeyColumn[] = [
  { column: 'created_at', part: 'time' },
  { column: 'id', part: 'uuid' },
];

/** Rows per multi-row INSERT (one statement per table for an import chunk of 200): at most 2,000 parameters, far below SQLite's and MySQL's limits. */
const INSERT_BATCH = 200;

const IDENTITY_COLUMNS = ['nid', 'id', 'schema_id', 'state', 'state_changed_at', 'traits', 'metadata_public', 'metadata_admin', 'created_at', 'updated_at'];
const CREDENTIAL_COLUMNS = ['nid', 'id', 'identity_id', 'type', 'config', 'version', 'created_at', 'updated_at'];
const IDENTIFIER_COLUMNS = ['nid', 'id', 'identity_id', 'credential_id', 'type', 'identifier', 'created_at'];
const VERIFIABLE_COLUMNS = ['nid', 'id', 'identity_id', 'via', 'value', 'verified', 'status', 'verified_at', 'created_at', 'updated_at'];
const RECOVERY_COLUMNS = ['nid', 'id', 'identity_id', 'via', 'value', 'created_at', 'updated_at'];

/**
 * `PrivilegedIdentityPool` on the identity tables. Every write is atomic: it joins the caller's
 * transaction or opens its own. Reads load an identity's related rows with one query
 * per table for the whole page (never per identity); writes map unique-index violations to
 * `DuplicateIdentifierError`.
 */
export class TypeormIdentityPool implements PrivilegedIdentityPool {
  /** `changes` (the whoami cache) hears of every update and deletion, after the write and again after its transaction. */
  constructor(
    private readonly persistence: Persistence,
    private readonly changes?: SessionInvalidation,
  ) {}

  private m(ctx: Ctx): EntityManager {
    return this.persistence.manager(ctx.tx);
  }

  /** Read on every authenticated request: five raw, indexed queries (no query builder). */
  async get(ctx: Ctx, id: string): Promise<Identity | undefined> {
    return this.read(ctx, id, false);
  }

  /**
   * On MySQL every query is a locking read (`FOR UPDATE`): it waits for other holders, returns the
   * latest committed rows whatever the transaction's snapshot, and keeps the identity row locked until
   * `tx` ends. On SQLite `tx` already excludes every other transaction.
   */
  async getForUpdate(ctx: Ctx, id: string): Promise<Identity | undefined> {
    this.persistence.lockingTx(ctx.tx, 'IdentityPool.getForUpdate');
    return this.read(ctx, id, this.persistence.dialect === 'mysql');
  }

  private async read(ctx: Ctx, id: string, lock: boolean): Promise<Identity | undefined> {
    const read = (sql: string): Promise<Record<string, unknown>[]> => this.persistence.read(lock ? `${sql} FOR UPDATE` : sql, [ctx.realm, id], ctx.tx);
    const [row] = (await read(
      'SELECT id, schema_id, state, state_changed_at, traits, metadata_public, metadata_admin, created_at, updated_at FROM identities WHERE nid = ? AND id = ?',
    )) as Record<string, unknown>[];
    if (!row) return undefined;
    const [creds, idents, verifiable, recovery] = (await Promise.all([
      read('SELECT id, identity_id, type, config, version, created_at, updated_at FROM identity_credentials WHERE nid = ? AND identity_id = ?'),
      read('SELECT id, identity_id, credential_id, type, identifier, created_at FROM identity_credential_identifiers WHERE nid = ? AND identity_id = ? ORDER BY created_at, identifier'),
      read('SELECT id, identity_id, via, value, verified, status, verified_at, created_at, updated_at FROM identity_verifiable_addresses WHERE nid = ? AND identity_id = ? ORDER BY created_at, value'),
      read('SELECT id, identity_id, via, value, created_at, updated_at FROM identity_recovery_addresses WHERE nid = ? AND identity_id = ? ORDER BY created_at, value'),
    ])) as Record<string, unknown>[][];
    return identityFromRawRows(row, creds, idents, verifiable, recovery);
  }

  async getMany(ctx: Ctx, ids: readonly string[]): Promise<Identity[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    return this.hydrate(ctx, await this.m(ctx).getRepository(IdentitySchema).find({ where: { nid: ctx.realm, id: In(unique) } }));
  }

  async list(ctx: Ctx, query: ListIdentitiesQuery): Promise<IdentityPage> {
    const repo = this.m(ctx).getRepository(IdentitySchema);
    let base: FindOptionsWhere<IdentityRow> = { nid: ctx.realm };
    const filtered = await this.filteredIds(ctx, query);
    if (filtered !== undefined) {
      if (filtered.length === 0) return { items: [] };
      base = { nid: this.realmFilter(ctx), id: In(filtered) };
    }
    const rows = await repo.find(keysetFind(base, IDENTITY_KEY, 'ASC', query));
    const page = keysetPage(rows, query.size, (r) => [timeKey(r.created_at), r.id]);
    return { ...page, items: await this.hydrate(ctx, [...page.items]) };
  }

  /**
   * The ids an identifier filter lets through, or `undefined` without one: the exact identifier's
   * identities, or — for a prefix (`credentialsIdentifierSimilar`) — those of the first
   * {@link SIMILAR_MAX} identifiers starting with it, walking the `(nid, identifier)` index in identifier
   * order. The list then pages them by its own key, like every list.
   */
  private async filteredIds(ctx: Ctx, query: ListIdentitiesQuery): Promise<string[] | undefined> {
    if (query.credentialsIdentifierSimilar !== undefined) {
      const prefix = normalizeIdentifier(query.credentialsIdentifierSimilar);
      const sql = identifierSearchSql(this.persistence.dialect, 'prefix');
      const params = this.persistence.dialect === 'mysql' ? [ctx.realm, `${escapeLike(prefix)}%`] : [ctx.realm, prefix, prefixUpperBound(prefix) ?? '\u{10FFFF}\u{10FFFF}'];
      const rows = await this.persistence.read(sql, [...params, SIMILAR_MAX, 0], ctx.tx);
      return [...new Set(rows.map((r) => String(r.identity_id)))];
    }
    if (query.credentialsIdentifier !== undefined) {
      const rows = await this.persistence.read(identifierSearchSql(this.persistence.dialect, 'exact'), [ctx.realm, normalizeIdentifier(query.credentialsIdentifier)], ctx.tx);
      return [...new Set(rows.map((r) => String(r.identity_id)))];
    }
    return undefined;
  }

  async findByCredentialsIdentifier(ctx: Ctx, type: CredentialsType, identifier: string): Promise<Identity | undefined> {
    const hit = await this.m(ctx).getRepository(IdentifierSchema).findOneBy({ nid: ctx.realm, type, identifier: normalizeIdentifier(identifier) });
    return hit ? this.get(ctx, hit.identity_id) : undefined;
  }

  async findByAddress(ctx: Ctx, kind: 'recovery' | 'verifiable', via: AddressVia, value: string): Promise<Identity | undefined> {
    const schema = kind === 'recovery' ? RecoveryAddressSchema : VerifiableAddressSchema;
    const hit = await this.m(ctx).getRepository<{ nid: string; identity_id: string; via: string; value: string }>(schema).findOneBy({ nid: ctx.realm, via, value: normalizeIdentifier(value) });
    return hit ? this.get(ctx, hit.identity_id) : undefined;
  }

  async takenIdentifiers(ctx: Ctx, type: CredentialsType, identifiers: readonly string[]): Promise<Set<string>> {
    if (identifiers.length === 0) return new Set();
    const rows = await this.m(ctx)
      .getRepository(IdentifierSchema)
      .find({ where: { nid: ctx.realm, type, identifier: In(identifiers.map(normalizeIdentifier)) }, select: { identifier: true } });
    return new Set(rows.map((r) => r.identifier));
  }

  async create(ctx: Ctx, identity: Identity): Promise<void> {
    await this.createMany(ctx, [identity]);
  }

  /**
   * Raw multi-row INSERTs (prepared and cached on SQLite), parents before children, with no uniqueness
   * pre-check: the unique indexes decide and a violation fails the whole call. Identifier and address rows
   * are inserted in key order, so concurrent imports take their unique-index locks in one global order
   * (MySQL: fewer deadlocks between overlapping batches).
   */
  async createMany(ctx: Ctx, identities: readonly Identity[]): Promise<void> {
    if (!ctx.tx) return this.persistence.withTransaction(ctx, (own) => this.createMany(own, identities));
    const rows = identities.map((identity) => toRows(ctx.realm, identity));
    const byKey = <T>(key: (r: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    await this.guard(async () => {
      // An import stamps most rows with the same few instants: format each once.
      const times = new Map<number, unknown>();
      const t = (d: Date | null | undefined): unknown => {
        if (!d) return null;
        let v = times.get(d.getTime());
        if (v === undefined) times.set(d.getTime(), (v = rawTimeParam(this.persistence.dialect, d)));
        return v;
      };
      const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
      await this.insertRows(ctx, 'identities', IDENTITY_COLUMNS, rows.map(({ identity: r }) => [
        r.nid, r.id, r.schema_id, r.state, t(r.state_changed_at), JSON.stringify(r.traits), json(r.metadata_public), json(r.metadata_admin), t(r.created_at), t(r.updated_at),
      ]));
      await this.insertRows(ctx, 'identity_credentials', CREDENTIAL_COLUMNS, rows.flatMap((r) => r.credentials).map((r) => [
        r.nid, r.id, r.identity_id, r.type, JSON.stringify(r.config), r.version, t(r.created_at), t(r.updated_at),
      ]));
      const identifiers = rows.flatMap((r) => r.identifiers).sort(byKey((r) => `${r.type}\u0000${r.identifier}`));
      await this.insertRows(ctx, 'identity_credential_identifiers', IDENTIFIER_COLUMNS, identifiers.map((r) => [
        r.nid, r.id, r.identity_id, r.credential_id, r.type, r.identifier, t(r.created_at),
      ]));
      const verifiable = rows.flatMap((r) => r.verifiable).sort(byKey((r) => `${r.via}\u0000${r.value}`));
      await this.insertRows(ctx, 'identity_verifiable_addresses', VERIFIABLE_COLUMNS, verifiable.map((r) => [
        r.nid, r.id, r.identity_id, r.via, r.value, r.verified, r.status, t(r.verified_at), t(r.created_at), t(r.updated_at),
      ]));
      const recovery = rows.flatMap((r) => r.recovery).sort(byKey((r) => `${r.via}\u0000${r.value}`));
      await this.insertRows(ctx, 'identity_recovery_addresses', RECOVERY_COLUMNS, recovery.map((r) => [
        r.nid, r.id, r.identity_id, r.via, r.value, t(r.created_at), t(r.updated_at),
      ]));
    });
  }

  /** Multi-row INSERTs of at most {@link INSERT_BATCH} rows each, inside `ctx.tx`. */
  private async insertRows(ctx: Ctx, table: string, columns: readonly string[], rows: readonly unknown[][]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const slice = rows.slice(i, i + INSERT_BATCH);
      await this.persistence.execute(insertManySql(table, columns, slice.length), slice.flat(), ctx.tx);
    }
  }

  async update(ctx: Ctx, identity: Identity): Promise<void> {
    if (!ctx.tx) return this.persistence.withTransaction(ctx, (own) => this.update(own, identity));
    const rows = toRows(ctx.realm, identity);
    await this.guard(async () => {
      const m = this.m(ctx);
      const { id, nid, ...fields } = rows.identity;
      // Children are written with this realm: an identity of another realm must not gain rows here.
      if (!(await m.getRepository(IdentitySchema).existsBy({ nid, id }))) throw new Error(`identity ${id} not found in realm ${nid}`);
      await m.getRepository(IdentitySchema).update({ nid, id }, fields as never);
      // Children are replaced wholesale; the manager kept ids and timestamps of unchanged entries.
      for (const schema of [IdentifierSchema, CredentialSchema, VerifiableAddressSchema, RecoveryAddressSchema]) {
        await m.getRepository<{ nid: string; identity_id: string }>(schema).delete({ nid, identity_id: id });
      }
      await insertAll(m, CredentialSchema, rows.credentials);
      await insertAll(m, IdentifierSchema, rows.identifiers);
      await insertAll(m, VerifiableAddressSchema, rows.verifiable);
      await insertAll(m, RecoveryAddressSchema, rows.recovery);
    });
    invalidateSessions(this.persistence, this.changes, ctx, { identityId: identity.id });
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    // Foreign keys cascade to credentials, identifiers, addresses (and sessions).
    const result = await this.m(ctx).getRepository(IdentitySchema).delete({ nid: ctx.realm, id });
    invalidateSessions(this.persistence, this.changes, ctx, { identityId: id });
    return (result.affected ?? 0) > 0;
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (isDuplicateKeyError(e)) throw new DuplicateIdentifierError(describeDuplicate(e));
      throw e;
    }
  }

  /**
   * `nid = realm` for a lookup by a list of ids. On SQLite written `+nid = ?`: without ANALYZE statistics its
   * planner prefers an index led by `nid` (equality) over the id index (IN list) and scans the whole realm —
   * 0.4 s per query at 1 M identities; the unary plus keeps `nid` out of index selection (0.2 ms).
   */
  private realmFilter(ctx: Ctx): string | FindOperator<string> {
    return this.persistence.dialect === 'sqlite' ? Raw((column) => `+${column} = :realm`, { realm: ctx.realm }) : ctx.realm;
  }

  /** Loads credentials, identifiers and addresses for all rows with one query per table. */
  private async hydrate(ctx: Ctx, rows: IdentityRow[]): Promise<Identity[]> {
    if (rows.length === 0) return [];
    const m = this.m(ctx);
    const ids = rows.map((r) => r.id);
    const where = { nid: this.realmFilter(ctx), identity_id: In(ids) };
    const [creds, idents, verifiable, recovery] = await Promise.all([
      m.getRepository(CredentialSchema).find({ where }),
      m.getRepository(IdentifierSchema).find({ where, order: { created_at: 'ASC', identifier: 'ASC' } }),
      m.getRepository(VerifiableAddressSchema).find({ where, order: { created_at: 'ASC', value: 'ASC' } }),
      m.getRepository(RecoveryAddressSchema).find({ where, order: { created_at: 'ASC', value: 'ASC' } }),
    ]);
    const group = <T extends { identity_id: string }>(list: T[]): Map<string, T[]> => {
      const map = new Map<string, T[]>();
      for (const item of list) map.set(item.identity_id, [...(map.get(item.identity_id) ?? []), item]);
      return map;
    };
    const [c, i, v, r] = [group(creds), group(idents), group(verifiable), group(recovery)];
    return rows.map((row) => fromRows(row, c.get(row.id) ?? [], i.get(row.id) ?? [], v.get(row.id) ?? [], r.get(row.id) ?? []));
  }
}

/**
 * The identifier lookups of the admin list, each served by the `(nid, identifier)` index
 * (`idx_identifiers_identifier`) without a table scan or a sort (checked by identifier-search-plan.e2e.test.ts):
 * `exact` takes (nid, identifier); `prefix` takes (nid, lower bound, upper bound, limit, offset) on SQLite — a
 * byte range, so nothing in the input is a wildcard — and (nid, escaped LIKE pattern, limit, offset) on MySQL,
 * whose collation-aware LIKE with a constant prefix is a range scan of the index.
 */
export function identifierSearchSql(dialect: 'sqlite' | 'mysql', mode: 'exact' | 'prefix'): string {
  if (mode === 'exact') return 'SELECT identity_id FROM identity_credential_identifiers WHERE nid = ? AND identifier = ?';
  return dialect === 'mysql'
    ? "SELECT identity_id FROM identity_credential_identifiers WHERE nid = ? AND identifier LIKE ? ESCAPE '!' ORDER BY identifier, id LIMIT ? OFFSET ?"
    : 'SELECT identity_id FROM identity_credential_identifiers WHERE nid = ? AND identifier >= ? AND identifier < ? ORDER BY identifier, rowid LIMIT ? OFFSET ?';
}

/** `value` with LIKE's wildcards and the escape character `!` escaped, so each matches only itself. */
export function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}

/**
 * The least string greater than every string starting with `prefix` in code-point (UTF-8 byte, SQLite
 * BINARY) order: `prefix` with its last code point incremented (skipping surrogates, dropping trailing
 * U+10FFFF); undefined when no such string exists (empty prefix or only U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix].map((c) => c.codePointAt(0) as number);
  while (points.length > 0) {
    const last = (points.pop() as number) + 1;
    if (last <= 0x10ffff) {
      points.push(last === 0xd800 ? 0xe000 : last);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}

async function insertAll<T extends object>(m: EntityManager, schema: import('typeorm').EntitySchema<T>, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await m.getRepository(schema).insert(rows.slice(i, i + INSERT_BATCH) as never);
  }
}

function describeDuplicate(e: unknown): string {
  const text = String((e as { message?: string }).message ?? '');
  if (/verifiable|uq_verifiable/.test(text)) return 'verifiable address';
  if (/recovery|uq_recovery/.test(text)) return 'recovery address';
  return 'identifier';
}

function toRows(nid: string, identity: Identity): {
  identity: IdentityRow;
  credentials: CredentialRow[];
  identifiers: IdentifierRow[];
  verifiable: VerifiableAddressRow[];
  recovery: RecoveryAddressRow[];
} {
  const credentials: CredentialRow[] = [];
  const identifiers: IdentifierRow[] = [];
  for (const c of Object.values(identity.credentials)) {
    const credentialId = newTimeOrderedId();
    credentials.push({
      nid,
      id: credentialId,
      identity_id: identity.id,
      type: c.type,
      config: { ...c.config },
      version: c.version,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
    });
    for (const identifier of new Set(c.identifiers)) {
      identifiers.push({ nid, id: newTimeOrderedId(), identity_id: identity.id, credential_id: credentialId, type: c.type, identifier, created_at: c.updatedAt });
    }
  }
  return {
    identity: {
      nid,
      id: identity.id,
      schema_id: identity.schemaId,
      state: identity.state,
      state_changed_at: identity.stateChangedAt ?? null,
      traits: { ...identity.traits },
      metadata_public: identity.metadataPublic ?? null,
      metadata_admin: identity.metadataAdmin ?? null,
      created_at: identity.createdAt,
      updated_at: identity.updatedAt,
    },
    credentials,
    identifiers,
    verifiable: identity.verifiableAddresses.map((a) => ({
      nid,
      id: a.id,
      identity_id: identity.id,
      via: a.via,
      value: a.value,
      verified: a.verified,
      status: a.status,
      verified_at: a.verifiedAt ?? null,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
    })),
    recovery: identity.recoveryAddresses.map((a) => ({
      nid,
      id: a.id,
      identity_id: identity.id,
      via: a.via,
      value: a.value,
      created_at: a.createdAt,
      updated_at: a.updatedAt,
    })),
  };
}

/**
 * An identity from rows read with raw SQL (`Persistence.read`, either dialect), columns named as in the
 * tables: the identity row, then its credentials, identifiers and addresses (in the order to keep).
 */
export function identityFromRawRows(
  row: Record<string, unknown>,
  creds: readonly Record<string, unknown>[],
  idents: readonly Record<string, unknown>[],
  verifiable: readonly Record<string, unknown>[],
  recovery: readonly Record<string, unknown>[],
): Identity {
  const ts = <T extends object>(r: Record<string, unknown>, extra: Partial<T> = {}): T =>
    ({ ...r, created_at: rawDate(r.created_at), ...('updated_at' in r ? { updated_at: rawDate(r.updated_at) } : {}), ...extra }) as unknown as T;
  return fromRows(
    ts<IdentityRow>(row, { state_changed_at: rawOptionalDate(row.state_changed_at) ?? null, traits: rawJson(row.traits), metadata_public: rawJson(row.metadata_public), metadata_admin: rawJson(row.metadata_admin) }),
    creds.map((r) => ts<CredentialRow>(r, { config: rawJson(r.config), version: Number(r.version) })),
    idents.map((r) => ts<IdentifierRow>(r)),
    verifiable.map((r) => ts<VerifiableAddressRow>(r, { verified: rawBool(r.verified), verified_at: rawOptionalDate(r.verified_at) ?? null })),
    recovery.map((r) => ts<RecoveryAddressRow>(r)),
  );
}

function fromRows(
  row: IdentityRow,
  creds: CredentialRow[],
  idents: IdentifierRow[],
  verifiable: VerifiableAddressRow[],
  recovery: RecoveryAddressRow[],
): Identity {
  const credentials: Partial<Record<CredentialsType, Credentials>> = {};
  for (const c of creds) {
    credentials[c.type as CredentialsType] = {
      type: c.type as CredentialsType,
      identifiers: idents.filter((i) => i.credential_id === c.id).map((i) => i.identifier),
      config: c.config,
      version: c.version,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
    };
  }
  return {
    id: row.id,
    schemaId: row.schema_id,
    state: row.state as IdentityState,
    stateChangedAt: row.state_changed_at ?? undefined,
    traits: row.traits,
    verifiableAddresses: verifiable.map((a) => ({
      id: a.id,
      value: a.value,
      verified: Boolean(a.verified),
      via: a.via as AddressVia,
      status: a.status as VerifiableAddressStatus,
      verifiedAt: a.verified_at ?? undefined,
      createdAt: a.created_at,
      updatedAt: a.updated_at,
    })),
    recoveryAddresses: recovery.map((a) => ({ id: a.id, value: a.value, via: a.via as AddressVia, createdAt: a.created_at, updatedAt: a.updated_at })),
    metadataPublic: row.metadata_public ?? null,
    metadataAdmin: row.metadata_admin ?? null,
    credentials,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
