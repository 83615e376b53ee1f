import { type FindOptionsWhere, LessThanOrEqual, MoreThan, Not, type Repository } from 'typeorm';
import type { Aal, AuthenticationMethodName, ListAllSessionsQuery, ListSessionsQuery, Session, SessionStore } from '../../session';
import type { Ctx } from '../../x';
import type { Persistence } from '../persistence';
import { runBounded } from '../bounded-write';
import { rawBool, rawDate, rawJson, rawTimeParam } from '../raw-values';
import { type SessionRow, SessionSchema } from '../schemas/session.schema';

/** `SessionStore` on the `sessions` table, scoped by `ctx.realm`; lookups by token go through the unique `(nid, token_hash)` index. */
export class TypeormSessionStore implements SessionStore {
  constructor(private readonly persistence: Persistence) {}

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
    const rows = await this.persistence.read(
      'SELECT id, identity_id, token_hash, active, aal, authenticated_at, issued_at, expires_at, authentication_methods, devices, created_at, updated_at FROM sessions WHERE nid = ? AND token_hash = ?',
      [ctx.realm, tokenHash],
      ctx.tx,
    );
    const r = rows[0];
    if (!r) return undefined;
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

  async list(ctx: Ctx, query: ListSessionsQuery): Promise<{ sessions: Session[]; total: number }> {
    const base: FindOptionsWhere<SessionRow> = { nid: ctx.realm, identity_id: query.identityId, ...(query.exceptId ? { id: Not(query.exceptId) } : {}) };
    return this.page(ctx, whereActive(base, query), query);
  }

  async listAll(ctx: Ctx, query: ListAllSessionsQuery): Promise<{ sessions: Session[]; total: number }> {
    return this.page(ctx, whereActive({ nid: ctx.realm }, query), query);
  }

  private async page(
    ctx: Ctx,
    where: FindOptionsWhere<SessionRow> | FindOptionsWhere<SessionRow>[],
    query: ListAllSessionsQuery,
  ): Promise<{ sessions: Session[]; total: number }> {
    const [rows, total] = await this.repo(ctx).findAndCount({
      where,
      order: { created_at: 'DESC', id: 'ASC' },
      skip: query.page * query.perPage,
      take: query.perPage,
    });
    return { sessions: rows.map(fromRow), total };
  }

  /**
   * In chunks of 1,000 sessions (an `UPDATE … LIMIT` that stops matching a row once it set `active = 0`),
   * yielding to other requests between chunks; resolves once every session of the identity is inactive.
   */
  async revokeAllExcept(ctx: Ctx, identityId: string, exceptId: string | undefined): Promise<number> {
    const except = exceptId ? ' AND id <> ?' : '';
    return runBounded(
      this.persistence,
      {
        table: 'sessions',
        sqliteIndex: 'idx_sessions_identity',
        where: `identity_id = ? AND nid = ? AND active = ?${except}`,
        params: [identityId, ctx.realm, true, ...(exceptId ? [exceptId] : [])],
        set: 'active = ?, updated_at = ?',
        setParams: [false, rawTimeParam(this.persistence.dialect, new Date())],
      },
      ctx.tx,
    );
  }

  /** In chunks of 1,000 rows on the `(identity_id, created_at)` index, yielding between chunks. */
  async deleteForIdentity(ctx: Ctx, identityId: string): Promise<number> {
    return runBounded(this.persistence, { table: 'sessions', sqliteIndex: 'idx_sessions_identity', where: 'identity_id = ? AND nid = ?', params: [identityId, ctx.realm] }, ctx.tx);
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    const result = await this.repo(ctx).delete({ nid: ctx.realm, id });
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
