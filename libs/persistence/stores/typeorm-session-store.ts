import { Not, type Repository } from 'typeorm';
import type { Aal, AuthenticationMethodName, ListSessionsQuery, Session, SessionStore } from '../../session';
import type { Transaction } from '../../x';
import type { Persistence } from '../persistence';
import { type SessionRow, SessionSchema } from '../schemas/session.schema';

/** `SessionStore` on the `sessions` table; lookups by token go through the unique `token_hash` index. */
export class TypeormSessionStore implements SessionStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(tx?: Transaction): Repository<SessionRow> {
    return this.persistence.manager(tx).getRepository(SessionSchema);
  }

  async create(session: Session, tx?: Transaction): Promise<void> {
    const now = new Date();
    await this.repo(tx).insert({ ...toRow(session), created_at: now, updated_at: now });
  }

  async update(session: Session, tx?: Transaction): Promise<void> {
    const { id, ...row } = toRow(session);
    await this.repo(tx).update({ id }, { ...row, updated_at: new Date() } as never);
  }

  async get(id: string, tx?: Transaction): Promise<Session | undefined> {
    const row = await this.repo(tx).findOneBy({ id });
    return row ? fromRow(row) : undefined;
  }

  async getByTokenHash(tokenHash: string, tx?: Transaction): Promise<Session | undefined> {
    const row = await this.repo(tx).findOneBy({ token_hash: tokenHash });
    return row ? fromRow(row) : undefined;
  }

  async list(query: ListSessionsQuery, tx?: Transaction): Promise<{ sessions: Session[]; total: number }> {
    const where: Record<string, unknown> = { identity_id: query.identityId };
    if (query.active !== undefined) where.active = query.active;
    if (query.exceptId) where.id = Not(query.exceptId);
    const [rows, total] = await this.repo(tx).findAndCount({
      where,
      order: { created_at: 'DESC', id: 'ASC' },
      skip: query.page * query.perPage,
      take: query.perPage,
    });
    return { sessions: rows.map(fromRow), total };
  }

  async listAll(page: number, perPage: number, active?: boolean, tx?: Transaction): Promise<{ sessions: Session[]; total: number }> {
    const [rows, total] = await this.repo(tx).findAndCount({
      where: active === undefined ? {} : { active },
      order: { created_at: 'DESC', id: 'ASC' },
      skip: page * perPage,
      take: perPage,
    });
    return { sessions: rows.map(fromRow), total };
  }

  async revokeAllExcept(identityId: string, exceptId: string | undefined, tx?: Transaction): Promise<number> {
    const where: Record<string, unknown> = { identity_id: identityId, active: true };
    if (exceptId) where.id = Not(exceptId);
    const result = await this.repo(tx).update(where, { active: false, updated_at: new Date() } as never);
    return result.affected ?? 0;
  }

  async deleteForIdentity(identityId: string, tx?: Transaction): Promise<number> {
    const result = await this.repo(tx).delete({ identity_id: identityId });
    return result.affected ?? 0;
  }

  async delete(id: string, tx?: Transaction): Promise<boolean> {
    const result = await this.repo(tx).delete({ id });
    return (result.affected ?? 0) > 0;
  }
}

function toRow(s: Session): Omit<SessionRow, 'created_at' | 'updated_at'> {
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
