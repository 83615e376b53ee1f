import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express from 'express';
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
import { type SchemasRouterDeps, createSchemasRouter } from './routes/schemas';
import { type SessionsRouterDeps, createSessionsRouter } from './routes/sessions';
import { isWhoami, whoamiEndpoint } from './routes/whoami';
import { type LogoutRouterDeps, createLogoutRouter } from './routes/selfservice-logout';
import { type ErrorsRouterDeps, createErrorsRouter } from './routes/selfservice-errors';
import { type LoginRouterDeps, createLoginRouter } from './routes/selfservice-login';
import { type RegistrationRouterDeps, createRegistrationRouter } from './routes/selfservice-registration';
import { type SettingsRouterDeps, createSettingsRouter } from './routes/selfservice-settings';
import { type RecoveryRouterDeps, createRecoveryRouter } from './routes/selfservice-recovery';
import { type VerificationRouterDeps, createVerificationRouter } from './routes/selfservice-verification';
import { createWebAuthnScriptRouter } from './routes/webauthn-js';
import { type OAuth2RouterDeps, createOAuth2Router, engineHandler, isEngineRequest } from './routes/oauth2';
import { type DynamicRegistrationRouterDeps, createDynamicRegistrationRouter } from './routes/oauth2-register';
import { hasJsonBody, jsonBodyAsForm, rewriteOpenIdConnectPath } from './surfaces/keycloak/openid-connect-paths';

export type PublicAppDeps = ConfigProvider & HealthRouterDeps & WriteErrorDeps & SchemasRouterDeps & LoginRouterDeps & RegistrationRouterDeps & SessionsRouterDeps & LogoutRouterDeps & ErrorsRouterDeps &
  SettingsRouterDeps &
  RecoveryRouterDeps &
  VerificationRouterDeps &
  OAuth2RouterDeps &
  DynamicRegistrationRouterDeps;

/** Hydra's and Keycloak's protocol paths answer OAuth2 errors; everything else (Kratos) the Ory envelope. */
export function publicErrorSurface(path: string): ErrorSurface {
  return /^\/(oauth2|userinfo|\.well-known|protocol\/openid-connect)(\/|$)/.test(path) ? 'oauth2' : 'ory';
}

/**
 * The public app (port 4433): health, self-service, sessions and the OAuth2/OIDC endpoints.
 * It never listens; `tessera serve` does. Request id, the realm resolver, access log, no-cache and CORS
 * apply to every request; then the request goes to its realm's app (`dispatchToRealm`: an unknown realm
 * is a 404), where `/sessions/whoami` (`whoamiEndpoint`) and the engine's protocol paths (Hydra's, and Keycloak's
 * under a realm prefix: see `rewriteOpenIdConnectPath`; straight to the realm's oidc-provider, see
 * `isEngineRequest`) are served without express, and everything else by express, where every route answers
 * errors in the Ory envelope.
 */
export function createPublicApp(deps: PublicAppDeps & RealmLookup<PublicAppDeps>): RequestListener {
  const serve = deps.config.serve.public;
  return withMiddlewares(edgeMiddlewares(deps.logger, serve.cors, undefined, serve.realm_host_suffix), dispatchToRealm(deps, createRealmApp, publicErrorSurface));
}

/** One realm's public app, built with that realm's services (`deps` is the realm's view of the registry). */
function createRealmApp(deps: PublicAppDeps): RequestListener {
  const app = express();
  const engine = engineHandler(deps);
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(createHealthRouter(deps));
  // Whoami, the hottest route, is served before express (`whoamiEndpoint`); express answers what it hands back.
  app.use(createSessionsRouter(deps));
  // Dynamic client registration, Hydra's fallback pages and logout completion (the engine's protocol paths never get here).
  app.use(createDynamicRegistrationRouter(deps));
  app.use(createOAuth2Router(deps));
  app.use(createSchemasRouter(deps));
  app.use(createWebAuthnScriptRouter());
  app.use(createLoginRouter(deps));
  app.use(createRegistrationRouter(deps));
  app.use(createSettingsRouter(deps));
  app.use(createRecoveryRouter(deps));
  app.use(createVerificationRouter(deps));
  app.use(createLogoutRouter(deps));
  app.use(createErrorsRouter(deps));
  app.use(routeNotFound());
  app.use(writeError('ory', deps));
  const whoami = whoamiEndpoint(deps, app);
  const route = (req: IncomingMessage, res: ServerResponse): void => (isWhoami(req) ? whoami(req, res) : isEngineRequest(req.url) ? engine(req, res) : app(req, res));
  return (req, res) => {
    // Keycloak's `/realms/{realm}/protocol/openid-connect/…` become the engine's paths first.
    const oidc = rewriteOpenIdConnectPath(req);
    if (!oidc) return route(req, res);
    const next = oidc === 'engine' ? () => engine(req, res) : () => route(req, res);
    if (hasJsonBody(req)) jsonBodyAsForm(req, res, next);
    else next();
  };
}
