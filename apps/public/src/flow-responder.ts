import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Config, Secrets } from '../../../libs/config';
import { OryError, toOryError } from '../../../libs/http';
import type { Identity } from '../../../libs/identity';
import { type AnyFlow, type ErrorStore, flowUiUrl, toWire as flowToWire } from '../../../libs/selfservice/flow';
import { type Session, toWire as sessionToWire } from '../../../libs/session';
import { toWire as identityToWire } from '../../../libs/identity';
import type { Clock } from '../../../libs/x';
import { isJsonRequest, prefersJson, setCsrfCookie, setSessionCookie } from './request-context';

/** What the responders need. */
export interface FlowResponderDeps {
  readonly config: Config;
  readonly secrets: Secrets;
  readonly clock: Clock;
}

/**
 * Every response that creates a browser flow sets the CSRF cookie the flow was issued with, also when
 * the browser arrives by a link (recovery, verification, magic links) without any cookie: a new flow
 * reuses the browser's well-formed cookie or gets a fresh token, so this never breaks other open flows.
 */
export function setFlowCsrfCookie(res: Response, flow: AnyFlow, deps: FlowResponderDeps): void {
  if (flow.type === 'browser' && flow.csrfToken) setCsrfCookie(res, flow.csrfToken, deps.config);
}

/**
 * After init: API flows get JSON; browser flows get the CSRF cookie, then JSON when the client asked for
 * it (SPA) or a 303 to the UI URL (server-rendered UI).
 */
export function respondInit(req: Request, res: Response, flow: AnyFlow, deps: FlowResponderDeps): void {
  if (flow.type === 'browser') {
    setFlowCsrfCookie(res, flow, deps);
    if (!prefersJson(req)) {
      res.redirect(303, flowUiUrl(deps.config, flow));
      return;
    }
  }
  res.json(flowToWire(flow));
}

/**
 * After a submission that did not complete: the flow with its messages (400) for API and JSON clients,
 * or a 303 back to the UI, which fetches the flow to show them.
 */
export function respondInvalid(req: Request, res: Response, flow: AnyFlow, deps: FlowResponderDeps, extra: Record<string, unknown> = {}): void {
  if (flow.type === 'browser' && !isJsonRequest(req)) {
    res.redirect(303, flowUiUrl(deps.config, flow));
    return;
  }
  res.status(400).json(flowToWire(flow, extra));
}

/** A flow that moved on (code sent, settings saved): JSON 200, or a 303 back to the UI for HTML forms. */
export function respondUpdated(req: Request, res: Response, flow: AnyFlow, deps: FlowResponderDeps, extra: Record<string, unknown> = {}, htmlRedirect?: string): void {
  if (flow.type === 'browser' && !isJsonRequest(req)) {
    res.redirect(303, htmlRedirect ?? flowUiUrl(deps.config, flow));
    return;
  }
  res.json(flowToWire(flow, extra));
}

/** An expired flow: 410 with `use_flow_id` for JSON clients, a 303 to the replacement for browsers. */
export function respondExpired(req: Request, res: Response, replacement: AnyFlow, error: OryError, deps: FlowResponderDeps): void {
  respondReplacement(req, res, replacement, deps, error);
}

/**
 * A flow created in place of one this browser cannot use (expired, or started in another browser and
 * reached by a link): its CSRF cookie is set and browsers get a 303 to its UI, where it shows why.
 * JSON clients get `error` when given, else the new flow with 400.
 */
export function respondReplacement(req: Request, res: Response, replacement: AnyFlow, deps: FlowResponderDeps, error?: OryError): void {
  setFlowCsrfCookie(res, replacement, deps);
  if (replacement.type === 'browser' && !isJsonRequest(req)) {
    res.redirect(303, flowUiUrl(deps.config, replacement));
    return;
  }
  if (error) throw error;
  res.status(400).json(flowToWire(replacement));
}

/**
 * A completed login or registration: API clients get the session token (and session), browsers get the
 * session cookie and either JSON or a 303 to the return URL the service chose (`returnTo`).
 */
export function respondCompleted(
  req: Request,
  res: Response,
  result: {
    flow: AnyFlow;
    identity: Identity;
    session?: Session;
    token?: string;
    returnTo: string;
    aal2Flow?: AnyFlow;
    oauth2RedirectTo?: string;
    continueWith?: readonly Record<string, unknown>[];
  },
  deps: FlowResponderDeps,
): void {
  const { config } = deps;
  const isLogin = result.flow.kind === 'login';
  // A session that still needs its second factor does not reveal the identity yet (Kratos).
  const sessionJson = result.session ? sessionToWire(result.session, result.aal2Flow ? undefined : result.identity, config) : undefined;
  const continueWith = result.aal2Flow
    ? { continue_with: [{ action: 'complete_second_factor', flow: { id: result.aal2Flow.id, requested_aal: 'aal2', url: flowUiUrl(config, result.aal2Flow) } }] }
    : result.oauth2RedirectTo
      ? { continue_with: [{ action: 'redirect_browser_to', redirect_browser_to: result.oauth2RedirectTo }] }
      : result.continueWith
        ? { continue_with: result.continueWith }
        : {};
  if (result.flow.type === 'api') {
    res.json(
      isLogin
        ? { session_token: result.token, session: sessionJson, ...continueWith }
        : { identity: identityToWire(result.identity, 'public', config), ...(sessionJson ? { session: sessionJson, session_token: result.token } : {}), ...continueWith },
    );
    return;
  }
  if (result.session && result.token) setSessionCookie(res, result.token, result.session.expiresAt, config, deps.secrets, deps.clock.now());
  if (result.aal2Flow) setFlowCsrfCookie(res, result.aal2Flow, deps);
  if (isJsonRequest(req) && result.oauth2RedirectTo) {
    // An SPA must send the browser back to the OAuth2 flow (Kratos: 422 browser_location_change_required).
    throw new OryError(422, 'browser location change required')
      .withId('browser_location_change_required')
      .withReason(`In order to complete this flow please redirect the browser to: ${result.oauth2RedirectTo}`)
      .withExtra({ redirect_browser_to: result.oauth2RedirectTo });
  }
  if (isJsonRequest(req)) {
    res.json(isLogin ? { session: sessionJson, ...continueWith } : { identity: identityToWire(result.identity, 'public', config), ...(sessionJson ? { session: sessionJson } : {}), ...continueWith });
    return;
  }
  if (result.aal2Flow) {
    res.redirect(303, flowUiUrl(config, result.aal2Flow));
    return;
  }
  res.redirect(303, result.returnTo);
}

/**
 * Errors on self-service routes: JSON clients (and `/api` paths) get the envelope through the app's
 * writer; browsers are redirected — to a return URL when already signed in, otherwise to the error UI
 * with the error stored for `GET /self-service/errors?id=`.
 */
export function selfServiceBrowserErrors(deps: FlowResponderDeps & { readonly errorStore: ErrorStore }): ErrorRequestHandler {
  return async (thrown, req, res, next) => {
    if (res.headersSent || isJsonRequest(req) || prefersJson(req) || /\/(api|flows)$/.test(req.path) || req.method === 'DELETE') {
      next(thrown);
      return;
    }
    try {
      const error = toOryError(thrown);
      const redirect = error.extra?.redirect_browser_to ?? error.details?.redirect_browser_to;
      if (typeof redirect === 'string') {
        res.redirect(303, redirect);
        return;
      }
      if (error.id === 'session_inactive') {
        res.redirect(303, deps.config.selfservice.flows.login.ui_url);
        return;
      }
      if (error.code >= 500) {
        next(thrown);
        return;
      }
      const id = await deps.errorStore.create({
        code: error.code,
        status: error.status,
        ...(error.id ? { id: error.id } : {}),
        ...(error.reason ? { reason: error.reason } : {}),
        ...(error.details ? { details: error.details } : {}),
        message: error.message,
      });
      const url = new URL(deps.config.selfservice.flows.error.ui_url);
      url.searchParams.set('id', id);
      res.redirect(303, url.toString());
    } catch (e) {
      next(e);
    }
  };
}
