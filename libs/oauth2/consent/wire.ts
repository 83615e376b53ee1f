import { type OAuth2Client, toWire as clientToWire } from '../client';
import type { ConsentSession } from './consent-session';
import type { LogoutRequest } from './logout-request';

/** Splits a space-separated parameter into its values (`[]` when absent). */
export function splitParam(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}

/** The decoded payload of a JWT without verification (the engine verified the hint already). */
function decodeJwtPayload(jwt: string): Record<string, unknown> | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `oidc_context` of login and consent requests: each member only when the request had it. */
export function oidcContext(params: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const hint = params.id_token_hint ? decodeJwtPayload(params.id_token_hint) : undefined;
  return {
    ...(params.acr_values ? { acr_values: splitParam(params.acr_values) } : {}),
    ...(params.display ? { display: params.display } : {}),
    ...(hint ? { id_token_hint_claims: hint } : {}),
    ...(params.login_hint ? { login_hint: params.login_hint } : {}),
    ...(params.ui_locales ? { ui_locales: splitParam(params.ui_locales) } : {}),
  };
}

/** The client as challenges show it: Hydra's client JSON without secret or registration token. */
export function challengeClient(client: OAuth2Client | undefined, clientId: string): Record<string, unknown> {
  return client ? clientToWire(client) : { client_id: clientId };
}

/** `PreviousOAuth2ConsentSession` (hydra-api.md §4.1). */
export function toPreviousConsentWire(c: ConsentSession): Record<string, unknown> {
  return {
    grant_scope: [...c.grantedScope],
    grant_access_token_audience: [...c.grantedAudience],
    session: c.session,
    remember: c.remember,
    remember_for: c.rememberFor,
    handled_at: c.handledAt.toISOString(),
    consent_request: c.request,
  };
}

/** `OAuth2LogoutRequest` (hydra-api.md §3.10). */
export function toLogoutRequestWire(r: LogoutRequest, client: OAuth2Client | undefined): Record<string, unknown> {
  return {
    challenge: r.challenge,
    subject: r.subject,
    sid: r.sid,
    request_url: r.requestUrl,
    rp_initiated: r.rpInitiated,
    client: r.clientId ? challengeClient(client, r.clientId) : null,
  };
}
