import type { RealmConfigProvider } from '../config';
import { badRequest, forbidden } from '../http/errors';
import { ROUTE_LOGOUT } from './routes';
import type { SessionManagerProvider } from './session-manager';
import type { Ctx } from '../x';

/** The logout URL handed to a browser UI (Kratos `SelfServiceLogoutUrl`). */
export interface LogoutUrl {
  readonly logoutUrl: string;
  readonly logoutToken: string;
}

export type LogoutManagerDeps = RealmConfigProvider & SessionManagerProvider;

/**
 * Ends sessions (Kratos self-service logout). Browsers log out through a URL that carries the session's
 * logout token, so a third-party page cannot log the user out with a bare GET (the token is derived from
 * the session id and the cookie secret, see `logoutTokenFor`). API clients revoke by session token.
 * What happens to cookies and where the browser goes next is the HTTP layer's business.
 */
export class LogoutManager {
  constructor(private readonly deps: LogoutManagerDeps) {}

  /**
   * The logout URL of the caller's session.
   * @throws OryError 401 `session_inactive`
   */
  async createLogoutUrl(ctx: Ctx, sessionToken: string | undefined): Promise<LogoutUrl> {
    const { session } = await this.deps.sessionManager.authenticate(ctx, sessionToken);
    const logoutToken = this.deps.sessionManager.logoutToken(session);
    const url = new URL(ROUTE_LOGOUT.slice(1), this.deps.config.serve.public.base_url);
    url.searchParams.set('token', logoutToken);
    return { logoutUrl: url.toString(), logoutToken };
  }

  /**
   * Revokes the caller's session when `logoutToken` is its logout token.
   * @throws OryError 400 without a logout token; 401 `session_inactive`; 403 when the token is another
   *   session's (or forged)
   */
  async logoutWithToken(ctx: Ctx, sessionToken: string | undefined, logoutToken: string | undefined): Promise<void> {
    if (!logoutToken) throw badRequest('Please include a token in the URL query.');
    const { session } = await this.deps.sessionManager.authenticate(ctx, sessionToken);
    if (!this.deps.sessionManager.checkLogoutToken(session, logoutToken)) {
      throw forbidden('Unable to log out because the logout token in the URL query does not match the session cookie.');
    }
    await this.deps.sessionManager.revoke(ctx, session.id);
  }

  /**
   * Revokes the session a session token belongs to (API clients).
   * @throws OryError 403 when no session has this token
   */
  async logoutApi(ctx: Ctx, sessionToken: string): Promise<void> {
    if (!(await this.deps.sessionManager.revokeByToken(ctx, sessionToken))) {
      throw forbidden('The provided Ory Session Token could not be found, is invalid, or otherwise malformed.');
    }
  }
}

export interface LogoutManagerProvider {
  readonly logoutManager: LogoutManager;
}
