import type { IncomingMessage } from 'node:http';
import pino from 'pino';
import { ctxOf } from '../../http';
import { type Ctx, systemCtx } from '../../x';

const silent = pino({ enabled: false });

/**
 * The {@link Ctx} of the Node request oidc-provider is serving (`koa.req`, which went through the edge
 * middlewares, so it carries that request's id and realm); a system ctx of the default realm when the
 * engine works outside a request.
 */
export function engineCtx(koa: { readonly req: IncomingMessage } | undefined): Ctx {
  return koa ? ctxOf(koa.req) : systemCtx(silent);
}
