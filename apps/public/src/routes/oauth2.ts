import express, { type Router } from 'express';
import type { ConfigProvider } from '../../../../libs/config';
import { type LogoutCompletionProvider, type OAuth2ProviderProvider, fallbackPage } from '../../../../libs/oauth2/provider';

export type OAuth2RouterDeps = ConfigProvider & OAuth2ProviderProvider & LogoutCompletionProvider;

/** Paths the OAuth2/OIDC engine answers (Hydra's public paths); everything else stays with express. */
export const ENGINE_PATHS = ['/oauth2', '/userinfo', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server', '/.well-known/jwks.json'];

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
export function createOAuth2Router(deps: OAuth2RouterDeps): Router {
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
  router.use(ENGINE_PATHS, (req, res) => {
    void deps.oauth2Provider.handle(req, res);
  });
  return router;
}
