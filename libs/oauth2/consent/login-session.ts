/**
 * Hydra's authentication session: who logged in to one browser session of the OAuth2 engine, and
 * whether later authorizations may skip the login UI. `id` is the engine's session uid, which is also
 * the `sid` claim and the `session_id`/`login_session_id` of login and consent requests.
 */
export interface LoginSession {
  readonly id: string;
  readonly subject: string;
  readonly remember: boolean;
  /** Seconds the login is remembered; 0 means as long as the browser session lives. */
  readonly rememberFor: number;
  readonly authenticatedAt: Date;
  readonly acr?: string;
  readonly amr?: readonly string[];
  /** When the row may be swept; absent while the browser session may still use it. */
  readonly expiresAt?: Date;
}

/** True when a later authorization may skip the login UI for this session (Hydra's `skip`). */
export function isRemembered(session: LoginSession | undefined, now: Date): session is LoginSession {
  if (!session || !session.remember) return false;
  return session.rememberFor === 0 || session.authenticatedAt.getTime() + session.rememberFor * 1000 > now.getTime();
}
