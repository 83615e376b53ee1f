import type { Logger } from '../x';
import { type NodeMiddleware, pathOf } from './node-middleware';

/**
 * Logs one line per finished request: method, path (never the query string, which may carry tokens),
 * status, duration and request id. Headers and bodies are never logged. Nothing is recorded per
 * request while the `info` level is off.
 */
export function requestLog(logger: Logger): NodeMiddleware {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info')) return next();
    const started = process.hrtime.bigint();
    const path = pathOf(req.url);
    res.on('finish', () => {
      logger.info(
        {
          method: req.method,
          path,
          status: res.statusCode,
          duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
          request_id: res.getHeader('X-Request-Id'),
        },
        'request',
      );
    });
    next();
  };
}
