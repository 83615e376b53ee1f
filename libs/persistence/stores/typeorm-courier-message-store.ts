import type { FindOptionsWhere, Repository } from 'typeorm';
import type {
  ClaimRequest,
  CourierMessage,
  CourierMessageStore,
  FailedOutcome,
  ListMessagesQuery,
  MessageStatus,
  MessageType,
  TemplateType,
} from '../../courier';
import { type Ctx, type KeysetPage, keysetPage, timeKey } from '../../x';
import { rawDate } from '../raw-values';
import { TIME_ID_KEY, keysetFind } from '../keyset-find';
import type { Persistence } from '../persistence';
import { type CourierMessageRow, CourierMessageSchema } from '../schemas/courier-message.schema';

/** Queued and due, or processing with an expired lease (a crashed dispatcher's message). */
const CLAIMABLE = "((status = 'queued' AND next_attempt_at <= :now) OR (status = 'processing' AND claimed_until < :now))";

/** Candidates read per claimed message: losing a race to another dispatcher still leaves work to try. */
const CANDIDATES_PER_CLAIM = 4;

/**
 * `CourierMessageStore` on `courier_messages`. A claim is an atomic conditional UPDATE that re-checks
 * claimability in its WHERE clause and counts affected rows, so two processes on one MySQL database (or
 * two connections to one SQLite file) never both win the same message.
 *
 * Realms: `create`, `get` and `list` are scoped by `ctx.realm`. The delivery side (`claim`, `markSent`,
 * `markFailed`) is process-wide on purpose: there is one dispatcher per process (the transport is process
 * config, the message body is already rendered), it claims due messages of every realm (or of the one
 * `realm` a claim names), and settles a claimed message by its random UUID and its own worker id.
 */
export class TypeormCourierMessageStore implements CourierMessageStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(ctx: Ctx): Repository<CourierMessageRow> {
    return this.persistence.manager(ctx.tx).getRepository(CourierMessageSchema);
  }

  async create(ctx: Ctx, message: CourierMessage): Promise<void> {
    await this.repo(ctx).insert({ ...toRow(message), nid: ctx.realm });
  }

  async get(ctx: Ctx, id: string): Promise<CourierMessage | undefined> {
    const row = await this.repo(ctx).findOneBy({ nid: ctx.realm, id });
    return row ? fromRow(row) : undefined;
  }

  async list(ctx: Ctx, query: ListMessagesQuery): Promise<KeysetPage<CourierMessage>> {
    const where: FindOptionsWhere<CourierMessageRow> = { nid: ctx.realm };
    if (query.status !== undefined) where.status = query.status;
    if (query.recipient !== undefined) where.recipient = query.recipient;
    const rows = await this.repo(ctx).find(keysetFind(where, TIME_ID_KEY, 'DESC', query));
    const page = keysetPage(rows, query.size, (r) => [timeKey(rawDate(r.created_at)), r.id]);
    return { ...page, items: page.items.map(fromRow) };
  }

  async claim(ctx: Ctx, request: ClaimRequest): Promise<CourierMessage[]> {
    if (request.limit < 1 || request.types.length === 0) return [];
    const candidates: { id: string }[] = await this.repo(ctx)
      .createQueryBuilder('m')
      .select('m.id', 'id')
      .where('m.type IN (:...types)', { types: [...request.types] })
      .andWhere(CLAIMABLE, { now: request.now })
      .andWhere(request.realm === undefined ? '1 = 1' : 'm.nid = :realm', { realm: request.realm })
      .orderBy('m.next_attempt_at', 'ASC')
      .addOrderBy('m.created_at', 'ASC')
      .limit(request.limit * CANDIDATES_PER_CLAIM)
      .getRawMany();
    const won: string[] = [];
    for (const { id } of candidates) {
      if (won.length >= request.limit) break;
      const result = await this.repo(ctx)
        .createQueryBuilder()
        .update()
        .set({
          status: 'processing',
          claimed_by: request.workerId,
          claimed_until: request.leaseUntil,
          send_count: () => 'send_count + 1',
          updated_at: request.now,
        })
        .where('id = :id', { id })
        .andWhere(CLAIMABLE, { now: request.now })
        .execute();
      if (result.affected === 1) won.push(id);
    }
    if (won.length === 0) return [];
    const rows = await this.repo(ctx).createQueryBuilder('m').where('m.id IN (:...ids)', { ids: won }).getMany();
    const order = new Map(won.map((id, i) => [id, i]));
    return rows.map(fromRow).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }

  async markSent(ctx: Ctx, id: string, workerId: string, now: Date): Promise<boolean> {
    return this.settle(ctx, id, workerId, { status: 'sent', claimed_until: null, updated_at: now });
  }

  async markFailed(ctx: Ctx, id: string, workerId: string, outcome: FailedOutcome, now: Date): Promise<boolean> {
    return this.settle(
      ctx,
      id,
      workerId,
      outcome.status === 'queued'
        ? { status: 'queued', next_attempt_at: outcome.nextAttemptAt, claimed_by: null, claimed_until: null, updated_at: now }
        : { status: 'abandoned', claimed_until: null, updated_at: now },
    );
  }

  /** Applies `change` only while `workerId` still holds the claim. */
  private async settle(ctx: Ctx, id: string, workerId: string, change: Partial<CourierMessageRow>): Promise<boolean> {
    const result = await this.repo(ctx)
      .createQueryBuilder()
      .update()
      .set(change)
      .where('id = :id', { id })
      .andWhere("status = 'processing'")
      .andWhere('claimed_by = :workerId', { workerId })
      .execute();
    return result.affected === 1;
  }
}

function toRow(m: CourierMessage): Omit<CourierMessageRow, 'nid'> {
  return {
    id: m.id,
    type: m.type,
    status: m.status,
    recipient: m.recipient,
    subject: m.subject,
    body: m.body,
    html_body: m.htmlBody ?? null,
    template_type: m.templateType,
    send_count: m.sendCount,
    next_attempt_at: m.nextAttemptAt,
    claimed_by: m.claimedBy ?? null,
    claimed_until: m.claimedUntil ?? null,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

function fromRow(r: CourierMessageRow): CourierMessage {
  return {
    id: r.id,
    type: r.type as MessageType,
    status: r.status as MessageStatus,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    ...(r.html_body !== null ? { htmlBody: r.html_body } : {}),
    templateType: r.template_type as TemplateType,
    sendCount: Number(r.send_count),
    nextAttemptAt: r.next_attempt_at,
    ...(r.claimed_by !== null ? { claimedBy: r.claimed_by } : {}),
    ...(r.claimed_until !== null ? { claimedUntil: r.claimed_until } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    realm: r.nid,
  };
}
