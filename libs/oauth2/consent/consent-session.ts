/** The claims a consent app attached to the tokens of one grant (`session` of the accept body). */
export interface ConsentClaims {
  readonly access_token: Record<string, unknown>;
  readonly id_token: Record<string, unknown>;
}

/**
 * One accepted consent, keyed by the grant it created. Every authorization gets its own grant, so a
 * refresh-token replay that revokes one grant never touches another browser's tokens.
 * Invariant: `grantedScope` and `grantedAudience` are what tokens of the grant carry; `session`
 * feeds the ID token, userinfo (`id_token`) and introspection `ext` (`access_token`).
 */
export interface ConsentSession {
  readonly grantId: string;
  readonly challenge: string;
  readonly subject: string;
  readonly clientId: string;
  readonly loginSessionId?: string;
  readonly remember: boolean;
  /** Seconds the consent is remembered; 0 means forever. */
  readonly rememberFor: number;
  /** Accepted on a request that had `skip: true` (Hydra lists only non-skipped consents). */
  readonly skip: boolean;
  readonly grantedScope: readonly string[];
  readonly grantedAudience: readonly string[];
  readonly session: ConsentClaims;
  readonly authenticatedAt?: Date;
  readonly acr?: string;
  readonly amr?: readonly string[];
  /** The consent request as the consent app saw it (for `GET /admin/oauth2/auth/sessions/consent`). */
  readonly request: Record<string, unknown>;
  readonly handledAt: Date;
  readonly expiresAt?: Date;
}

/** True when the remembered consent still applies (`remember_for` 0 = forever). */
export function isConsentRemembered(consent: ConsentSession, now: Date): boolean {
  if (!consent.remember || consent.skip) return false;
  return consent.rememberFor === 0 || consent.handledAt.getTime() + consent.rememberFor * 1000 > now.getTime();
}

/** True when every requested scope was granted before (Hydra's exact scope strategy). */
export function coversScopes(granted: readonly string[], requested: readonly string[]): boolean {
  return requested.every((scope) => granted.includes(scope));
}
