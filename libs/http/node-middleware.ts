import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Actor, Logger } from '../x';
import { type CorsSettings, corsFor } from './cors';
import { noCache } from './no-cache';
import { realmResolver } from './realm-resolver';
import { requestCtx } from './request-ctx';
import { requestId } from './request-id';
import { requestLog } from './request-log';
import { securityHeaders } from './security-headers';

/**
 * A connect-style middleware on Node's own request and response: express mounts it as is, and
 * {@link withMiddlewares} runs it in front of handlers that never enter express.
 */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The path of a request target, without its query string (`/a/b?c` → `/a/b`). */
export function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}

/**
 * Runs `middlewares` in order, then `handler`. A middleware that answers (a CORS preflight) ends the
 * chain; one that fails answers 500 without details (these middlewares never fail on client input).
 */
export function withMiddlewares(middlewares: readonly NodeMiddleware[], handler: RequestListener): RequestListener {
  return (req, res) => {
    let i = 0;
    const next = (error?: unknown): void => {
      if (error) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 500, status: 'Internal Server Error', message: 'An internal server error occurred, please contact the system administrator' } }));
        return;
      }
      const middleware = middlewares[i++];
      if (middleware) middleware(req, res, next);
      else handler(req, res);
    };
    next();
  };
}

/**
 * What every request of either app goes through first, in order: `X-Request-Id`, the realm resolver
 * (`/realms/{realm}` prefix or `{realm}{realmHostSuffix}` host; see `realmResolver`), the request's ctx
 * (with `actor`, when the app knows it), the access log line, no-cache headers, browser hardening (CSP,
 * `X-Frame-Options: DENY`) and the app's CORS policy.
 */
export function edgeMiddlewares(logger: Logger, cors: CorsSettings, actor?: Actor, realmHostSuffix?: string): NodeMiddleware[] {
  return [requestId(), realmResolver(realmHostSuffix), requestCtx(logger, actor), requestLog(logger), noCache(), securityHeaders(), corsFor(cors)];
}
