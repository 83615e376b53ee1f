import { OryError } from '../../http/errors';
import type { UiText } from './ui/ui-text';

/**
 * A form mistake (wrong password, invalid traits, policy violation): not an error envelope but UI
 * messages put on the flow, which is then answered with 400 (Kratos `WriteFlowError`).
 */
export class FlowValidationError extends Error {
  constructor(
    /** Messages for the whole form (`ui.messages`). */
    readonly global: readonly UiText[],
    /** Messages per node name (e.g. `traits.email`, `password`). */
    readonly byNode: Readonly<Record<string, readonly UiText[]>> = {},
  ) {
    super(global.map((m) => m.text).join('; ') || 'validation failed');
    this.name = 'FlowValidationError';
  }
}

/** 410 for an expired flow, naming the replacement flow (`use_flow_id`). */
export function flowExpiredError(kind: string, expiredAt: Date, now: Date, replacementId: string): OryError {
  const sinceMs = now.getTime() - expiredAt.getTime();
  return new OryError(410, 'self-service flow expired')
    .withId('self_service_flow_expired')
    .withReason(`The self-service flow expired ${(sinceMs / 60000).toFixed(2)} minutes ago, initialize a new one.`)
    .withExtra({ expired_at: expiredAt.toISOString(), since: sinceMs * 1_000_000, use_flow_id: replacementId })
    .withDetails({ flow: kind });
}

/**
 * 410 for fetching an expired login or registration flow (Kratos §5b): where to start again —
 * `details.redirect_to` (+ `return_to`) for browser flows, `details.api` for API flows.
 */
export function flowExpiredOnFetch(kind: 'login' | 'registration', flow: { type: string; returnTo?: string }, publicBaseUrl: string): OryError {
  const init = `${publicBaseUrl}self-service/${kind}`;
  const returnTo = flow.returnTo ? `?return_to=${encodeURIComponent(flow.returnTo)}` : '';
  return new OryError(410)
    .withId('self_service_flow_expired')
    .withReason(`The ${kind} flow has expired. Redirect the user to the ${kind} flow init endpoint to initialize a new ${kind} flow.`)
    .withDetails(flow.type === 'browser' ? { redirect_to: `${init}/browser${returnTo}`, ...(flow.returnTo ? { return_to: flow.returnTo } : {}) } : { api: `${init}/api` });
}

/** 403 `security_csrf_violation` with Kratos's wording. */
export function csrfViolation(rejectReason: string): OryError {
  return new OryError(403, 'the request was rejected to protect you from Cross-Site-Request-Forgery')
    .withId('security_csrf_violation')
    .withReason(
      'Please retry the flow and optionally clear your cookies. The request was rejected to protect you from Cross-Site-Request-Forgery (CSRF) which could cause account takeover, leaking personal information, and other serious security issues.',
    )
    .withDetails({
      docs: 'https://www.ory.sh/kratos/docs/debug/csrf',
      hint: 'To find out more about CSRF, visit the documentation linked in the docs field.',
      reject_reason: rejectReason,
    });
}
