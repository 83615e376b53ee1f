import express, { type RequestHandler } from 'express';
import { badRequest, unsupportedMediaType } from './errors';
import { MAX_BODY_DEPTH, formNameDepthExceeds, jsonDepthExceeds } from './json-depth';

/** Limits for the body parsers; `limit` is a byte size such as `"100kb"`. */
export interface BodyParserOptions {
  readonly limit: string;
}

const TOO_DEEP = `The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`;

/** body-parser's kind of client error (it sets `status` on what `verify` throws), read by `toOryError`. */
const tooDeep = (): Error => Object.assign(new Error(TOO_DEEP), { status: 400, expose: true, type: 'entity.too.deep' });

/**
 * JSON body parser for a router that reads bodies. Mounted per router, never in front of
 * oidc-provider (which reads the raw body itself). Malformed JSON → 400, nested deeper than
 * {@link MAX_BODY_DEPTH} → 400 (checked on the raw text before parsing), oversized → 413 (through
 * the surface's error writer).
 */
export function jsonBody(options: BodyParserOptions): RequestHandler {
  return express.json({
    limit: options.limit,
    strict: false,
    type: ['application/json', 'application/*+json'],
    verify: (_req, _res, raw, encoding) => {
      if (jsonDepthExceeds(decoded(raw, encoding))) throw tooDeep();
    },
  });
}

/** JSON text in a charset other than UTF-8 (RFC 8259 allows UTF-16/32), decoded for the depth scan. */
function decoded(raw: Buffer, encoding: string): Uint8Array | string {
  if (/^utf-?8$/i.test(encoding)) return raw;
  try {
    return new TextDecoder(encoding).decode(raw);
  } catch {
    return raw; // the parser refuses what it cannot decode
  }
}

/**
 * JSON or `application/x-www-form-urlencoded` (self-service submit endpoints accept both). Form field
 * names nest by dots (`traits.name.first`); more than {@link MAX_BODY_DEPTH} parts → 400.
 */
export function jsonOrFormBody(options: BodyParserOptions): RequestHandler[] {
  const shallowForm: RequestHandler = (req, _res, next) => {
    const body: unknown = req.body;
    if (req.is('application/x-www-form-urlencoded') && typeof body === 'object' && body !== null && Object.keys(body).some((k) => formNameDepthExceeds(k))) {
      next(badRequest(TOO_DEEP));
      return;
    }
    next();
  };
  return [jsonBody(options), express.urlencoded({ extended: false, limit: options.limit, parameterLimit: 200 }), shallowForm];
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
