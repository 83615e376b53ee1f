import { type OryError, badRequest, isOryError } from '../../http/errors';
import { type Clock, newId } from '../../x';
import { csrfViolation, FlowValidationError } from './flow-errors';
import type { AnyFlow, FlowKind, FlowType } from './flow';
import { maskCsrfToken, newCsrfToken, sameCsrfToken, verifyMaskedCsrfToken } from './csrf';
import type { FlowRequester } from './requester';
import { csrfNode, nodeName, type UiNode } from './ui/ui-node';
import { messages, type UiText } from './ui/ui-text';

/** Fields common to a newly created flow. */
export function baseFlowFields(
  kind: FlowKind,
  type: FlowType,
  requester: FlowRequester,
  clock: Clock,
  lifespanMs: number,
  action: (id: string) => string,
  returnTo: string | undefined,
): Omit<AnyFlow, 'kind' | 'ui'> & { ui: { action: string; method: 'POST'; nodes: UiNode[]; messages: UiText[] } } {
  const now = clock.now();
  const id = newId();
  // Browser flows reuse the browser's CSRF token when it has a well-formed one (several tabs keep working).
  const csrfToken = type === 'browser' ? (isWellFormedCsrf(requester.csrfCookie) ? (requester.csrfCookie as string) : newCsrfToken()) : '';
  return {
    id,
    type,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + lifespanMs),
    createdAt: now,
    updatedAt: now,
    requestUrl: requester.url,
    ...(returnTo ? { returnTo } : {}),
    csrfToken,
    internalContext: {},
    ui: { action: action(id), method: 'POST', nodes: [csrfNode(type === 'browser' ? maskCsrfToken(csrfToken) : '')], messages: [] },
  };
}

function isWellFormedCsrf(value: string | undefined): boolean {
  return value !== undefined && /^[A-Za-z0-9+/]{43}=$/.test(value);
}

/** True once the flow can no longer be submitted. */
export function isExpired(flow: AnyFlow, clock: Clock): boolean {
  return flow.expiresAt.getTime() <= clock.now().getTime();
}

/**
 * Checks a browser submission's CSRF token (body `csrf_token` or header `X-CSRF-Token`) against the
 * CSRF cookie and the token the flow was issued with. With `oneTimeSecret` (see
 * {@link carriesOneTimeCode}) a submission without a token is accepted when the cookie matches.
 * @throws OryError 403 `security_csrf_violation`
 */
export function assertCsrf(flow: AnyFlow, requester: FlowRequester, bodyToken: unknown, options: { readonly oneTimeSecret?: boolean } = {}): void {
  if (flow.type !== 'browser') return;
  const sent = typeof bodyToken === 'string' && bodyToken !== '' ? bodyToken : requester.csrfHeader;
  if (!requester.csrfCookie) throw csrfViolation('The HTTP Cookie Header was set but did not include the anti-CSRF cookie. Are you running Ory Kratos on the same domain?');
  if (!sent && options.oneTimeSecret) {
    if (!sameCsrfToken(requester.csrfCookie, flow.csrfToken)) {
      throw linkFromOtherBrowserError();
    }
    return;
  }
  if (!sent) throw csrfViolation('The anti-CSRF token was not sent in the request body (csrf_token) nor in the X-CSRF-Token header.');
  if (!sameCsrfToken(requester.csrfCookie, flow.csrfToken) || !verifyMaskedCsrfToken(sent, flow.csrfToken)) {
    throw csrfViolation('The HTTP Cookie Header was set and a CSRF token was sent but they do not match. We recommend deleting all cookies for this domain and retrying the flow.');
  }
}

/**
 * True when a login or registration submission redeems a one-time code (`method=code` with `code`), as
 * the magic link in the mail does by GET, without a CSRF token. The secret, bound to the flow, proves
 * the request (as recovery and verification links do); the browser must still send the CSRF cookie the
 * flow was started with, so a flow cannot be finished in another browser.
 */
export function carriesOneTimeCode(body: Readonly<Record<string, unknown>>): boolean {
  return body.method === 'code' && typeof body.code === 'string' && body.code.trim() !== '';
}

/**
 * Fetching a browser flow needs the CSRF cookie it was issued with (Kratos §6c), compared in constant
 * time. Flows created for someone else's browser (admin recovery, server-sent verification, the
 * settings flow handed over after recovery) pass `exempt`.
 * @throws OryError 403 `security_csrf_violation`
 */
export function assertFlowCookie(flow: AnyFlow, requester: FlowRequester, exempt = false): void {
  if (!canFetchFlow(flow, requester, exempt)) {
    throw csrfViolation('The anti-CSRF cookie is missing or does not match the flow; initialize the flow again in this browser.');
  }
}

/**
 * True when this requester may fetch the flow (see {@link assertFlowCookie}): an API flow, an `exempt`
 * one, or a browser flow whose CSRF cookie this browser sends. A browser that may not must never be
 * sent to the flow's UI (it would meet a 403): it gets a flow of its own instead.
 */
export function canFetchFlow(flow: AnyFlow, requester: FlowRequester, exempt = false): boolean {
  if (flow.type !== 'browser' || exempt) return true;
  return requester.csrfCookie !== undefined && requester.csrfCookie !== '' && sameCsrfToken(requester.csrfCookie, flow.csrfToken);
}

/** The 403 `security_csrf_violation` a one-time code link gets in a browser that did not start its flow. */
export function linkFromOtherBrowserError(): OryError {
  return csrfViolation('The anti-CSRF cookie does not belong to this flow. Open the link in the browser the flow was started in.');
}

/**
 * True when a browser opened a link carrying a one-time code (see {@link carriesOneTimeCode}) for a
 * flow started in another browser: no CSRF token is sent and the browser's cookie is not the flow's.
 * Such a request is refused on purpose (the flow is bound to its browser) — onto a new flow in this
 * browser that says why, never onto the original flow it cannot fetch.
 */
export function isLinkFromOtherBrowser(flow: AnyFlow, requester: FlowRequester, body: Readonly<Record<string, unknown>>): boolean {
  const sent = (typeof body.csrf_token === 'string' && body.csrf_token !== '') || Boolean(requester.csrfHeader);
  return flow.type === 'browser' && carriesOneTimeCode(body) && !sent && !canFetchFlow(flow, requester);
}

/**
 * API flows refuse browser artefacts (Kratos §6a): an `Origin` header or cookies mean a browser sent
 * the request, which must use the browser flow (with CSRF protection) instead.
 * @throws OryError 400 (turned into message 4000001 by the service)
 */
export function assertApiRequest(flow: AnyFlow, requester: FlowRequester): void {
  if (flow.type !== 'api') return;
  if (requester.hasOrigin) {
    throw badRequest('The HTTP Request Header included the "Origin" key, indicating that this request was made as part of an AJAX request in a Browser. The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.');
  }
  if (requester.hasBrowserCookies) {
    throw badRequest('The HTTP Request Header included the "Cookie" key, indicating that this request was made by a Browser. The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.');
  }
}

/**
 * Kratos's flow error rule (§6d): validation errors become node/ui messages; any 400 `OryError` becomes
 * message 4000001 with its reason; everything else is rethrown. Old messages are cleared, submitted
 * non-secret values are echoed into their nodes, and the CSRF node gets a fresh mask.
 */
export function applyFlowError<F extends AnyFlow>(flow: F, error: unknown, echo: Readonly<Record<string, unknown>>, clock: Clock): F {
  let global: readonly UiText[];
  let byNode: Readonly<Record<string, readonly UiText[]>> = {};
  if (error instanceof FlowValidationError) {
    global = error.global;
    byNode = error.byNode;
  } else if (isOryError(error) && (error as OryError).code === 400) {
    global = [messages.validationGeneric((error as OryError).reason ?? (error as OryError).message)];
  } else {
    throw error;
  }
  const known = new Set(flow.ui.nodes.map(nodeName));
  const nodes = flow.ui.nodes.map((node) => {
    const name = nodeName(node);
    if (!name) return { ...node, messages: [] };
    const attrs = node.attributes as Record<string, unknown>;
    const isSecret = attrs.type === 'password';
    const echoed = name === 'csrf_token' ? (flow.type === 'browser' ? maskCsrfToken(flow.csrfToken) : '') : !isSecret && attrs.type !== 'submit' && name in echo ? echo[name] : attrs.value;
    return { ...node, attributes: { ...attrs, ...(echoed !== undefined ? { value: echoed } : {}) }, messages: byNode[name] ?? [] };
  });
  // A message for a field without a node (e.g. a required trait missing from the schema form) goes global.
  const orphans = Object.entries(byNode).filter(([name]) => !known.has(name)).flatMap(([, m]) => m);
  return { ...flow, ui: { ...flow.ui, nodes, messages: [...global, ...orphans] }, updatedAt: clock.now() };
}

/** A flow with its CSRF node re-masked (each render shows a new value). */
export function withFreshCsrf<F extends AnyFlow>(flow: F): F {
  if (flow.type !== 'browser') return flow;
  return {
    ...flow,
    ui: { ...flow.ui, nodes: flow.ui.nodes.map((n) => (nodeName(n) === 'csrf_token' ? csrfNode(maskCsrfToken(flow.csrfToken)) : n)) },
  };
}

/** Flattens a submitted body (`{traits: {email}}`) into dotted names (`traits.email`) for echoing. */
export function flattenBody(body: Readonly<Record<string, unknown>>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) Object.assign(out, flattenBody(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}

/** Turns form-style dotted keys (`traits.email=...`) into nested objects; JSON bodies pass through. */
export function unflattenBody(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const parts = key.split('.');
    if (parts.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) continue;
    let node = out;
    parts.slice(0, -1).forEach((p) => {
      if (typeof node[p] !== 'object' || node[p] === null) node[p] = {};
      node = node[p] as Record<string, unknown>;
    });
    node[parts[parts.length - 1]] = value;
  }
  return out;
}
