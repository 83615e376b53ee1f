import type { Credentials, Identity } from '../identity';
import type { Aal } from './session';

/** The order of assurance levels, weakest first. */
const RANK: Record<Aal, number> = { aal0: 0, aal1: 1, aal2: 2, aal3: 3 };

/** True when `have` is at least as strong as `want`. */
export function aalSatisfies(have: Aal, want: Aal): boolean {
  return RANK[have] >= RANK[want];
}

/**
 * The strongest AAL the identity could reach with the credentials it has (Kratos
 * `CountActiveFirstFactorCredentials` / `CountActiveMultiFactorCredentials`): `aal2` with a usable TOTP
 * key, lookup secrets or a second-factor WebAuthn key; `aal1` with any other credential; else `aal0`.
 */
export function highestAvailableAal(identity: Identity): Aal {
  const credentials = Object.values(identity.credentials).filter((c): c is Credentials => c !== undefined);
  if (credentials.some(isSecondFactor)) return 'aal2';
  return credentials.length > 0 ? 'aal1' : 'aal0';
}

function isSecondFactor(c: Credentials): boolean {
  switch (c.type) {
    case 'totp':
      return typeof c.config.totp_url === 'string' && c.config.totp_url !== '';
    case 'lookup_secret':
      return Array.isArray(c.config.recovery_codes) && c.config.recovery_codes.length > 0;
    case 'webauthn':
      return Array.isArray(c.config.credentials) && c.config.credentials.some((k) => (k as { is_passwordless?: unknown })?.is_passwordless !== true);
    default:
      return false;
  }
}
