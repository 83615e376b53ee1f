import type { NodeMiddleware } from './node-middleware';

/** Kratos's `x.NoCache`: API responses are never stored by browsers or proxies. */
export function noCache(): NodeMiddleware {
  return (_req, res, next) => {
    res.setHeader('Cache-Control', 'private, no-cache, no-store, must-revalidate');
    next();
  };
}
