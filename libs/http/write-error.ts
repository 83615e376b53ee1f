import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Request } from 'express';
import { type Logger, requestRealmOf } from '../x';
import { OryError, toOryError } from './errors';

/** Which error body a mount answers with (architecture B7). */
export type ErrorSurface = 'ory' | 'oauth2';

/** Picks the surface per request, for apps that mount both kinds of routes. */
export type SurfaceSelector = ErrorSurface | ((req: Request) => ErrorSurface);

export interface WriteErrorDeps {
  readonly logger: Logger;
  /** When true, `debug` is included in bodies (never for 5xx). */
  readonly dev: boolean;
}

/** The herodot envelope `{"error":{...}}` plus any top-level extras. 5xx keep only id/code/status/message/request. */
export function oryErrorBody(error: OryError, requestId: string | undefined, dev: boolean): Record<string, unknown> {
  const serverSide = error.code >= 500;
  const inner: Record<string, unknown> = {
    ...(error.id ? { id: error.id } : {}),
    code: error.code,
    status: error.status,
    ...(!serverSide && error.reason ? { reason: error.reason } : {}),
    ...(!serverSide && dev && error.debug ? { debug: error.debug } : {}),
    ...(!serverSide && error.details ? { details: error.details } : {}),
    ...(requestId ? { request: requestId } : {}),
    message: serverSide ? new OryError(error.code).message : error.message,
  };
  return { error: inner, ...(serverSide ? {} : error.extra) };
}

/** Hydra's flat OAuth2 API error `{error, error_description, status_code}`. */
export function oauth2ErrorBody(error: OryError, dev: boolean): Record<string, unknown> {
  const serverSide = error.code >= 500;
  const description = serverSide ? 'The error is unrecognizable' : (error.reason ?? error.message);
  return {
    error: serverSide ? 'error' : (error.oauth2Error ?? error.status),
    error_description: !serverSide && dev && error.debug ? `${description} ${error.debug}` : description,
    status_code: error.code,
    ...(serverSide ? {} : error.extra),
  };
}

/**
 * The last middleware of a mount: turns anything thrown into the surface's error body, logs it once
 * (5xx with the cause, at error level; client errors at debug) and sets `Ory-Error-Id`.
 */
export function writeError(surface: SurfaceSelector, deps: WriteErrorDeps): ErrorRequestHandler {
  return (thrown, req, res, next) => {
    if (res.headersSent) {
      next(thrown);
      return;
    }
    sendError(res, thrown, typeof surface === 'function' ? surface(req) : surface, deps, req.path);
  };
}

/**
 * Writes `thrown` as the surface's error body on a plain Node response: what {@link writeError} does
 * for express, for the handlers that run outside it. Logs once (5xx with the cause, client errors at
 * debug) and sets `Ory-Error-Id`.
 */
export function sendError(res: ServerResponse, thrown: unknown, surface: ErrorSurface, deps: WriteErrorDeps, path: string): void {
  const error = toOryError(thrown);
  const requestId = res.getHeader('X-Request-Id')?.toString();
  const realm = (res as { req?: IncomingMessage }).req ? requestRealmOf((res as { req: IncomingMessage }).req).name : undefined;
  if (error.code >= 500) {
    deps.logger.error({ err: error.cause ?? error, request_id: requestId, realm, path }, 'request failed');
  } else {
    deps.logger.debug({ code: error.code, id: error.id, reason: error.reason, request_id: requestId, realm }, 'client error');
  }
  if (error.id) res.setHeader('Ory-Error-Id', error.id);
  sendJson(res, error.code, surface === 'oauth2' ? oauth2ErrorBody(error, deps.dev) : oryErrorBody(error, requestId, deps.dev));
}

/** Ends a plain Node response with a JSON body (`application/json; charset=utf-8`). */
export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8'): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
