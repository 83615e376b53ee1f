import { type FindOptionsWhere, LessThanOrEqual, MoreThan, Not, type Repository } from 'typeorm';
import type {
  Aal,
  AuthenticationMethodName,
  ListAllSessionsQuery,
  ListSessionsQuery,
  Session,
  SessionIdentityReader,
  SessionInvalidation,
  SessionStore,
  WhoamiRecord,
} from '../../session';
import { type Ctx, type KeysetPage, keysetPage, timeKey } from '../../x';
import { type KeyColumn, keysetFind } from '../keyset-find';
import type { Persistence } from '../persistence';
import { runBounded } from '../bounded-write';
import { rawBool, rawDate, rawJson, rawTimeParam } from '../raw-values';
import { type SessionRow, SessionSchema } from '../schemas/session.schema';
import { identityFromRawRows } from './typeorm-identity-pool';
import { invalidateSessions } from './invalidate-sessions';

const SESSION_KEY: readonly KeyColumn[] = [
  { column: 'created_at', part: 'time' },
  { column: 'id', part: 'uuid' },
];

const SESSION_COLUMNS = 'id, identity_id, token_hash, active, aal, authenticated_at, issued_at, expires_at, authentication_methods, devices, created_at, updated_at';

/** The credential types whose `config` whoami reads (`highestAvailableAal`); other configs (password hashes) stay in the database. */
const SECOND_FACTOR_TYPES = "'totp', 'lookup_secret', 'webauthn'";

/**
 * The whoami read (see {@link TypeormSessionStore.getWithIdentityByTokenHash}): one statement, four arms of
 * one `UNION ALL`, each found through the unique `(nid, token_hash)` index and then the `(nid, …)` keys of
 * its table. Every arm has every column, NULL where it is not its own, so the result types stay those of the
 * tables on both dialects; no arm multiplies another (unlike a join of the 1:n tables).
 */
const WHOAMI_SQL = [
  `SELECT 's' AS k, s.id AS s_id, s.identity_id AS s_identity_id, s.token_hash AS s_token_hash, s.active AS s_active, s.aal AS s_aal,
     s.authenticated_at AS s_authenticated_at, s.issued_at AS s_issued_at, s.expires_at AS s_expires_at,
     s.authentication_methods AS s_authentication_methods, s.devices AS s_devices, s.created_at AS s_created_at, s.updated_at AS s_updated_at,
     i.schema_id AS i_schema_id, i.state AS i_state, i.state_changed_at AS i_state_changed_at, i.traits AS i_traits,
     i.metadata_public AS i_metadata_public, i.metadata_admin AS i_metadata_admin, i.created_at AS i_created_at, i.updated_at AS i_updated_at,
     NULL AS a_id, NULL AS a_via, NULL AS a_value, NULL AS a_verified, NULL AS a_status, NULL AS a_verified_at, NULL AS a_created_at, NULL AS a_updated_at,
     NULL AS c_type, NULL AS c_config, NULL AS c_version
   FROM sessions s JOIN identities i ON i.nid = s.nid AND i.id = s.identity_id WHERE s.nid = ? AND s.token_hash = ?`,
  `SELECT 'v', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     a.id, a.via, a.value, a.verified, a.status, a.verified_at, a.created_at, a.updated_at, NULL, NULL, NULL
   FROM sessions s JOIN identity_verifiable_addresses a ON a.nid = s.nid AND a.identity_id = s.identity_id WHERE s.nid = ? AND s.token_hash = ?`,
  `SELECT 'r', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     a.id, a.via, a.value, NULL, NULL, NULL, a.created_at, a.updated_at, NULL, NULL, NULL
   FROM sessions s JOIN identity_recovery_addresses a ON a.nid = s.nid AND a.identity_id = s.identity_id WHERE s.nid = ? AND s.token_hash = ?`,
  `SELECT 'c', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, c.created_at, c.updated_at, c.type, CASE WHEN c.type IN (${SECOND_FACTOR_TYPES}) THEN c.config ELSE NULL END, c.version
   FROM sessions s JOIN identity_credentials c ON c.nid = s.nid AND c.identity_id = s.identity_id WHERE s.nid = ? AND s.token_hash = ?`,
]
  .join('\nUNION ALL\n')
  .concat('\nORDER BY k, a_created_at, a_value');

/**
 * `SessionStore` on the `sessions` table, scoped by `ctx.realm`; lookups by token go through the unique
 * `(nid, token_hash)` index. `changes` (the whoami cache) hears of every update and deletion, after the
 * write and again after its transaction.
 */
export class TypeormSessionStore implements SessionStore, SessionIdentityReader {
  constructor(
    private readonly persistence: Persistence,
    private readonly changes?: SessionInvalidation,
  ) {}

  private repo(ctx: Ctx): Repository<SessionRow> {
    return this.persistence.manager(ctx.tx).getRepository(SessionSchema);
  }

  async create(ctx: Ctx, session: Session): Promise<void> {
    const now = new Date();
    await this.repo(ctx).insert({ ...toRow(session), nid: ctx.realm, created_at: now, updated_at: now });
  }

  async update(ctx: Ctx, session: Session): Promise<void> {
    const { id, ...row } = toRow(session);
    await this.repo(ctx).update({ nid: ctx.realm, id }, { ...row, updated_at: new Date() } as never);
    invalidateSessions(this.persistence, this.changes, ctx, { sessionId: id });
  }

  async get(ctx: Ctx, id: string): Promise<Session | undefined> {
    const row = await this.repo(ctx).findOneBy({ nid: ctx.realm, id });
    return row ? fromRow(row) : undefined;
  }

  /** MySQL: `SELECT … FOR UPDATE` (the latest committed row, locked). SQLite: `ctx.tx` already excludes every other transaction. */
  async getForUpdate(ctx: Ctx, id: string): Promise<Session | undefined> {
    this.persistence.lockingTx(ctx.tx, 'SessionStore.getForUpdate');
    const lock = this.persistence.dialect === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const row = await this.repo(ctx).findOne({ where: { nid: ctx.realm, id }, ...lock });
    return row ? fromRow(row) : undefined;
  }

  /** The hot path of every authenticated request: one raw, indexed query (no query builder). */
  async getByTokenHash(ctx: Ctx, tokenHash: string): Promise<Session | undefined> {
    const rows = await this.persistence.read(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE nid = ? AND token_hash = ?`, [ctx.realm, tokenHash], ctx.tx);
    return rows[0] ? fromRawRow(rows[0]) : undefined;
  }

  /**
   * The whoami read: the session of a token hash with its identity, the identity's verifiable and recovery
   * addresses and its credential types (with the config of second factors only) in one statement, so one
   * round trip on MySQL and one prepared statement on SQLite (it was three sequential rounds of six
   * queries). The identity is the projection `WhoamiRecord` describes.
   */
  async getWithIdentityByTokenHash(ctx: Ctx, tokenHash: string): Promise<WhoamiRecord | undefined> {
    const p = [ctx.realm, tokenHash];
    const rows = await this.persistence.read(WHOAMI_SQL, [...p, ...p, ...p, ...p], ctx.tx);
    let head: Record<string, unknown> | undefined;
    const verifiable: Record<string, unknown>[] = [];
    const recovery: Record<string, unknown>[] = [];
    const credentials: Record<string, unknown>[] = [];
    for (const r of rows) {
      if (r.k === 's') head = r;
      else if (r.k === 'c') credentials.push({ id: r.c_type, type: r.c_type, config: r.c_config ?? '{}', version: r.c_version, created_at: r.a_created_at, updated_at: r.a_updated_at });
      else {
        const address = { id: r.a_id, via: r.a_via, value: r.a_value, created_at: r.a_created_at, updated_at: r.a_updated_at };
        if (r.k === 'v') verifiable.push({ ...address, verified: r.a_verified, status: r.a_status, verified_at: r.a_verified_at });
        else recovery.push(address);
      }
    }
    if (!head) return undefined;
    const session = fromRawRow({
      id: head.s_id,
      identity_id: head.s_identity_id,
      token_hash: head.s_token_hash,
      active: head.s_active,
      aal: head.s_aal,
      authenticated_at: head.s_authenticated_at,
      issued_at: head.s_issued_at,
      expires_at: head.s_expires_at,
      authentication_methods: head.s_authentication_methods,
      devices: head.s_devices,
      created_at: head.s_created_at,
      updated_at: head.s_updated_at,
    });
    const identity = {
      id: session.identityId,
      schema_id: head.i_schema_id,
      state: head.i_state,
      state_changed_at: head.i_state_changed_at,
      traits: head.i_traits,
      metadata_public: head.i_metadata_public,
      metadata_admin: head.i_metadata_admin,
      created_at: head.i_created_at,
      updated_at: head.i_updated_at,
    };
    return { session, identity: identityFromRawRows(identity, credentials, [], verifiable, recovery) };
  }

  async list(ctx: Ctx, query: ListSessionsQuery): Promise<KeysetPage<Session>> {
    const base: FindOptionsWhere<SessionRow> = { nid: ctx.realm, identity_id: query.identityId, ...(query.exceptId ? { id: Not(query.exceptId) } : {}) };
    return this.page(ctx, whereActive(base, query), query);
  }

  async listAll(ctx: Ctx, query: ListAllSessionsQuery): Promise<KeysetPage<Session>> {
    return this.page(ctx, whereActive({ nid: ctx.realm }, query), query);
  }

  private async page(ctx: Ctx, where: FindOptionsWhere<SessionRow> | FindOptionsWhere<SessionRow>[], query: ListAllSessionsQuery): Promise<KeysetPage<Session>> {
    const rows = await this.repo(ctx).find(keysetFind(where, SESSION_KEY, 'DESC', query));
    const page = keysetPage(rows, query.size, (r) => [timeKey(rawDate(r.created_at)), r.id]);
    return { ...page, items: page.items.map(fromRow) };
  }

  /**
   * In chunks of 1,000 sessions (an `UPDATE … LIMIT` that stops matching a row once it set `active = 0`),
   * yielding to other requests between chunks; resolves once every session of the identity is inactive.
   */
  async revokeAllExcept(ctx: Ctx, identityId: string, exceptId: string | undefined): Promise<number> {
    const except = exceptId ? ' AND id <> ?' : '';
    const count = await runBounded(
      this.persistence,
      {
        table: 'sessions',
        sqliteIndex: 'idx_sessions_identity_list',
        where: `identity_id = ? AND nid = ? AND active = ?${except}`,
        params: [identityId, ctx.realm, true, ...(exceptId ? [exceptId] : [])],
        set: 'active = ?, updated_at = ?',
        setParams: [false, rawTimeParam(this.persistence.dialect, new Date())],
      },
      ctx.tx,
    );
    invalidateSessions(this.persistence, this.changes, ctx, { identityId });
    return count;
  }

  /** In chunks of 1,000 rows on the `(identity_id, created_at, id)` index, yielding between chunks. */
  async deleteForIdentity(ctx: Ctx, identityId: string): Promise<number> {
    const count = await runBounded(this.persistence, { table: 'sessions', sqliteIndex: 'idx_sessions_identity_list', where: 'identity_id = ? AND nid = ?', params: [identityId, ctx.realm] }, ctx.tx);
    invalidateSessions(this.persistence, this.changes, ctx, { identityId });
    return count;
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    const result = await this.repo(ctx).delete({ nid: ctx.realm, id });
    invalidateSessions(this.persistence, this.changes, ctx, { sessionId: id });
    return (result.affected ?? 0) > 0;
  }
}

/** Adds the `active` filter: with `validAt`, expired sessions count as inactive (an OR of two branches). */
function whereActive(base: FindOptionsWhere<SessionRow>, query: ListAllSessionsQuery): FindOptionsWhere<SessionRow> | FindOptionsWhere<SessionRow>[] {
  const { active, validAt } = query;
  if (active === undefined) return base;
  if (active) return { ...base, active: true, ...(validAt ? { expires_at: MoreThan(validAt) } : {}) };
  if (!validAt) return { ...base, active: false };
  return [
    { ...base, active: false },
    { ...base, expires_at: LessThanOrEqual(validAt) },
  ];
}

function toRow(s: Session): Omit<SessionRow, 'nid' | 'created_at' | 'updated_at'> {
  return {
    id: s.id,
    identity_id: s.identityId,
    token_hash: s.tokenHash,
    active: s.active,
    aal: s.aal,
    authenticated_at: s.authenticatedAt,
    issued_at: s.issuedAt,
    expires_at: s.expiresAt,
    authentication_methods: s.authenticationMethods.map((m) => ({ method: m.method, aal: m.aal, completed_at: m.completedAt.toISOString() })),
    devices: s.devices.map((d) => ({ id: d.id, ip_address: d.ipAddress, user_agent: d.userAgent, location: d.location })),
  };
}

/** A session from a row read with raw SQL (either dialect). */
function fromRawRow(r: Record<string, unknown>): Session {
  return fromRow({
    ...(r as unknown as SessionRow),
    active: rawBool(r.active),
    authenticated_at: rawDate(r.authenticated_at),
    issued_at: rawDate(r.issued_at),
    expires_at: rawDate(r.expires_at),
    authentication_methods: rawJson(r.authentication_methods),
    devices: rawJson(r.devices),
  });
}

function fromRow(r: SessionRow): Session {
  return {
    id: r.id,
    identityId: r.identity_id,
    tokenHash: r.token_hash,
    active: Boolean(r.active),
    aal: r.aal as Aal,
    authenticatedAt: r.authenticated_at,
    issuedAt: r.issued_at,
    expiresAt: r.expires_at,
    authenticationMethods: r.authentication_methods.map((m) => ({ method: m.method as AuthenticationMethodName, aal: m.aal as Aal, completedAt: new Date(m.completed_at) })),
    devices: r.devices.map((d) => ({ id: d.id, ipAddress: d.ip_address, userAgent: d.user_agent, location: d.location })),
  };
}
