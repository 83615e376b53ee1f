import type { RunningServer } from '../../apps/cli/src/server';
import { bootApps } from './boot-apps';

/** Where the login, consent and logout apps of the journeys "live" (never loaded: the browser stops there). */
export const UI = {
  login: 'http://login.test/login',
  consent: 'http://login.test/consent',
  logout: 'http://login.test/logout',
};

/** True for URLs of the fake UIs or of a relying party (anything not served by Tessera). */
export const isExternal = (server: RunningServer) => (url: string): boolean => !url.startsWith(server.publicUrl);

/** Boots Tessera with the OAuth2 UIs pointing at {@link UI}. */
export function bootOAuth2(env: Record<string, string> = {}): Promise<RunningServer> {
  return bootApps({ URLS_LOGIN: UI.login, URLS_CONSENT: UI.consent, URLS_LOGOUT: UI.logout, ...env });
}

/** The challenge in a UI URL (`?login_challenge=` etc.). */
export function challengeIn(url: string, kind: 'login' | 'consent' | 'logout'): string {
  const value = new URL(url).searchParams.get(`${kind}_challenge`);
  if (!value) throw new Error(`no ${kind}_challenge in ${url}`);
  return value;
}
