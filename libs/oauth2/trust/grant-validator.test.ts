import { isOryError } from '../../http/errors';
import { validateTrustGrant } from './grant-validator';
import type { TrustJwtGrantIssuerBody } from './trust-grant-body';

const now = new Date('2026-01-01T00:00:00.000Z');
const body = (overrides: Partial<TrustJwtGrantIssuerBody> = {}): TrustJwtGrantIssuerBody => ({
  issuer: 'https://idp.example.com',
  subject: 'alice@example.com',
  scope: ['api:read', 'api:read', 'openid'],
  jwk: { kty: 'EC', kid: 'k1', alg: 'ES256', crv: 'P-256', x: 'x', y: 'y' },
  expires_at: '2030-01-01T00:00:00Z',
  ...overrides,
});

function failure(overrides: Partial<TrustJwtGrantIssuerBody>): { code: number; error?: string; description?: string } {
  try {
    validateTrustGrant(body(overrides), now);
  } catch (e) {
    if (!isOryError(e)) throw e;
    return { code: e.code, error: e.oauth2Error, description: e.reason };
  }
  throw new Error('expected a failure');
}

const MISSING = 'One of the required parameters is missing. Check your request parameters.';

describe('validateTrustGrant', () => {
  it('accepts a grant for one subject and normalizes the scope', () => {
    const valid = validateTrustGrant(body(), now);
    expect(valid).toMatchObject({ issuer: 'https://idp.example.com', subject: 'alice@example.com', allowAnySubject: false, scope: ['api:read', 'openid'] });
    expect(valid.expiresAt.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(valid.jwk.kid).toBe('k1');
  });

  it('accepts any subject with an empty scope', () => {
    expect(validateTrustGrant(body({ subject: undefined, allow_any_subject: true, scope: undefined }), now)).toMatchObject({ subject: '', allowAnySubject: true, scope: [] });
  });

  it.each([
    ['an empty issuer', { issuer: '' }, "Field 'issuer' is required."],
    ['neither subject nor allow_any_subject', { subject: undefined }, "One of 'subject' or 'allow_any_subject' field must be set."],
    ['both subject and allow_any_subject', { allow_any_subject: true }, "Both 'subject' and 'allow_any_subject' fields cannot be set at the same time."],
    ['no expires_at', { expires_at: undefined }, "Field 'expires_at' is required."],
    ['a JWK without kid', { jwk: { kty: 'EC' } }, "Field 'jwk' must contain JWK with kid header."],
    ['no JWK', { jwk: undefined }, "Field 'jwk' must contain JWK with kid header."],
  ])('refuses %s with Hydra\'s message', (_name, overrides, hint) => {
    expect(failure(overrides)).toEqual({ code: 400, error: 'missing_required_parameter', description: `${MISSING} ${hint}` });
  });

  it('refuses an expires_at that is not in the future', () => {
    const f = failure({ expires_at: '2025-12-31T23:59:59Z' });
    expect(f).toMatchObject({ code: 400, error: 'invalid_request' });
    expect(f.description).toContain("Field 'expires_at' must be in the future.");
  });
});
