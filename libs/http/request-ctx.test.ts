import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import pino from 'pino';
import type { Ctx } from '../x';
import { type NodeMiddleware, withMiddlewares } from './node-middleware';
import { ctxOf, requestCtx, setRequestActor } from './request-ctx';
import { requestId } from './request-id';

function request(headers: Record<string, string> = {}): { req: IncomingMessage; res: ServerResponse } {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  return { req, res: new ServerResponse(req) };
}

/** Runs the middlewares and returns the ctx the handler sees. */
function ctxSeenBy(middlewares: NodeMiddleware[], headers?: Record<string, string>): { ctx: Ctx; res: ServerResponse } {
  const { req, res } = request(headers);
  let seen: Ctx | undefined;
  withMiddlewares(middlewares, (r) => {
    seen = ctxOf(r);
  })(req, res);
  return { ctx: seen as Ctx, res };
}

describe('requestCtx / ctxOf', () => {
  const logger = pino({ enabled: false });

  it('builds one ctx per request with the X-Request-Id, the default realm and the app actor', () => {
    const { ctx, res } = ctxSeenBy([requestId(), requestCtx(logger, { kind: 'admin' })], { 'x-request-id': 'abc-123' });
    expect(res.getHeader('X-Request-Id')).toBe('abc-123');
    expect([ctx.requestId, ctx.realm, ctx.actor, ctx.tx]).toEqual(['abc-123', 'default', { kind: 'admin' }, undefined]);
  });

  it('uses the generated request id when the client sent none', () => {
    const { ctx, res } = ctxSeenBy([requestId(), requestCtx(logger)]);
    expect(ctx.requestId).toBe(res.getHeader('X-Request-Id'));
    expect(ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.actor).toBeUndefined();
  });

  it('returns the same ctx on every read, also for a request that skipped the middlewares', () => {
    const { req } = request();
    expect(ctxOf(req)).toBe(ctxOf(req));
    expect(ctxOf(req).realm).toBe('default');
  });

  it('setRequestActor makes later reads act for the authenticated key, same request id and realm', () => {
    const { ctx } = ctxSeenBy([
      requestId(),
      requestCtx(logger, { kind: 'admin' }),
      (req, _res, next) => {
        setRequestActor(req, { kind: 'admin', id: 'operator:1' });
        next();
      },
    ], { 'x-request-id': 'abc-456' });
    expect([ctx.requestId, ctx.realm, ctx.actor]).toEqual(['abc-456', 'default', { kind: 'admin', id: 'operator:1' }]);
  });
});
