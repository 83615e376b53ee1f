import { OryError, unauthorized } from '../http/errors';

/**
 * 401 `session_inactive`: the request carries no session token or cookie, or the one it carries does not
 * belong to an active, unexpired session of an active identity.
 */
export function sessionInactive(): OryError {
  return unauthorized('No valid session credentials found in the request.').withId('session_inactive');
}

/**
 * 403 `session_aal2_required` (Kratos `ErrAALNotSatisfied`): the session is valid but weaker than the
 * identity's strongest factor. `redirect_browser_to` (top level and in `details`) points at an AAL2 login.
 */
export function sessionAal2Required(redirectTo: string): OryError {
  return new OryError(403, 'Session does not fulfill the requested Authenticator Assurance Level')
    .withId('session_aal2_required')
    .withReason(
      'An active session was found but it does not fulfill the requested Authenticator Assurance Level. Please verify yourself with a second factor to resolve this issue.',
    )
    .withDetails({ redirect_browser_to: redirectTo })
    .withExtra({ redirect_browser_to: redirectTo });
}
