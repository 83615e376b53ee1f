import { OryError } from '../http/errors';

/*
 * Hydra's JWK errors (hydra-api.md §5, §9.1). The admin app writes them in Hydra's flat shape
 * `{error, error_description, status_code}`: `withOAuth2Error` sets `error`, `withReason` the description.
 */

/** 404 for an empty or unknown set: Hydra's `x.ErrNotFound` (`"Not Found"`). */
export function keySetNotFound(set: string): OryError {
  return new OryError(404).withOAuth2Error('Not Found').withReason(`Unable to locate the requested resource: the JSON Web Key Set ${set} does not exist or holds no keys.`);
}

/** 404 for an unknown key: the database's "row missing" error (`"Unable to locate the resource"`, empty description). */
export function keyNotFound(): OryError {
  return new OryError(404).withOAuth2Error('Unable to locate the resource').withReason('');
}

/** 409 for a kid the set already holds (Hydra's unique index on set + kid). */
export function duplicateKeyId(set: string, kid: string): OryError {
  return new OryError(409)
    .withOAuth2Error('Unable to insert or update resource because a resource with that value exists already')
    .withReason(`The JSON Web Key Set ${set} already holds a key with kid ${kid}.`);
}

/** 400 `"Bad Request"` with a description naming the problem (`"Unsupported key algorithm"` for a bad `alg`). */
export function invalidJsonWebKey(description: string): OryError {
  return new OryError(400).withOAuth2Error('Bad Request').withReason(description);
}
