import type { IncomingMessage } from 'node:http';
import pino from 'pino';
import { ctxOf } from '../../http';
import { type Ctx, DEFAULT_REALM, systemCtx } from '../../x';

const silent = pino({ enabled: false });

/**
 * The {@link Ctx} of the Node request oidc-provider is serving (`koa.req`, which went through the edge
 * middlewares, so it carries that request's id and realm); a system ctx of `realm` (the engine's own
 * realm) when the engine works outside a request, so a realm's engine never reads or writes another realm's rows.
 */
export function engineCtx(koa: { readonly req: IncomingMessage } | undefined, realm: string = DEFAULT_REALM): Ctx {
  return koa ? ctxOf(koa.req) : systemCtx(silent, realm);
}
