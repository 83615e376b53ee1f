import type { Session } from './session';
import type { ListAllSessionsQuery, ListSessionsQuery, SessionStore } from './session-store';
import { ByRealm, type Ctx, type KeysetPage, keysetPageOf } from '../x';

/**
 * An in-memory `SessionStore` for unit tests. It keeps the contract (unique token hash, newest first)
 * but has no identities table: `deleteForIdentity` stands in for the cascade. Transactions are ignored.
 */
export class MemorySessionStore implements SessionStore {
  private readonly rowsByRealm = new ByRealm(() => new Map<string, { session: Session; seq: number }>());
  private rows(ctx: Ctx): Map<string, { session: Session; seq: number }> {
    return this.rowsByRealm.of(ctx);
  }
  private seq = 0;

  async create(ctx: Ctx, session: Session): Promise<void> {
    if (this.rows(ctx).has(session.id)) throw new Error(`duplicate session id ${session.id}`);
    if ([...this.rows(ctx).values()].some((r) => r.session.tokenHash === session.tokenHash)) throw new Error('duplicate session token hash');
    this.rows(ctx).set(session.id, { session: structuredClone(session), seq: ++this.seq });
  }

  async update(ctx: Ctx, session: Session): Promise<void> {
    const row = this.rows(ctx).get(session.id);
    if (row) row.session = structuredClone(session);
  }

  async get(ctx: Ctx, id: string): Promise<Session | undefined> {
    const row = this.rows(ctx).get(id);
    return row ? structuredClone(row.session) : undefined;
  }

  /** Transactions are ignored: the same as `get`. */
  async getForUpdate(ctx: Ctx, id: string): Promise<Session | undefined> {
    return this.get(ctx, id);
  }

  async getByTokenHash(ctx: Ctx, tokenHash: string): Promise<Session | undefined> {
    const row = [...this.rows(ctx).values()].find((r) => r.session.tokenHash === tokenHash);
    return row ? structuredClone(row.session) : undefined;
  }

  async list(ctx: Ctx, query: ListSessionsQuery): Promise<KeysetPage<Session>> {
    return this.page(ctx, (s) => s.identityId === query.identityId && s.id !== query.exceptId, query);
  }

  async listAll(ctx: Ctx, query: ListAllSessionsQuery): Promise<KeysetPage<Session>> {
    return this.page(ctx, () => true, query);
  }

  async revokeAllExcept(ctx: Ctx, identityId: string, exceptId: string | undefined): Promise<number> {
    let count = 0;
    for (const row of this.rows(ctx).values()) {
      if (row.session.identityId === identityId && row.session.id !== exceptId && row.session.active) {
        row.session = { ...row.session, active: false };
        count++;
      }
    }
    return count;
  }

  async deleteForIdentity(ctx: Ctx, identityId: string): Promise<number> {
    const ids = [...this.rows(ctx).values()].filter((r) => r.session.identityId === identityId).map((r) => r.session.id);
    ids.forEach((id) => this.rows(ctx).delete(id));
    return ids.length;
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    return this.rows(ctx).delete(id);
  }

  /** Newest first by insertion order; the key's first part is the insertion sequence (zero-padded), the memory stand-in for `created_at`. */
  private page(ctx: Ctx, match: (s: Session) => boolean, query: ListAllSessionsQuery): KeysetPage<Session> {
    const valid = (s: Session): boolean => s.active && (!query.validAt || s.expiresAt.getTime() > query.validAt.getTime());
    const rows = [...this.rows(ctx).values()].filter((r) => match(r.session) && (query.active === undefined || valid(r.session) === query.active));
    const page = keysetPageOf(rows, (r) => [String(r.seq).padStart(12, '0'), r.session.id], 'DESC', query);
    return { ...page, items: page.items.map((r) => structuredClone(r.session)) };
  }
}
