import type { RequestListener } from 'node:http';
import express, { type Request } from 'express';
import type { ConfigProvider } from '../../../libs/config';
import {
  type ErrorSurface,
  type HealthRouterDeps,
  type RealmLookup,
  type WriteErrorDeps,
  createHealthRouter,
  dispatchToRealm,
  edgeMiddlewares,
  routeNotFound,
  withMiddlewares,
  writeError,
} from '../../../libs/http';
import { type IdentitiesRouterDeps, createIdentitiesRouter } from './routes/identities';
import { type AdminSessionsRouterDeps, createAdminSessionsRouter } from './routes/sessions';
import { type CourierRouterDeps, createCourierRouter } from './routes/courier';
import { type AdminRecoveryRouterDeps, createAdminRecoveryRouter } from './routes/recovery';
import { type ClientsRouterDeps, createClientsRouter } from './routes/clients';
import { type OAuth2RequestsRouterDeps, createOAuth2RequestsRouter } from './routes/oauth2-requests';
import { type OAuth2SessionsRouterDeps, createOAuth2SessionsRouter } from './routes/oauth2-sessions';
import { type OAuth2TokensRouterDeps, createOAuth2TokensRouter, introspectionEndpoint, isIntrospection } from './routes/oauth2-tokens';
import { type KeysRouterDeps, createKeysRouter } from './routes/keys';
import { type TrustRouterDeps, createTrustRouter } from './routes/trust';
import { createLegacyRedirectRouter } from './routes/legacy-redirects';
import { type RealmsRouterDeps, createRealmsRouter } from './routes/realms';
import { type ProjectsRouterDeps, createProjectsRouter } from './routes/projects';
import { type ProjectTokensRouterDeps, createProjectTokensRouter } from './routes/project-tokens';
import { type ProjectMembersRouterDeps, createProjectMembersRouter } from './routes/project-members';
import { type AdminAuthenticationDeps, adminAuthentication } from './admin-authentication';

export type AdminAppDeps = ConfigProvider & CourierRouterDeps & HealthRouterDeps & WriteErrorDeps & IdentitiesRouterDeps & AdminSessionsRouterDeps & AdminRecoveryRouterDeps & ClientsRouterDeps & OAuth2RequestsRouterDeps & OAuth2SessionsRouterDeps & OAuth2TokensRouterDeps & KeysRouterDeps & TrustRouterDeps & RealmsRouterDeps & ProjectTokensRouterDeps & AdminAuthenticationDeps & ProjectsRouterDeps & ProjectMembersRouterDeps;

const OAUTH2_ADMIN_PATHS = /^\/admin\/(clients|keys|trust|oauth2)(\/|$)/;

/** Hydra's admin routes answer `{error, error_description, status_code}`; Kratos's the Ory envelope. */
export function adminErrorSurface(req: Pick<Request, 'path'>): ErrorSurface {
  return OAUTH2_ADMIN_PATHS.test(req.path) ? 'oauth2' : 'ory';
}

/**
 * The admin app (port 4434): identities, sessions, courier, OAuth2 clients, keys, trust, challenges.
 * It never listens; `tessera serve` does. Request id, the realm resolver, access log, no-cache and CORS
 * run in front of express, as on the public app; then the admin plane's gate (`adminAuthentication`:
 * with `admin.api_keys` set, a bearer key is required and scoped; without, the port is open — keep it
 * off the internet); then the request goes to its realm's app (`dispatchToRealm`: an unknown realm is a 404),
 * where token introspection, the hottest admin call, never enters express (see `introspectionEndpoint`).
 */
export function createAdminApp(deps: AdminAppDeps & RealmLookup<AdminAppDeps>): RequestListener {
  const serve = deps.config.serve.admin;
  const surface = (path: string): ErrorSurface => adminErrorSurface({ path });
  return withMiddlewares(
    [...edgeMiddlewares(deps.logger, serve.cors, { kind: 'admin' }, serve.realm_host_suffix), adminAuthentication(deps, surface)],
    dispatchToRealm(deps, createRealmApp, surface),
  );
}

/** One realm's admin app, built with that realm's services (`deps` is the realm's view of the registry). */
function createRealmApp(deps: AdminAppDeps): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(createHealthRouter(deps));
  // The login/consent challenges first (every authorization); introspection never reaches express.
  app.use(createOAuth2RequestsRouter(deps));
  app.use(createOAuth2TokensRouter(deps));
  app.use(createIdentitiesRouter(deps));
  app.use(createAdminSessionsRouter(deps));
  app.use(createCourierRouter(deps));
  app.use(createAdminRecoveryRouter(deps));
  app.use(createClientsRouter(deps));
  app.use(createOAuth2SessionsRouter(deps));
  app.use(createKeysRouter(deps));
  app.use(createTrustRouter(deps));
  app.use(createRealmsRouter(deps));
  app.use(createProjectsRouter(deps));
  app.use(createProjectTokensRouter(deps));
  app.use(createProjectMembersRouter(deps));
  app.use(createLegacyRedirectRouter(deps));
  app.use(routeNotFound());
  app.use(writeError(adminErrorSurface, deps));
  const introspect = introspectionEndpoint(deps);
  return (req, res) => (isIntrospection(req) ? introspect(req, res) : app(req, res));
}
