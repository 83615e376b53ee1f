import type { RequestHandler } from 'express';
import type { Logger } from '../x';

/**
 * Logs one line per finished request: method, path (never the query string, which may carry tokens),
 * status, duration and request id. Headers and bodies are never logged.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info(
        {
          method: req.method,
          path: req.originalUrl.split('?')[0],
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
