import { TransactionRetriesExhaustedError } from '../../x';
import { OryError, internal, isOryError, unavailable } from './ory-error';

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/**
 * Normalises anything thrown into an `OryError`. body-parser's client errors (malformed JSON, body too
 * large, unsupported charset) keep their 4xx status; a transaction the database kept aborting is a 503;
 * everything else becomes a 500 that keeps the cause for the log only.
 */
export function toOryError(thrown: unknown): OryError {
  if (isOryError(thrown)) return thrown;
  if (thrown instanceof TransactionRetriesExhaustedError) return unavailable('The database is busy with concurrent changes of the same data; please retry the request.');
  const like = (thrown ?? {}) as HttpErrorLike;
  const status = like.status ?? like.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && like.expose !== false) {
    const error = new OryError(status, undefined, { cause: thrown });
    if (like.type === 'entity.parse.failed') return error.withReason('The request body is not valid JSON or form data.');
    if (like.type === 'entity.too.large') return error.withReason('The request body exceeds the allowed size.');
    return error.withReason(like.message ?? 'The request could not be processed.');
  }
  return internal(thrown);
}
