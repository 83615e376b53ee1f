import { OryError } from '../../http/errors';
import { genericError } from '../client';

const MISSING_PARAMETER = 'One of the required parameters is missing. Check your request parameters.';

/** Hydra's 400 `missing_required_parameter` with the hint naming the field (hydra-api.md §6.2). */
export function missingRequiredParameter(hint: string): OryError {
  return new OryError(400).withOAuth2Error('missing_required_parameter').withReason(`${MISSING_PARAMETER} ${hint}`);
}

/** 400 `invalid_request` for a value that is present but unusable. */
export function invalidTrustParameter(hint: string): OryError {
  return new OryError(400)
    .withOAuth2Error('invalid_request')
    .withReason(`The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. ${hint}`);
}

/** Hydra's 404 for an unknown trust grant (the database's "row missing"). */
export function trustGrantNotFound(): OryError {
  return genericError(404, '', 'Unable to locate the resource');
}

/** Hydra's 409 for a second grant with the same issuer, subject and key id. */
export function duplicateTrustGrant(): OryError {
  return genericError(409);
}
