import express, { type Request, type Router } from 'express';
import type { ConfigProvider, SecretsProvider } from '../../../../libs/config';
import type { ClockProvider } from '../../../../libs/x';
import { jsonOrFormBody } from '../../../../libs/http';
import { type ErrorStoreProvider, toWire } from '../../../../libs/selfservice/flow';
import {
  type LoginService,
  ROUTE_LOGIN_FLOWS,
  ROUTE_LOGIN_INIT_API,
  ROUTE_LOGIN_INIT_BROWSER,
  ROUTE_LOGIN_SUBMIT,
} from '../../../../libs/selfservice/flows';
import { respondCompleted, respondExpired, respondInit, respondInvalid, respondReplacement, selfServiceBrowserErrors } from '../flow-responder';
import { toRequester } from '../request-context';

export type LoginRouterDeps = ConfigProvider & SecretsProvider & ClockProvider & ErrorStoreProvider & { readonly loginService: LoginService };

/** The submitted body: the parsed JSON/form body for POST, the query (minus `flow`) for GET. */
export function submittedBody(req: Request): unknown {
  if (req.method !== 'GET') return req.body;
  const { flow: _flow, ...rest } = req.query as Record<string, unknown>;
  return rest;
}

/** Kratos login routes (§1a, §6): init browser/API, get flow, submit. */
export function createLoginRouter(deps: LoginRouterDeps): Router {
  const router = express.Router();
  const requester = (req: Request) => toRequester(req, deps.config, deps.secrets);

  router.get(ROUTE_LOGIN_INIT_BROWSER, async (req, res) => {
    respondInit(req, res, await deps.loginService.init('browser', requester(req)), deps);
  });
  router.get(ROUTE_LOGIN_INIT_API, async (req, res) => {
    respondInit(req, res, await deps.loginService.init('api', requester(req)), deps);
  });
  router.get(ROUTE_LOGIN_FLOWS, async (req, res) => {
    res.json(toWire(await deps.loginService.get(String(req.query.id ?? ''), requester(req))));
  });
  const submit = async (req: Request, res: express.Response): Promise<void> => {
    const result = await deps.loginService.submit(req.query.flow as string | undefined, submittedBody(req), requester(req));
    if (result.kind === 'invalid') return respondInvalid(req, res, result.flow, deps);
    if (result.kind === 'expired') return respondExpired(req, res, result.flow, result.error, deps);
    if (result.kind === 'other_browser') return respondReplacement(req, res, result.flow, deps, result.error);
    respondCompleted(req, res, result, deps);
  };
  router.post(ROUTE_LOGIN_SUBMIT, ...jsonOrFormBody({ limit: deps.config.serve.public.request_body_limit }), submit);
  router.get(ROUTE_LOGIN_SUBMIT, submit);
  router.use(selfServiceBrowserErrors(deps));
  return router;
}
