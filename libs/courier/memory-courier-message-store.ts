import type { ClaimRequest, CourierMessageStore, FailedOutcome, ListMessagesQuery } from './courier-message-store';
import type { CourierMessage } from './message';
import { DEFAULT_REALM, type Ctx, type KeysetPage, keysetPageOf, timeKey } from '../x';

/** True when `m` may be claimed at `now`: queued and due, or processing with an expired lease. */
export function isClaimable(m: CourierMessage, now: Date): boolean {
  if (m.status === 'queued') return m.nextAttemptAt.getTime() <= now.getTime();
  return m.status === 'processing' && m.claimedUntil !== undefined && m.claimedUntil.getTime() < now.getTime();
}

/**
 * `CourierMessageStore` over a map, for unit tests; single-threaded, so every claim is atomic. As in the
 * database store, `get` and `list` see `ctx.realm`'s messages only; claims and settling are process-wide, and
 * every message read reports the realm that created it.
 */
export class MemoryCourierMessageStore implements CourierMessageStore {
  private readonly messages = new Map<string, CourierMessage>();
  private readonly realms = new Map<string, string>();

  private inRealm(ctx: Ctx, id: string): boolean {
    return (this.realms.get(id) ?? DEFAULT_REALM) === ctx.realm;
  }

  async create(ctx: Ctx, message: CourierMessage): Promise<void> {
    if (this.messages.has(message.id)) throw new Error(`duplicate courier message ${message.id}`);
    this.messages.set(message.id, { ...message, realm: ctx.realm });
    this.realms.set(message.id, ctx.realm);
  }

  async get(ctx: Ctx, id: string): Promise<CourierMessage | undefined> {
    const m = this.inRealm(ctx, id) ? this.messages.get(id) : undefined;
    return m ? { ...m } : undefined;
  }

  async list(ctx: Ctx, query: ListMessagesQuery): Promise<KeysetPage<CourierMessage>> {
    const matching = [...this.messages.values()].filter(
      (m) => this.inRealm(ctx, m.id) && (query.status === undefined || m.status === query.status) && (query.recipient === undefined || m.recipient === query.recipient),
    );
    const page = keysetPageOf(matching, (m) => [timeKey(m.createdAt), m.id], 'DESC', query);
    return { ...page, items: page.items.map((m) => ({ ...m })) };
  }

  async claim(ctx: Ctx, request: ClaimRequest): Promise<CourierMessage[]> {
    const due = [...this.messages.values()]
      .filter((m) => request.types.includes(m.type) && isClaimable(m, request.now) && (request.realm === undefined || m.realm === request.realm))
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, request.limit);
    return due.map((m) => {
      const claimed: CourierMessage = {
        ...m,
        status: 'processing',
        claimedBy: request.workerId,
        claimedUntil: request.leaseUntil,
        sendCount: m.sendCount + 1,
        updatedAt: request.now,
      };
      this.messages.set(m.id, claimed);
      return { ...claimed };
    });
  }

  async markSent(ctx: Ctx, id: string, workerId: string, now: Date): Promise<boolean> {
    return this.settle(id, workerId, (m) => ({ ...m, status: 'sent', claimedUntil: undefined, updatedAt: now }));
  }

  async markFailed(ctx: Ctx, id: string, workerId: string, outcome: FailedOutcome, now: Date): Promise<boolean> {
    return this.settle(id, workerId, (m) =>
      outcome.status === 'queued'
        ? { ...m, status: 'queued', nextAttemptAt: outcome.nextAttemptAt, claimedBy: undefined, claimedUntil: undefined, updatedAt: now }
        : { ...m, status: 'abandoned', claimedUntil: undefined, updatedAt: now },
    );
  }

  private settle(id: string, workerId: string, change: (m: CourierMessage) => CourierMessage): boolean {
    const m = this.messages.get(id);
    if (!m || m.status !== 'processing' || m.claimedBy !== workerId) return false;
    this.messages.set(id, change(m));
    return true;
  }

  /** Removes every message (contract runs). */
  clear(): void {
    this.messages.clear();
    this.realms.clear();
  }
}
