import express, { type Request, type Router } from 'express';
import type { ConfigProvider, SecretsProvider } from '../../../../libs/config';
import type { ClockProvider } from '../../../../libs/x';
import { jsonOrFormBody } from '../../../../libs/http';
import { type ErrorStoreProvider, toWire } from '../../../../libs/selfservice/flow';
import {
  ROUTE_REGISTRATION_FLOWS,
  ROUTE_REGISTRATION_INIT_API,
  ROUTE_REGISTRATION_INIT_BROWSER,
  ROUTE_REGISTRATION_SUBMIT,
  type RegistrationService,
} from '../../../../libs/selfservice/flows';
import { respondCompleted, respondExpired, respondInit, respondInvalid, respondReplacement, selfServiceBrowserErrors } from '../flow-responder';
import { toRequester } from '../request-context';
import { submittedBody } from './selfservice-login';

export type RegistrationRouterDeps = ConfigProvider & SecretsProvider & ClockProvider & ErrorStoreProvider & { readonly registrationService: RegistrationService };

/** Kratos registration routes (§1a, §6): init browser/API, get flow, submit. */
export function createRegistrationRouter(deps: RegistrationRouterDeps): Router {
  const router = express.Router();
  const requester = (req: Request) => toRequester(req, deps.config, deps.secrets);

  router.get(ROUTE_REGISTRATION_INIT_BROWSER, async (req, res) => {
    respondInit(req, res, await deps.registrationService.init('browser', requester(req)), deps);
  });
  router.get(ROUTE_REGISTRATION_INIT_API, async (req, res) => {
    respondInit(req, res, await deps.registrationService.init('api', requester(req)), deps);
  });
  router.get(ROUTE_REGISTRATION_FLOWS, async (req, res) => {
    res.json(toWire(await deps.registrationService.get(String(req.query.id ?? ''), requester(req))));
  });
  const submit = async (req: Request, res: express.Response): Promise<void> => {
    const result = await deps.registrationService.submit(req.query.flow as string | undefined, submittedBody(req), requester(req));
    if (result.kind === 'invalid') return respondInvalid(req, res, result.flow, deps);
    if (result.kind === 'expired') return respondExpired(req, res, result.flow, result.error, deps);
    if (result.kind === 'other_browser') return respondReplacement(req, res, result.flow, deps, result.error);
    respondCompleted(req, res, result, deps);
  };
  router.post(ROUTE_REGISTRATION_SUBMIT, ...jsonOrFormBody({ limit: deps.config.serve.public.request_body_limit }), submit);
  router.get(ROUTE_REGISTRATION_SUBMIT, submit);
  router.use(selfServiceBrowserErrors(deps));
  return router;
}
