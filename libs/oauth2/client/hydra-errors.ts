import { OryError } from '../../http/errors';

const INVALID_CLIENT_METADATA =
  'The value of one of the Client Metadata fields is invalid and the server has rejected this request. Note that an Authorization Server MAY choose to substitute a valid value for any requested parameter of a Client\'s Metadata.';

/** 400 `invalid_client_metadata`: Hydra's fixed description followed by the hint naming the field. */
export function invalidClientMetadata(hint: string): OryError {
  return new OryError(400).withOAuth2Error('invalid_client_metadata').withReason(`${INVALID_CLIENT_METADATA} ${hint}`);
}

/** 400 `invalid_redirect_uri` (a redirect URI that is not absolute or has a fragment). */
export function invalidRedirectUri(hint: string): OryError {
  return new OryError(400).withOAuth2Error('invalid_redirect_uri').withReason(`The value of one or more redirect_uris is invalid. ${hint}`);
}

/** 400 `invalid_request` with a description (fosite's name for malformed requests). */
export function invalidRequest(description: string): OryError {
  return new OryError(400).withOAuth2Error('invalid_request').withReason(description);
}

/**
 * An error in herodot's generic shape as Hydra writes it: `error` is the status's English sentence
 * (e.g. "Unable to locate the resource") and `error_description` the reason, possibly empty.
 */
export function genericError(code: number, description = '', sentence?: string): OryError {
  const error = new OryError(code);
  return error.withOAuth2Error(sentence ?? error.message).withReason(description);
}

/** Hydra's 404 for an unknown client (get, put, patch, delete). */
export function clientNotFound(): OryError {
  return genericError(404, '', 'Unable to locate the resource');
}
