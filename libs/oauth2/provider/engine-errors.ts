import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { Logger } from '../../x';
import { engineInternals } from './engine';

/** The engine's routes a browser navigates to: their errors go to `urls.error` (Hydra), or are HTML pages (device flow). */
const BROWSER_ROUTES = new Set(['authorization', 'resume', 'end_session', 'end_session_confirm', 'end_session_success', 'code_verification', 'device_resume']);

/** The OAuth2 error body of an unexpected failure (RFC 6749 §5.2 `server_error`). */
export const SERVER_ERROR = { error: 'server_error', error_description: 'The authorization server encountered an unexpected condition.' } as const;

/**
 * oidc-provider's `renderError`, called for errors of requests that accept HTML: browser routes send
 * the browser to `errorUrl?error=&error_description=` (Hydra); every other route (token, revocation,
 * userinfo, device authorization, discovery, JWKS) answers the OAuth2 JSON error whatever the client
 * accepts, with the status the engine chose.
 */
export function renderEngineError(errorUrl: string) {
  return async (ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }): Promise<void> => {
    if (!BROWSER_ROUTES.has(String(ctx.oidc?.route))) {
      ctx.body = { error: out.error ?? SERVER_ERROR.error, ...(out.error_description ? { error_description: out.error_description } : {}) };
      return;
    }
    const target = new URL(errorUrl);
    target.searchParams.set('error', out.error ?? SERVER_ERROR.error);
    if (out.error_description) target.searchParams.set('error_description', out.error_description);
    ctx.redirect(target.href);
  };
}

/**
 * The engine's outermost middleware: what the engine's own error handling leaves as Koa's plain-text
 * defaults becomes the OAuth2 JSON error shape. An unknown path or method is a 404 `not_found`; a
 * failure escaping the engine's routes is a 500 `server_error` (logged with its cause) instead of
 * Koa's `Internal Server Error`, which would also drop the response headers (`X-Request-Id`).
 */
export function engineErrorMiddleware(logger: Logger) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> => {
    try {
      await next();
    } catch (error) {
      if (ctx.res.headersSent) throw error;
      const status = (error as { status?: unknown }).status;
      const expose = (error as { expose?: unknown }).expose === true;
      if (typeof status === 'number' && status >= 400 && status < 500 && expose) {
        ctx.status = status;
        ctx.body = { error: 'invalid_request', error_description: (error as Error).message };
        return;
      }
      logger.error({ err: error, request_id: ctx.response.get('X-Request-Id') || undefined, path: ctx.path }, 'OAuth2 engine failed');
      ctx.status = 500;
      ctx.body = { ...SERVER_ERROR };
      return;
    }
    if (ctx.status === 404 && ctx.body == null) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', error_description: `The requested route ${ctx.method} ${ctx.path} does not exist.` };
    }
  };
}

/**
 * oidc-provider re-renders the device flow's user-code form on a fresh session when the form is
 * posted without one (no session cookie, or an expired session), then fails to persist that session
 * (a 500). Such a session is saved here with its cookie, so the re-rendered form (400) can be
 * submitted; sessions the engine saved before persist as usual.
 */
export function persistFreshSessions(provider: Provider): void {
  type Session = { persist(): Promise<unknown>; save(ttl: number): Promise<unknown>; exp?: number; id: string };
  type Cookies = { set(name: string, value: string, options: Record<string, unknown>): void };
  const session = provider.Session.prototype as unknown as Session;
  const engine = provider as unknown as { cookieName(name: string): string };
  const persist = session.persist;
  session.persist = async function persistFresh(this: Session) {
    if (typeof this.exp === 'number') return persist.call(this);
    // The request being served (oidc-provider keeps it in an AsyncLocalStorage).
    const ctx = (provider.constructor as unknown as { ctx?: { oidc?: { cookies?: Cookies } } }).ctx;
    const internals = engineInternals(provider);
    if (!internals) throw new Error('oidc-provider internals changed: no configuration');
    const configuration = internals.configuration as unknown as {
      ttl: { Session: number | ((ctx: unknown, session: unknown) => number) };
      cookies: { long: Record<string, unknown> };
    };
    const ttl = typeof configuration.ttl.Session === 'function' ? configuration.ttl.Session(ctx, this) : configuration.ttl.Session;
    ctx?.oidc?.cookies?.set(engine.cookieName('session'), this.id, configuration.cookies.long);
    return this.save(ttl);
  };
}
