import express, { type Request, type Router } from 'express';
import type { ConfigProvider, SecretsProvider } from '../../../../libs/config';
import { jsonOrFormBody } from '../../../../libs/http';
import { toWire as identityToWire } from '../../../../libs/identity';
import { type ErrorStoreProvider, flowUiUrl, toWire } from '../../../../libs/selfservice/flow';
import {
  ROUTE_SETTINGS_FLOWS,
  ROUTE_SETTINGS_INIT_API,
  ROUTE_SETTINGS_INIT_BROWSER,
  ROUTE_SETTINGS_SUBMIT,
  type SettingsService,
} from '../../../../libs/selfservice/flows';
import type { ClockProvider } from '../../../../libs/x';
import { respondExpired, respondInit, respondInvalid, respondUpdated, selfServiceBrowserErrors } from '../flow-responder';
import { setSessionCookie, toRequester } from '../request-context';
import { submittedBody } from './selfservice-login';

export type SettingsRouterDeps = ConfigProvider & SecretsProvider & ClockProvider & ErrorStoreProvider & { readonly settingsService: SettingsService };

/** Kratos settings routes (§1a, §10): init browser/API (session required), get flow, submit. */
export function createSettingsRouter(deps: SettingsRouterDeps): Router {
  const router = express.Router();
  const requester = (req: Request) => toRequester(req, deps.config, deps.secrets);
  const identityWire = (identity: Parameters<typeof identityToWire>[0]) => ({ identity: identityToWire(identity, 'public', deps.config) });

  router.get(ROUTE_SETTINGS_INIT_BROWSER, async (req, res) => {
    const { flow } = await deps.settingsService.init('browser', requester(req));
    respondInit(req, res, flow, deps);
  });
  router.get(ROUTE_SETTINGS_INIT_API, async (req, res) => {
    const { flow, identity } = await deps.settingsService.init('api', requester(req));
    res.json(toWire(flow, identityWire(identity)));
  });
  router.get(ROUTE_SETTINGS_FLOWS, async (req, res) => {
    const { flow, identity } = await deps.settingsService.get(String(req.query.id ?? ''), requester(req));
    res.json(toWire(flow, identityWire(identity)));
  });
  const submit = async (req: Request, res: express.Response): Promise<void> => {
    const who = requester(req);
    const result = await deps.settingsService.submit(req.query.flow as string | undefined, submittedBody(req), who);
    if (result.kind === 'expired') return respondExpired(req, res, result.flow, result.error, deps);
    if (result.kind === 'invalid') return respondInvalid(req, res, result.flow, deps, identityWire(result.identity));
    if (result.flow.type === 'browser' && who.sessionToken) {
      setSessionCookie(res, who.sessionToken, result.session.session.expiresAt, deps.config, deps.secrets, deps.clock.now());
    }
    // Only-the-flow updates (codes to confirm) go back to the settings UI, which shows them.
    const htmlRedirect = result.kind === 'updated' ? flowUiUrl(deps.config, result.flow) : result.returnTo;
    respondUpdated(req, res, result.flow, deps, identityWire(result.identity), htmlRedirect);
  };
  router.post(ROUTE_SETTINGS_SUBMIT, ...jsonOrFormBody({ limit: deps.config.serve.public.request_body_limit }), submit);
  router.get(ROUTE_SETTINGS_SUBMIT, submit);
  router.use(selfServiceBrowserErrors(deps));
  return router;
}
