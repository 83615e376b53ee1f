/** Reason phrases and herodot's default messages per status code. */
const DEFAULTS: Record<number, { status: string; message: string }> = {
  400: { status: 'Bad Request', message: 'The request was malformed or contained invalid parameters' },
  401: { status: 'Unauthorized', message: 'The request could not be authorized' },
  403: { status: 'Forbidden', message: 'The requested action was forbidden' },
  404: { status: 'Not Found', message: 'The requested resource could not be found' },
  405: { status: 'Method Not Allowed', message: 'The requested method is not allowed on this resource' },
  409: { status: 'Conflict', message: 'Unable to insert or update resource because a resource with that value exists already' },
  410: { status: 'Gone', message: 'The requested resource is no longer available because it has expired or is otherwise invalid.' },
  413: { status: 'Payload Too Large', message: 'The request body is too large' },
  415: { status: 'Unsupported Media Type', message: 'The request is using an unknown content type' },
  422: { status: 'Unprocessable Entity', message: 'The request was well-formed but was unable to be followed due to semantic errors' },
  429: { status: 'Too Many Requests', message: 'Too many requests, please slow down' },
  500: { status: 'Internal Server Error', message: 'An internal server error occurred, please contact the system administrator' },
  503: { status: 'Service Unavailable', message: 'The service is temporarily unavailable' },
};

/**
 * The one error type thrown across Tessera (herodot's `DefaultError`). A surface's writer turns it into
 * the Ory envelope or Hydra's OAuth2 shape; domain code never chooses the shape.
 *
 * Invariant: `code` is an HTTP status; `status` is its reason phrase.
 */
export class OryError extends Error {
  /** Stable snake_case id (Kratos `error.id`), e.g. `session_inactive`. */
  id?: string;
  /** Human explanation of this occurrence. */
  reason?: string;
  /** Structured details for clients. */
  details?: Record<string, unknown>;
  /** Developer detail; only sent when `dev` is on. */
  debug?: string;
  /** OAuth2 error name used by the OAuth2 surfaces (`invalid_request`, `not_found`, ...). */
  oauth2Error?: string;
  /** Keys written next to `error` at the top level (e.g. `use_flow_id`, `redirect_browser_to`). */
  extra?: Record<string, unknown>;

  constructor(
    readonly code: number,
    message?: string,
    options?: { cause?: unknown },
  ) {
    super(message ?? (DEFAULTS[code] ?? DEFAULTS[500]).message, options);
    this.name = 'OryError';
  }

  /** The reason phrase of `code`. */
  get status(): string {
    return (DEFAULTS[this.code] ?? { status: 'Error' }).status;
  }

  withId(id: string): this {
    this.id = id;
    return this;
  }
  withReason(reason: string): this {
    this.reason = reason;
    return this;
  }
  withDetails(details: Record<string, unknown>): this {
    this.details = { ...this.details, ...details };
    return this;
  }
  withDebug(debug: string): this {
    this.debug = debug;
    return this;
  }
  withOAuth2Error(name: string): this {
    this.oauth2Error = name;
    return this;
  }
  withExtra(extra: Record<string, unknown>): this {
    this.extra = { ...this.extra, ...extra };
    return this;
  }
}

export const badRequest = (reason?: string): OryError => withOptionalReason(new OryError(400), reason);
export const unauthorized = (reason?: string): OryError => withOptionalReason(new OryError(401), reason);
export const forbidden = (reason?: string): OryError => withOptionalReason(new OryError(403), reason);
export const notFound = (reason?: string): OryError => withOptionalReason(new OryError(404), reason);
export const conflict = (reason?: string): OryError => withOptionalReason(new OryError(409), reason);
export const gone = (reason?: string): OryError => withOptionalReason(new OryError(410), reason);
export const payloadTooLarge = (reason?: string): OryError => withOptionalReason(new OryError(413), reason);
export const unsupportedMediaType = (reason?: string): OryError => withOptionalReason(new OryError(415), reason);
export const internal = (cause?: unknown): OryError => new OryError(500, undefined, { cause });
export const unavailable = (reason?: string): OryError => withOptionalReason(new OryError(503), reason);

function withOptionalReason(error: OryError, reason?: string): OryError {
  return reason === undefined ? error : error.withReason(reason);
}

/** True for an `OryError` (also across module copies, checked structurally). */
export function isOryError(value: unknown): value is OryError {
  return value instanceof OryError;
}
