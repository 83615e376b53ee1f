import express, { type Router } from 'express';
import { type ConfigProvider, oauth2Urls } from '../../../../libs/config';
import { type WriteErrorDeps, jsonBody, requireJsonContentType, writeError, ctxOf } from '../../../../libs/http';
import { type ClientManagerProvider, genericError, toWire } from '../../../../libs/oauth2/client';

export type DynamicRegistrationRouterDeps = ConfigProvider & ClientManagerProvider & WriteErrorDeps;

/** RFC 7591/7592 dynamic client registration (Hydra's `/oauth2/register`). */
export const ROUTE_REGISTER = '/oauth2/register';

const bearer = (header: string | undefined): string | undefined => (header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined);

/**
 * `POST /oauth2/register`, `GET/PUT/DELETE /oauth2/register/{id}` with the registration access token
 * (hydra-api.md §2.7), off unless `oidc.dynamic_client_registration.enabled`. Same rules as the admin
 * API plus: no chosen secret, no `metadata`, the token rotates on every PUT. Errors are Hydra's flat shape.
 */
export function createDynamicRegistrationRouter(deps: DynamicRegistrationRouterDeps): Router {
  const router = express.Router();
  const body = [requireJsonContentType(), jsonBody({ limit: deps.config.serve.public.request_body_limit })];
  const uri = (id: string) => `${oauth2Urls(deps.config).public}oauth2/register/${id}`;

  router.use([ROUTE_REGISTER, `${ROUTE_REGISTER}/*path`], (_req, _res, next) => {
    next(deps.config.oidc.dynamic_client_registration.enabled ? undefined : genericError(404, 'Dynamic registration is not enabled.'));
  });

  router.post(ROUTE_REGISTER, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const { client, clientSecret, registrationAccessToken } = await deps.clientManager.create(ctx, req.body, { dcr: true });
    res
      .status(201)
      .location(uri(client.id))
      .json(toWire(client, { clientSecret, registrationAccessToken, registrationClientUri: uri(client.id) }));
  });

  router.get(`${ROUTE_REGISTER}/:id`, async (req, res) => {
    const ctx = ctxOf(req);
    const client = await deps.clientManager.authenticateRegistration(ctx, req.params.id as string, bearer(req.get('authorization')));
    res.json(toWire(client, { omitMetadata: true, registrationClientUri: uri(client.id) }));
  });

  router.put(`${ROUTE_REGISTER}/:id`, ...body, async (req, res) => {
    const ctx = ctxOf(req);
    const id = (await deps.clientManager.authenticateRegistration(ctx, req.params.id as string, bearer(req.get('authorization')))).id;
    const { client, registrationAccessToken } = await deps.clientManager.update(ctx, id, req.body, { dcr: true });
    res.json(toWire(client, { omitMetadata: true, registrationAccessToken, registrationClientUri: uri(client.id) }));
  });

  router.delete(`${ROUTE_REGISTER}/:id`, async (req, res) => {
    const ctx = ctxOf(req);
    const client = await deps.clientManager.authenticateRegistration(ctx, req.params.id as string, bearer(req.get('authorization')));
    await deps.clientManager.delete(ctx, client.id);
    res.status(204).end();
  });

  router.use(ROUTE_REGISTER, writeError('oauth2', deps));
  return router;
}
