import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { pathOf, sendJson } from '../../../../libs/http';
import { type LoggerProvider, requestRealmOf } from '../../../../libs/x';
import { type LogoutCompletionProvider, type OAuth2ProviderProvider, fallbackPage } from '../../../../libs/oauth2/provider';

export type OAuth2RouterDeps = ConfigProvider & OAuth2ProviderProvider & LogoutCompletionProvider;

/** Paths the OAuth2/OIDC engine answers (Hydra's public paths); everything else stays with express. */
export const ENGINE_PATHS = ['/oauth2', '/userinfo', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/.well-known/jwks.json'];

/** Paths under {@link ENGINE_PATHS} that express answers first (fallback pages, DCR, logout completion). */
const EXPRESS_FIRST = ['/oauth2/fallbacks/', '/oauth2/register', '/oauth2/sessions/logout'];

/**
 * Whether a request goes straight to the engine, never entering express (whose request handling costs
 * about as much as a whole token request): Hydra's protocol paths except those in `EXPRESS_FIRST`.
 */
export function isEngineRequest(url: string | undefined): boolean {
  const path = pathOf(url);
  if (EXPRESS_FIRST.some((p) => path.startsWith(p))) return false;
  return ENGINE_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/** The engine as a Node handler; a failure to build it answers RFC 6749's `server_error`. */
export function engineHandler(deps: OAuth2RouterDeps & LoggerProvider): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    deps.oauth2Provider.handle(req, res).catch((error: unknown) => {
      deps.logger.error({ err: error, request_id: res.getHeader('X-Request-Id'), realm: requestRealmOf(req).name }, 'OAuth2 engine failed');
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, { error: 'server_error', error_description: 'The authorization server encountered an unexpected condition.' });
    });
  };
}

const FALLBACKS: Record<string, [string, string]> = {
  login: ['Login', 'The login provider is not configured: set urls.login.'],
  consent: ['Consent', 'The consent provider is not configured: set urls.consent.'],
  logout: ['Logout', 'The logout provider is not configured: set urls.logout.'],
  'logout/callback': ['Logged out', 'You have been logged out.'],
  error: ['Error', 'An error occurred.'],
};

/**
 * Mounts the engine on Hydra's public paths without swallowing other routes, never behind a body
 * parser (the engine reads raw bodies). Before it: Hydra's fallback pages and the completion of
 * accepted logouts (`/oauth2/sessions/logout?logout_verifier=`).
 */
export function createOAuth2Router(deps: OAuth2RouterDeps & LoggerProvider): Router {
  const router = express.Router();
  for (const [page, [title, text]] of Object.entries(FALLBACKS)) {
    router.get(`/oauth2/fallbacks/${page}`, (req, res) => {
      const details: Record<string, string> = page === 'error' ? { error: String(req.query.error ?? ''), error_description: String(req.query.error_description ?? '') } : {};
      res.type('html').send(fallbackPage(title, text, details));
    });
  }
  router.get('/oauth2/sessions/logout', async (req, res, next) => {
    if (!(await deps.logoutCompletion.handle(req, res))) next();
  });
  router.use(ENGINE_PATHS, engineHandler(deps));
  return router;
}
