import type { Logger } from './logger';
import type { Transaction } from './transaction';

/** The realm every request belongs to until realms are resolved per request. */
export const DEFAULT_REALM = 'default';

/** Who a request acts for, when known: a signed-in identity, the admin API, an OAuth2 client, or the process itself. */
export interface Actor {
  readonly kind: 'identity' | 'admin' | 'client' | 'system';
  readonly id?: string;
}

/**
 * The request context: the first parameter of every service entry point and every store method.
 * Invariants: the realm and request id come from the request (or {@link systemCtx} for background work),
 * never from a global; a ctx carrying `tx` (from {@link withTx} or `TransactionRunner.withTransaction`) is
 * only valid inside that transaction's callback; `logger` writes `request_id` and `realm` on every line.
 */
export interface Ctx {
  readonly realm: string;
  readonly requestId: string;
  readonly actor?: Actor;
  /** The open transaction the work takes part in, when inside one. */
  readonly tx?: Transaction;
  /** A child of the process logger with `request_id` and `realm` bound. */
  readonly logger: Logger;
}

/** A ctx whose logger child is created on first use (most requests write no domain log line). */
class RequestCtx implements Ctx {
  private child?: Logger;

  constructor(
    private readonly base: Logger,
    readonly realm: string,
    readonly requestId: string,
    readonly actor?: Actor,
    readonly tx?: Transaction,
  ) {}

  get logger(): Logger {
    this.child ??= this.base.child({ request_id: this.requestId, realm: this.realm });
    return this.child;
  }

  with(tx: Transaction): RequestCtx {
    const next = new RequestCtx(this.base, this.realm, this.requestId, this.actor, tx);
    next.child = this.child;
    return next;
  }

  /** The same request acting as `actor` in `realm` (a new logger child when the realm changes). */
  as(realm: string, actor: Actor | undefined): RequestCtx {
    const next = new RequestCtx(this.base, realm, this.requestId, actor, this.tx);
    if (realm === this.realm) next.child = this.child;
    return next;
  }
}

/** The ctx of one request: `logger` is the process logger, `requestId` the request's `X-Request-Id`. */
export function newCtx(logger: Logger, requestId: string, options: { realm?: string; actor?: Actor } = {}): Ctx {
  return new RequestCtx(logger, options.realm ?? DEFAULT_REALM, requestId, options.actor);
}

/** The ctx of background work with no request (courier dispatcher, migrations, boot): actor `system`. */
export function systemCtx(logger: Logger, realm: string = DEFAULT_REALM): Ctx {
  return new RequestCtx(logger, realm, 'system', { kind: 'system' });
}

/** `ctx` inside the transaction `tx`: valid only inside that transaction's callback. */
export function withTx(ctx: Ctx, tx: Transaction): Ctx {
  if (ctx instanceof RequestCtx) return ctx.with(tx);
  return { realm: ctx.realm, requestId: ctx.requestId, actor: ctx.actor, tx, logger: ctx.logger };
}

/**
 * `ctx` working in the realm `realm` (the control plane acting on a project's realm): same request id,
 * actor and transaction; log lines carry `realm`.
 */
export function inRealm(ctx: Ctx, realm: string): Ctx {
  if (ctx.realm === realm) return ctx;
  if (ctx instanceof RequestCtx) return ctx.as(realm, ctx.actor);
  return { realm, requestId: ctx.requestId, actor: ctx.actor, tx: ctx.tx, logger: ctx.logger.child({ realm }) };
}

/** `ctx` acting for `actor` (set once the admin plane has authenticated the request). */
export function withActor(ctx: Ctx, actor: Actor): Ctx {
  if (ctx instanceof RequestCtx) return ctx.as(ctx.realm, actor);
  return { realm: ctx.realm, requestId: ctx.requestId, actor, tx: ctx.tx, logger: ctx.logger };
}
