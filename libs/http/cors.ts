import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeMiddleware } from './node-middleware';

/** Per-app CORS settings (`serve.<app>.cors`). Off unless `enabled`. */
export interface CorsSettings {
  readonly enabled: boolean;
  readonly allowed_origins: readonly string[];
  readonly allowed_methods: readonly string[];
  readonly allowed_headers: readonly string[];
  readonly exposed_headers: readonly string[];
  readonly allow_credentials: boolean;
  readonly max_age: number;
}

/**
 * CORS for one app, or a no-op when disabled. Invariant: an origin is echoed (and only then, with
 * `Access-Control-Allow-Credentials: true` when `allow_credentials`) only when it equals a listed entry
 * or matches an entry with a `*` wildcard for host labels (`https://*.example.com`). A bare `*` entry
 * answers a literal `Access-Control-Allow-Origin: *`, never with credentials (config loading refuses
 * `allow_credentials: true` with a bare `*`). Any other origin gets no CORS headers, and its preflight
 * goes on to the app. Responses vary on `Origin`.
 */
export function corsFor(settings: CorsSettings): NodeMiddleware {
  if (!settings.enabled) return (_req, _res, next) => next();
  const anyOrigin = settings.allowed_origins.includes('*');
  const listed = settings.allowed_origins.filter((o) => o !== '*').map(originMatcher);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    res.appendHeader('Vary', 'Origin');
    const isListed = listed.some((m) => m.test(origin));
    if (!isListed && !anyOrigin) return next();
    res.setHeader('Access-Control-Allow-Origin', isListed ? origin : '*');
    if (isListed && settings.allow_credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (isPreflight(req)) return answerPreflight(res, settings);
    if (settings.exposed_headers.length > 0) res.setHeader('Access-Control-Expose-Headers', settings.exposed_headers.join(','));
    next();
  };
}

function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
}

function answerPreflight(res: ServerResponse, settings: CorsSettings): void {
  res.setHeader('Access-Control-Allow-Methods', settings.allowed_methods.join(','));
  if (settings.allowed_headers.length > 0) res.setHeader('Access-Control-Allow-Headers', settings.allowed_headers.join(','));
  if (settings.max_age > 0) res.setHeader('Access-Control-Max-Age', String(settings.max_age));
  res.setHeader('Content-Length', '0');
  res.statusCode = 204;
  res.end();
}

/** `https://*.example.com` → matches `https://a.example.com`, `https://a.b.example.com`; never another host. */
function originMatcher(entry: string): RegExp {
  return new RegExp(`^${entry.split('*').map(escapeRegExp).join('[A-Za-z0-9.-]+')}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
