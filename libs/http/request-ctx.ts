import type { IncomingMessage, ServerResponse } from 'node:http';
import pino from 'pino';
import { type Actor, type Ctx, type Logger, newCtx, newId, requestRealmOf, withActor } from '../x';
import type { NodeMiddleware } from './node-middleware';

/** Where a request keeps its ctx: a symbol-keyed property (a WeakMap entry per request costs the GC more). */
const CTX = Symbol('tessera.ctx');
type WithCtx = IncomingMessage & { [CTX]?: Ctx };
const silent = pino({ enabled: false });

/**
 * Builds the request's {@link Ctx} once, after {@link requestId} and the realm resolver: the request's realm, the `X-Request-Id`
 * the response carries, and the app's actor when known (`admin` on the admin app). Routers read it with
 * {@link ctxOf}.
 */
export function requestCtx(logger: Logger, actor?: Actor): NodeMiddleware {
  return (req, res, next) => {
    (req as WithCtx)[CTX] = newCtx(logger, requestIdOf(req, res), { actor, realm: requestRealmOf(req).name });
    next();
  };
}

/**
 * The ctx of a request. Outside the edge middlewares (a router mounted alone) it is built on first use
 * with a silent logger, so a request always has exactly one ctx.
 */
export function ctxOf(req: IncomingMessage): Ctx {
  let ctx = (req as WithCtx)[CTX];
  if (!ctx) {
    ctx = newCtx(silent, requestIdOf(req), { realm: requestRealmOf(req).name });
    (req as WithCtx)[CTX] = ctx;
  }
  return ctx;
}

function requestIdOf(req: IncomingMessage, res?: ServerResponse): string {
  const fromResponse = (res ?? (req as { res?: ServerResponse }).res)?.getHeader('X-Request-Id');
  return typeof fromResponse === 'string' ? fromResponse : newId();
}

/** Records that `req` acts for `actor` (the admin plane, once it has authenticated the request): `ctxOf` answers with it. */
export function setRequestActor(req: IncomingMessage, actor: Actor): void {
  (req as WithCtx)[CTX] = withActor(ctxOf(req), actor);
}
