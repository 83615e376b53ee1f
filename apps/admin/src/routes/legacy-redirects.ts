import express, { type Router } from 'express';
import { type ConfigProvider, oauth2Urls } from '../../../../libs/config';

/** Hydra v1.11's admin paths (no `/admin` prefix); case-sensitive, as Hydra's router is. */
const LEGACY_HYDRA_ADMIN_PATHS =
  /^\/(?:clients(?:\/|$)|keys\/|trust\/grants\/jwt-bearer\/issuers(?:\/|$)|oauth2\/auth\/requests\/(?:login|consent|logout)(?:\/|$)|oauth2\/auth\/sessions\/(?:consent|login)(?:\/|$)|oauth2\/(?:introspect|tokens|flush)\/?$)/;

/** A `.`/`..` segment, also percent-encoded: URL resolution would move the target off the legacy path. */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * Hydra v2's legacy admin redirect (hydra-api.md §1): any method on a Hydra admin path without the
 * `/admin` prefix (`/clients`, `/keys/…`, `/trust/grants/jwt-bearer/issuers…`, `/oauth2/auth/requests/…`,
 * `/oauth2/auth/sessions/…`, `/oauth2/{introspect,tokens,flush}`) answers 307 (method and body kept) to
 * `<urls.self.admin>admin<path>` with the query string unchanged. Everything else, Kratos's legacy
 * paths (`/identities`, …) included, falls through; mount it after the real routes.
 */
export function createLegacyRedirectRouter(deps: ConfigProvider): Router {
  const router = express.Router();
  const base = oauth2Urls(deps.config).admin; // always ends with '/'

  router.use((req, res, next) => {
    if (!LEGACY_HYDRA_ADMIN_PATHS.test(req.path) || DOT_SEGMENT.test(req.path)) return next();
    const target = new URL(`admin${req.path}`, base);
    const q = req.originalUrl.indexOf('?');
    if (q !== -1) target.search = req.originalUrl.slice(q);
    res.redirect(307, target.href);
  });

  return router;
}
