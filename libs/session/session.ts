/** Authenticator assurance levels. */
export type Aal = 'aal0' | 'aal1' | 'aal2' | 'aal3';

/** How a session step was completed (Kratos `identity.CredentialsType` plus recovery variants). */
export type AuthenticationMethodName =
  | 'password'
  | 'oidc'
  | 'totp'
  | 'webauthn'
  | 'lookup_secret'
  | 'code'
  | 'link_recovery'
  | 'code_recovery';

export interface AuthenticationMethod {
  readonly method: AuthenticationMethodName;
  readonly aal: Aal;
  readonly completedAt: Date;
}

/** The device a session was issued to. */
export interface SessionDevice {
  readonly id: string;
  readonly ipAddress: string;
  readonly userAgent: string;
  readonly location: string;
}

/**
 * A login session. Valid iff `active`, `expiresAt` is in the future and the identity is `active`.
 * The session token is never stored: only its SHA-256 (`tokenHash`).
 */
export interface Session {
  readonly id: string;
  readonly identityId: string;
  readonly tokenHash: string;
  readonly active: boolean;
  readonly aal: Aal;
  readonly authenticatedAt: Date;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly authenticationMethods: readonly AuthenticationMethod[];
  readonly devices: readonly SessionDevice[];
}

/** The AAL earned by a set of completed methods: aal2 needs an aal1 factor and an aal2 factor. */
export function computeAal(methods: readonly AuthenticationMethod[]): Aal {
  const has = (aal: Aal): boolean => methods.some((m) => m.aal === aal);
  if (has('aal1') && has('aal2')) return 'aal2';
  if (methods.length > 0) return 'aal1';
  return 'aal0';
}
