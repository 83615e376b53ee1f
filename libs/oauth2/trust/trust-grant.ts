/** Where a trust grant's public key lives: the JWK set named after the issuer (Hydra), and its kid. */
export interface TrustGrantKey {
  readonly set: string;
  readonly kid: string;
}

/**
 * A trusted JWT-bearer grant issuer (RFC 7523, Hydra's `TrustedOAuth2JwtGrantIssuer`): JWTs signed by
 * `publicKey` with `iss = issuer` may be exchanged for access tokens with `sub = subject` (any subject
 * when `allowAnySubject`), for scopes within `scope`, until `expiresAt`.
 *
 * Invariants: exactly one of `subject` (non-empty) and `allowAnySubject` is set — `subject` is `''`
 * when any subject is allowed, so (issuer, subject, kid) is unique in the store; `expiresAt` lies after
 * `createdAt` when the grant is created.
 */
export interface TrustGrant {
  readonly id: string;
  readonly issuer: string;
  readonly subject: string;
  readonly allowAnySubject: boolean;
  readonly scope: readonly string[];
  readonly publicKey: TrustGrantKey;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** True while the grant may be used (expired grants are rejected; Hydra only flushes them). */
export function isTrustGrantActive(grant: TrustGrant, now: Date): boolean {
  return grant.expiresAt.getTime() > now.getTime();
}
