import { invalidTrustParameter, missingRequiredParameter } from './trust-errors';
import type { TrustJwtGrantIssuerBody } from './trust-grant-body';

/** A create request after validation, before its key is stored. */
export interface ValidTrustGrantInput {
  readonly issuer: string;
  /** `''` when any subject is allowed. */
  readonly subject: string;
  readonly allowAnySubject: boolean;
  readonly scope: readonly string[];
  /** The body's JWK (shape not yet checked beyond `kid`). */
  readonly jwk: Record<string, unknown> & { readonly kid: string };
  readonly expiresAt: Date;
}

/**
 * Hydra's rules for a new trust grant (`oauth2/trust/validator.go`), with Hydra's messages, plus one
 * of ours: `expires_at` must lie in the future (a grant that is born expired could never be used).
 * `scope` may be empty; duplicate scope values are dropped.
 * @throws OryError 400 `missing_required_parameter` naming the field, or `invalid_request` for a past `expires_at`
 */
export function validateTrustGrant(body: TrustJwtGrantIssuerBody, now: Date): ValidTrustGrantInput {
  const issuer = body.issuer ?? '';
  if (issuer === '') throw missingRequiredParameter("Field 'issuer' is required.");
  const subject = body.subject ?? '';
  const allowAnySubject = body.allow_any_subject === true;
  if (subject === '' && !allowAnySubject) throw missingRequiredParameter("One of 'subject' or 'allow_any_subject' field must be set.");
  if (subject !== '' && allowAnySubject) throw missingRequiredParameter("Both 'subject' and 'allow_any_subject' fields cannot be set at the same time.");
  if (!body.expires_at) throw missingRequiredParameter("Field 'expires_at' is required.");
  const expiresAt = new Date(body.expires_at);
  if (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= 0) throw missingRequiredParameter("Field 'expires_at' is required.");
  const kid = body.jwk?.kid;
  if (typeof kid !== 'string' || kid === '') throw missingRequiredParameter("Field 'jwk' must contain JWK with kid header.");
  if (expiresAt.getTime() <= now.getTime()) throw invalidTrustParameter("Field 'expires_at' must be in the future.");
  return {
    issuer,
    subject,
    allowAnySubject,
    scope: [...new Set((body.scope ?? []).filter((s) => s !== ''))],
    jwk: { ...body.jwk, kid } as ValidTrustGrantInput['jwk'],
    expiresAt,
  };
}
