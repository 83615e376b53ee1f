import cors from 'cors';
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
 * CORS for one app, or a no-op when disabled. An origin is allowed when it equals an entry or matches
 * an entry with one `*` wildcard (`https://*.example.com`).
 */
export function corsFor(settings: CorsSettings): NodeMiddleware {
  if (!settings.enabled) return (_req, _res, next) => next();
  const matchers = settings.allowed_origins.map((o) =>
    o === '*' ? /.*/ : new RegExp(`^${o.split('*').map(escapeRegExp).join('[^/]*')}$`),
  );
  return cors({
    origin: (origin, callback) => callback(null, origin === undefined || matchers.some((m) => m.test(origin))),
    methods: [...settings.allowed_methods],
    allowedHeaders: [...settings.allowed_headers],
    exposedHeaders: [...settings.exposed_headers],
    credentials: settings.allow_credentials,
    maxAge: settings.max_age,
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
