import express, { type Request, type Router } from 'express';
import type { ConfigProvider, SecretsProvider } from '../../../../libs/config';
import { jsonOrFormBody } from '../../../../libs/http';
import { type ErrorStoreProvider, toWire } from '../../../../libs/selfservice/flow';
import {
  ROUTE_VERIFICATION_FLOWS,
  ROUTE_VERIFICATION_INIT_API,
  ROUTE_VERIFICATION_INIT_BROWSER,
  ROUTE_VERIFICATION_SUBMIT,
  type VerificationService,
} from '../../../../libs/selfservice/flows';
import type { ClockProvider } from '../../../../libs/x';
import { respondExpired, respondInit, respondInvalid, respondReplacement, respondUpdated, selfServiceBrowserErrors, setFlowCsrfCookie } from '../flow-responder';
import { toRequester } from '../request-context';
import { submittedBody } from './selfservice-login';

export type VerificationRouterDeps = ConfigProvider & SecretsProvider & ClockProvider & ErrorStoreProvider & { readonly verificationService: VerificationService };

/**
 * Kratos verification routes (§1a, §9). A verification link (GET with `token` or `code`) sends the
 * browser on to `return_to` or `selfservice.flows.verification.after.default_browser_return_url`.
 */
export function createVerificationRouter(deps: VerificationRouterDeps): Router {
  const router = express.Router();
  const requester = (req: Request) => toRequester(req, deps.config, deps.secrets);

  router.get(ROUTE_VERIFICATION_INIT_BROWSER, async (req, res) => {
    respondInit(req, res, await deps.verificationService.init('browser', requester(req)), deps);
  });
  router.get(ROUTE_VERIFICATION_INIT_API, async (req, res) => {
    respondInit(req, res, await deps.verificationService.init('api', requester(req)), deps);
  });
  router.get(ROUTE_VERIFICATION_FLOWS, async (req, res) => {
    res.json(toWire(await deps.verificationService.get(String(req.query.id ?? ''), requester(req))));
  });
  const submit = async (req: Request, res: express.Response): Promise<void> => {
    const result = await deps.verificationService.submit(req.query.flow as string | undefined, submittedBody(req), requester(req));
    if (result.kind === 'expired') return respondExpired(req, res, result.flow, result.error, deps);
    if (result.kind === 'retried') return respondReplacement(req, res, result.flow, deps);
    if (result.kind === 'invalid') return respondInvalid(req, res, result.flow, deps);
    const afterLink = req.method === 'GET' && result.kind === 'passed' ? result.passed.returnTo : undefined;
    // A link opened in a fresh browser shows its success on a flow of that browser.
    if (result.kind === 'passed' && result.passed.receipt) setFlowCsrfCookie(res, result.passed.receipt, deps);
    respondUpdated(req, res, result.flow, deps, {}, afterLink);
  };
  router.post(ROUTE_VERIFICATION_SUBMIT, ...jsonOrFormBody({ limit: deps.config.serve.public.request_body_limit }), submit);
  router.get(ROUTE_VERIFICATION_SUBMIT, submit);
  router.use(selfServiceBrowserErrors(deps));
  return router;
}
