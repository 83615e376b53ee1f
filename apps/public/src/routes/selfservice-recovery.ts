import express, { type Request, type Router } from 'express';
import type { ConfigProvider, SecretsProvider } from '../../../../libs/config';
import { OryError, jsonOrFormBody } from '../../../../libs/http';
import { type ErrorStoreProvider, flowUiUrl, toWire } from '../../../../libs/selfservice/flow';
import { ROUTE_RECOVERY_FLOWS, ROUTE_RECOVERY_INIT_API, ROUTE_RECOVERY_INIT_BROWSER, ROUTE_RECOVERY_SUBMIT, type RecoveryService } from '../../../../libs/selfservice/flows';
import type { ClockProvider } from '../../../../libs/x';
import { respondExpired, respondInit, respondInvalid, respondReplacement, respondUpdated, selfServiceBrowserErrors, setFlowCsrfCookie } from '../flow-responder';
import { isJsonRequest, setSessionCookie, toRequester } from '../request-context';
import { submittedBody } from './selfservice-login';

export type RecoveryRouterDeps = ConfigProvider & SecretsProvider & ClockProvider & ErrorStoreProvider & { readonly recoveryService: RecoveryService };

/**
 * Kratos recovery routes (§1a, §9). A passed challenge signs the user in and hands over a settings
 * flow: browsers get the session cookie and a 303 (HTML) or 422 `browser_location_change_required`
 * (SPA) to the settings UI; API clients get the flow with `continue_with` (session token, settings flow).
 */
export function createRecoveryRouter(deps: RecoveryRouterDeps): Router {
  const router = express.Router();
  const requester = (req: Request) => toRequester(req, deps.config, deps.secrets);

  router.get(ROUTE_RECOVERY_INIT_BROWSER, async (req, res) => {
    respondInit(req, res, await deps.recoveryService.init('browser', requester(req)), deps);
  });
  router.get(ROUTE_RECOVERY_INIT_API, async (req, res) => {
    respondInit(req, res, await deps.recoveryService.init('api', requester(req)), deps);
  });
  router.get(ROUTE_RECOVERY_FLOWS, async (req, res) => {
    res.json(toWire(await deps.recoveryService.get(String(req.query.id ?? ''), requester(req))));
  });
  const submit = async (req: Request, res: express.Response): Promise<void> => {
    const result = await deps.recoveryService.submit(req.query.flow as string | undefined, submittedBody(req), requester(req));
    if (result.kind === 'expired') return respondExpired(req, res, result.flow, result.error, deps);
    if (result.kind === 'retried') return respondReplacement(req, res, result.flow, deps);
    if (result.kind === 'invalid') return respondInvalid(req, res, result.flow, deps);
    if (result.kind === 'updated') return respondUpdated(req, res, result.flow, deps);
    const { session, token, settingsFlow } = result.passed;
    const settingsUrl = flowUiUrl(deps.config, settingsFlow);
    if (result.flow.type === 'api') {
      res.json(
        toWire(result.flow, {
          continue_with: [
            { action: 'set_ory_session_token', ory_session_token: token },
            { action: 'show_settings_ui', flow: { id: settingsFlow.id, url: settingsUrl } },
          ],
        }),
      );
      return;
    }
    setSessionCookie(res, token, session.expiresAt, deps.config, deps.secrets, deps.clock.now());
    // A link opened in a fresh browser (a mail app's) has no CSRF cookie yet: the settings flow needs one.
    setFlowCsrfCookie(res, settingsFlow, deps);
    if (isJsonRequest(req)) {
      throw new OryError(422, 'browser location change required')
        .withId('browser_location_change_required')
        .withReason(`In order to complete this flow please redirect the browser to: ${settingsUrl}`)
        .withExtra({ redirect_browser_to: settingsUrl });
    }
    res.redirect(303, settingsUrl);
  };
  router.post(ROUTE_RECOVERY_SUBMIT, ...jsonOrFormBody({ limit: deps.config.serve.public.request_body_limit }), submit);
  router.get(ROUTE_RECOVERY_SUBMIT, submit);
  router.use(selfServiceBrowserErrors(deps));
  return router;
}
