import type { ConsentSession } from './consent-session';
import type { ConsentSessionPage, ConsentSessionStore, HandledChallengeStore, LoginSessionStore, LogoutRequestStore } from './consent-stores';
import type { HandledChallenge } from './handled-challenge';
import type { LoginSession } from './login-session';
import type { LogoutRequest } from './logout-request';
import { ByRealm, type Ctx, type KeysetWindow, keysetPageOf, timeKey } from '../../x';

const expired = (at: Date | undefined, now: Date): boolean => at !== undefined && at.getTime() <= now.getTime();

/** In-memory `LoginSessionStore` for unit tests. */
export class MemoryLoginSessionStore implements LoginSessionStore {
  private readonly rowsByRealm = new ByRealm(() => new Map<string, LoginSession>());
  private rows(ctx: Ctx): Map<string, LoginSession> {
    return this.rowsByRealm.of(ctx);
  }
  async upsert(ctx: Ctx, session: LoginSession): Promise<void> {
    this.rows(ctx).set(session.id, session);
  }
  async get(ctx: Ctx, id: string): Promise<LoginSession | undefined> {
    return this.rows(ctx).get(id);
  }
  async deleteBySubject(ctx: Ctx, subject: string): Promise<string[]> {
    const ids = [...this.rows(ctx).values()].filter((s) => s.subject === subject).map((s) => s.id);
    ids.forEach((id) => this.rows(ctx).delete(id));
    return ids;
  }
  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    const ids = [...this.rows(ctx).values()].filter((s) => expired(s.expiresAt, now)).map((s) => s.id);
    ids.forEach((id) => this.rows(ctx).delete(id));
    return ids.length;
  }
}

/** In-memory `ConsentSessionStore` for unit tests. */
export class MemoryConsentSessionStore implements ConsentSessionStore {
  private readonly rowsByRealm = new ByRealm(() => new Map<string, ConsentSession>());
  private rows(ctx: Ctx): Map<string, ConsentSession> {
    return this.rowsByRealm.of(ctx);
  }
  private newestFirst(ctx: Ctx, filter: (c: ConsentSession) => boolean): ConsentSession[] {
    return [...this.rows(ctx).values()].filter(filter).sort((a, b) => b.handledAt.getTime() - a.handledAt.getTime() || a.grantId.localeCompare(b.grantId));
  }
  async create(ctx: Ctx, session: ConsentSession): Promise<void> {
    this.rows(ctx).set(session.grantId, session);
  }
  async getByGrantId(ctx: Ctx, grantId: string): Promise<ConsentSession | undefined> {
    return this.rows(ctx).get(grantId);
  }
  async updateSession(ctx: Ctx, grantId: string, session: ConsentSession['session']): Promise<boolean> {
    const row = this.rows(ctx).get(grantId);
    if (row) this.rows(ctx).set(grantId, { ...row, session });
    return row !== undefined;
  }
  async listRemembered(ctx: Ctx, subject: string, clientId: string): Promise<ConsentSession[]> {
    return this.newestFirst(ctx, (c) => c.subject === subject && c.clientId === clientId && c.remember && !c.skip).slice(0, 20);
  }
  async listBySubject(ctx: Ctx, subject: string, window: KeysetWindow): Promise<ConsentSessionPage> {
    const all = this.newestFirst(ctx, (c) => c.subject === subject && !c.skip);
    return keysetPageOf(all, (c) => [timeKey(c.handledAt), c.grantId], 'DESC', window);
  }
  async grantIds(ctx: Ctx, subject: string, clientId?: string): Promise<string[]> {
    return this.newestFirst(ctx, (c) => c.subject === subject && (clientId === undefined || c.clientId === clientId)).map((c) => c.grantId);
  }
  async deleteByGrantIds(ctx: Ctx, grantIds: readonly string[]): Promise<void> {
    grantIds.forEach((id) => this.rows(ctx).delete(id));
  }
  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    const ids = [...this.rows(ctx).values()].filter((c) => expired(c.expiresAt, now)).map((c) => c.grantId);
    ids.forEach((id) => this.rows(ctx).delete(id));
    return ids.length;
  }
}

/** In-memory `HandledChallengeStore` for unit tests. */
export class MemoryHandledChallengeStore implements HandledChallengeStore {
  private readonly rowsByRealm = new ByRealm(() => new Map<string, HandledChallenge>());
  private rows(ctx: Ctx): Map<string, HandledChallenge> {
    return this.rowsByRealm.of(ctx);
  }
  async put(ctx: Ctx, challenge: HandledChallenge): Promise<void> {
    this.rows(ctx).set(challenge.challenge, challenge);
  }
  async get(ctx: Ctx, challenge: string): Promise<HandledChallenge | undefined> {
    return this.rows(ctx).get(challenge);
  }
  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    const ids = [...this.rows(ctx).values()].filter((c) => expired(c.expiresAt, now)).map((c) => c.challenge);
    ids.forEach((id) => this.rows(ctx).delete(id));
    return ids.length;
  }
}

/** In-memory `LogoutRequestStore` for unit tests. */
export class MemoryLogoutRequestStore implements LogoutRequestStore {
  private readonly rowsByRealm = new ByRealm(() => new Map<string, LogoutRequest>());
  private rows(ctx: Ctx): Map<string, LogoutRequest> {
    return this.rowsByRealm.of(ctx);
  }
  async create(ctx: Ctx, request: LogoutRequest): Promise<void> {
    this.rows(ctx).set(request.challenge, request);
  }
  async get(ctx: Ctx, challenge: string): Promise<LogoutRequest | undefined> {
    return this.rows(ctx).get(challenge);
  }
  async getByVerifier(ctx: Ctx, verifier: string): Promise<LogoutRequest | undefined> {
    return [...this.rows(ctx).values()].find((r) => r.verifier === verifier);
  }
  async update(ctx: Ctx, request: LogoutRequest, expectedState: LogoutRequest['state']): Promise<boolean> {
    if (this.rows(ctx).get(request.challenge)?.state !== expectedState) return false;
    this.rows(ctx).set(request.challenge, request);
    return true;
  }
  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    const ids = [...this.rows(ctx).values()].filter((r) => expired(r.expiresAt, now)).map((r) => r.challenge);
    ids.forEach((id) => this.rows(ctx).delete(id));
    return ids.length;
  }
}
