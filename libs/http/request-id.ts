import { newId } from '../x';
import type { NodeMiddleware } from './node-middleware';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Echoes a well-formed incoming `X-Request-Id` or generates a UUID, on the response header. An id with
 * other characters is replaced, so the value is safe to write to logs.
 */
export function requestId(): NodeMiddleware {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    res.setHeader('X-Request-Id', typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : newId());
    next();
  };
}
