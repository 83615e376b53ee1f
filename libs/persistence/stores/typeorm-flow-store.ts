import type { AnyFlow, ErrorStore, FlowKind, FlowStore, StoredError } from '../../selfservice/flow';
import { fromStored } from '../../selfservice/flow';
import {  newId, type Ctx } from '../../x';
import type { Persistence } from '../persistence';
import { ErrorSchema, FlowSchema } from '../schemas/session.schema';

/** `FlowStore` on `selfservice_flows`: each flow is one JSON document keyed by id and kind. */
export class TypeormFlowStore implements FlowStore {
  constructor(private readonly persistence: Persistence) {}

  async create(ctx: Ctx, flow: AnyFlow): Promise<void> {
    await this.persistence.manager(ctx.tx).getRepository(FlowSchema).insert({
      nid: ctx.realm,
      id: flow.id,
      kind: flow.kind,
      type: flow.type,
      data: JSON.parse(JSON.stringify(flow)) as Record<string, unknown>,
      expires_at: flow.expiresAt,
      created_at: flow.createdAt,
      updated_at: flow.updatedAt,
    } as never);
  }

  async update(ctx: Ctx, flow: AnyFlow): Promise<void> {
    await this.persistence
      .manager(ctx.tx)
      .getRepository(FlowSchema)
      .update({ nid: ctx.realm, id: flow.id }, { data: JSON.parse(JSON.stringify(flow)) as Record<string, unknown>, expires_at: flow.expiresAt, updated_at: flow.updatedAt } as never);
  }

  async get<K extends FlowKind>(ctx: Ctx, kind: K, id: string): Promise<Extract<AnyFlow, { kind: K }> | undefined> {
    const row = await this.persistence.manager(ctx.tx).getRepository(FlowSchema).findOneBy({ nid: ctx.realm, id, kind });
    return row ? (fromStored(row.data) as Extract<AnyFlow, { kind: K }>) : undefined;
  }

  /** MySQL: `SELECT … FOR UPDATE` (the latest committed row, locked). SQLite: `tx` already excludes every other transaction. */
  async getForUpdate<K extends FlowKind>(ctx: Ctx, kind: K, id: string): Promise<Extract<AnyFlow, { kind: K }> | undefined> {
    const lock = this.persistence.dialect === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const row = await this.persistence.manager(this.persistence.lockingTx(ctx.tx, 'FlowStore.getForUpdate')).getRepository(FlowSchema).findOne({ where: { nid: ctx.realm, id, kind }, ...lock });
    return row ? (fromStored(row.data) as Extract<AnyFlow, { kind: K }>) : undefined;
  }
}

/** `ErrorStore` on `selfservice_errors`. */
export class TypeormErrorStore implements ErrorStore {
  constructor(private readonly persistence: Persistence) {}

  async create(ctx: Ctx, error: Record<string, unknown>): Promise<string> {
    const id = newId();
    const now = new Date();
    await this.persistence.manager(ctx.tx).getRepository(ErrorSchema).insert({ nid: ctx.realm, id, error, seen_at: null, created_at: now, updated_at: now } as never);
    return id;
  }

  async read(ctx: Ctx, id: string): Promise<StoredError | undefined> {
    const repo = this.persistence.manager(ctx.tx).getRepository(ErrorSchema);
    const row = await repo.findOneBy({ nid: ctx.realm, id });
    if (!row) return undefined;
    if (!row.seen_at) await repo.update({ nid: ctx.realm, id }, { seen_at: new Date() } as never);
    return { id: row.id, error: row.error, createdAt: row.created_at, updatedAt: row.updated_at };
  }
}
