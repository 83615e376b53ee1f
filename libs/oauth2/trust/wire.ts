import type { TrustGrant } from './trust-grant';

/** Hydra's `TrustedOAuth2JwtGrantIssuer` JSON (hydra-api.md §6.1). */
export interface TrustGrantWire {
  readonly id: string;
  readonly issuer: string;
  readonly subject: string;
  readonly allow_any_subject: boolean;
  readonly scope: readonly string[];
  readonly public_key: { readonly set: string; readonly kid: string };
  readonly created_at: string;
  readonly expires_at: string;
}

/** UTC, rounded down to the second, as Hydra writes it (`2030-01-01T00:00:00Z`). */
function secondsUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The only mapping of a grant to the wire. */
export function toWire(grant: TrustGrant): TrustGrantWire {
  return {
    id: grant.id,
    issuer: grant.issuer,
    subject: grant.subject,
    allow_any_subject: grant.allowAnySubject,
    scope: [...grant.scope],
    public_key: { set: grant.publicKey.set, kid: grant.publicKey.kid },
    created_at: secondsUtc(grant.createdAt),
    expires_at: secondsUtc(grant.expiresAt),
  };
}
