import type { NodeMiddleware } from './node-middleware';

/**
 * The Content-Security-Policy every response starts with: nothing loads but same-origin scripts and
 * images, no plugins, no `<base>`, and no site may frame the page (`frame-ancestors 'none'`). No
 * `unsafe-inline`, no `unsafe-eval`: an inline script the engine renders (the `form_post` page) gets its
 * sha256 added to `script-src` by oidc-provider; a page that needs more (the front-channel logout page)
 * replaces this header with its own, as strict.
 */
export const DEFAULT_CSP = "default-src 'none'; script-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

/**
 * Browser hardening for every response of an app, set before the handler runs (so HTML pages rendered
 * anywhere, in express or in the engine, carry it): `X-Frame-Options: DENY` (older browsers),
 * {@link DEFAULT_CSP}, and `X-Content-Type-Options: nosniff`. On JSON the headers are inert.
 */
export function securityHeaders(): NodeMiddleware {
  return (_req, res, next) => {
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', DEFAULT_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  };
}
