import type { RequestListener } from 'node:http';
import express from 'express';
import type { ConfigProvider } from '../../../libs/config';
import {
  type HealthRouterDeps,
  type WriteErrorDeps,
  createHealthRouter,
  edgeMiddlewares,
  routeNotFound,
  withMiddlewares,
  writeError,
} from '../../../libs/http';
import { type SchemasRouterDeps, createSchemasRouter } from './routes/schemas';
import { type SessionsRouterDeps, createSessionsRouter } from './routes/sessions';
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

export type PublicAppDeps = ConfigProvider & HealthRouterDeps & WriteErrorDeps & SchemasRouterDeps & LoginRouterDeps & RegistrationRouterDeps & SessionsRouterDeps & LogoutRouterDeps & ErrorsRouterDeps &
  SettingsRouterDeps &
  RecoveryRouterDeps &
  VerificationRouterDeps &
  OAuth2RouterDeps &
  DynamicRegistrationRouterDeps;

/**
 * The public app (port 4433): health, self-service, sessions and the OAuth2/OIDC endpoints.
 * It never listens; `tessera serve` does. Request id, access log, no-cache and CORS apply to every
 * request; then the engine's protocol paths go straight to oidc-provider (see `isEngineRequest`) and
 * everything else to express, where every route answers errors in the Ory envelope.
 */
export function createPublicApp(deps: PublicAppDeps): RequestListener {
  const app = express();
  const engine = engineHandler(deps);
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(createHealthRouter(deps));
  // The hottest route (every authenticated request of an app checks it) is matched first.
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
  return withMiddlewares(edgeMiddlewares(deps.logger, deps.config.serve.public.cors), (req, res) =>
    isEngineRequest(req.url) ? engine(req, res) : app(req, res),
  );
}
