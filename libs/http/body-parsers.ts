import express, { type RequestHandler } from 'express';
import { unsupportedMediaType } from './errors';

/** Limits for the body parsers; `limit` is a byte size such as `"100kb"`. */
export interface BodyParserOptions {
  readonly limit: string;
}

/**
 * JSON body parser for a router that reads bodies. Mounted per router, never in front of
 * oidc-provider (which reads the raw body itself). Malformed JSON → 400, oversized → 413 (through the
 * surface's error writer).
 */
export function jsonBody(options: BodyParserOptions): RequestHandler {
  return express.json({ limit: options.limit, strict: false, type: ['application/json', 'application/*+json'] });
}

/** JSON or `application/x-www-form-urlencoded` (self-service submit endpoints accept both). */
export function jsonOrFormBody(options: BodyParserOptions): RequestHandler[] {
  return [jsonBody(options), express.urlencoded({ extended: false, limit: options.limit, parameterLimit: 200 })];
}

/**
 * Rejects a request that carries a body in a content type the route does not read, so a client
 * mistake is a 415 rather than a silently empty body.
 */
export function requireJsonContentType(): RequestHandler {
  return (req, _res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is(['application/json', 'application/*+json'])) {
      next(unsupportedMediaType('Expected the request body to be application/json.'));
      return;
    }
    next();
  };
}
