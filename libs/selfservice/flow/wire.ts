import type { AnyFlow } from './flow';
import type { UiContainer } from './ui/ui-node';

/** The UI container on the wire: `messages` omitted when empty. */
export function uiToWire(ui: UiContainer): Record<string, unknown> {
  return { action: ui.action, method: ui.method, nodes: ui.nodes, ...(ui.messages.length ? { messages: ui.messages } : {}) };
}

/**
 * The only place a flow becomes wire JSON (Kratos §2): login adds `created_at`, `updated_at`, `refresh`
 * and `requested_aal`; registration has none of these; settings, recovery and verification add `state`
 * (settings also `identity`, passed in `extra`). CSRF token and internal context never appear.
 */
export function toWire(flow: AnyFlow, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: flow.id,
    type: flow.type,
    expires_at: flow.expiresAt.toISOString(),
    issued_at: flow.issuedAt.toISOString(),
    request_url: flow.requestUrl,
    ...(flow.returnTo ? { return_to: flow.returnTo } : {}),
    ...(flow.active ? { active: flow.active } : {}),
    ...((flow.kind === 'login' || flow.kind === 'registration') && flow.oauth2LoginChallenge ? { oauth2_login_challenge: flow.oauth2LoginChallenge } : {}),
    ui: uiToWire(flow.ui),
  };
  if (flow.kind === 'login') {
    return { ...base, created_at: flow.createdAt.toISOString(), updated_at: flow.updatedAt.toISOString(), refresh: flow.refresh, requested_aal: flow.requestedAal, ...extra };
  }
  if (flow.kind === 'registration') return { ...base, ...extra };
  return { ...base, state: flow.state, ...extra };
}

/** Rebuilds a flow from its stored document (dates revived). */
export function fromStored(doc: Record<string, unknown>): AnyFlow {
  const dates = ['issuedAt', 'expiresAt', 'createdAt', 'updatedAt'];
  const out: Record<string, unknown> = { ...doc };
  for (const d of dates) out[d] = new Date(doc[d] as string);
  return out as unknown as AnyFlow;
}
