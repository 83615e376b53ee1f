import type { ClientInstance, KoaContextWithOIDC, TokenInstance } from 'oidc-provider';
import type { RealmConfigProvider } from '../../config';
import type { Logger } from '../../x';
import type { ConsentClaims, ConsentSession, ConsentSessionStoreProvider, ForcedSubjectStoreProvider } from '../consent';
import type { ConsentLookup } from './account-claims';
import { engine } from './engine';
import { pairwiseSubjectFor } from './pairwise-subjects';
import { engineCtx } from './engine-ctx';

/** How long the hook may take to answer (connect, status and body). */
export const REFRESH_HOOK_TIMEOUT_MS = 5000;
/** Hydra reads at most 5 MiB of a hook's reply. */
const MAX_REPLY_BYTES = 5 << 20;

/**
 * Hydra's `RefreshTokenHookRequest` (hydra oauth2/refresh_hook.go). `session` is Hydra's token
 * session as it serialises it: the consent's `session.access_token` is `extra`, its
 * `session.id_token` is `id_token.id_token_claims.ext`.
 */
export interface RefreshTokenHookRequest {
  readonly subject: string;
  readonly session: {
    readonly id_token: {
      readonly id_token_claims: Record<string, unknown> & { readonly ext: Record<string, unknown> };
      readonly headers: { readonly extra: Record<string, unknown> };
      readonly subject: string;
    };
    readonly extra: Record<string, unknown>;
    readonly client_id: string;
    readonly consent_challenge: string;
    readonly exclude_not_before_claim: boolean;
    readonly allowed_top_level_claims: readonly string[];
  };
  readonly requester: { readonly client_id: string; readonly granted_scopes: readonly string[]; readonly granted_audience: readonly string[]; readonly grant_types: readonly string[] };
  readonly client_id: string;
  readonly granted_scopes: readonly string[];
  readonly granted_audience: readonly string[];
}

/** What the hook's reply means for the refresh. */
export type RefreshHookOutcome =
  | { readonly kind: 'replace'; readonly session: ConsentClaims }
  | { readonly kind: 'keep' }
  | { readonly kind: 'deny' }
  | { readonly kind: 'fail'; readonly description: string; readonly detail: string };

/** The facts of one refresh the request is built from. */
export interface RefreshHookInput {
  readonly subject: string;
  /** The subject the client sees (pairwise or public): the ID token's `sub`. */
  readonly clientSubject: string;
  readonly clientId: string;
  readonly issuer: string;
  readonly grantedScopes: readonly string[];
  readonly consent: ConsentSession | undefined;
  readonly excludeNotBeforeClaim: boolean;
  readonly allowedTopLevelClaims: readonly string[];
}

const EXECUTE_FAILED = 'An error occurred while executing the token hook.';
const TARGET_FAILED = 'The token hook target responded with an error.';
/** fosite's ErrAccessDenied with Hydra's description, as its JSON `error_description` reads. */
export const HOOK_DENIED_DESCRIPTION = `${TARGET_FAILED} Make sure that the request you are making is valid. Maybe the credential or request parameters you are using are limited in scope or otherwise restricted.`;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Hydra's hook body for one refresh; the consent's claims go out as Hydra's session carries them. */
export function refreshHookRequest(input: RefreshHookInput): RefreshTokenHookRequest {
  const { consent } = input;
  const grantedAudience = [...(consent?.grantedAudience ?? [])];
  const grantedScopes = [...input.grantedScopes];
  return {
    subject: input.subject,
    session: {
      id_token: {
        id_token_claims: {
          iss: input.issuer,
          sub: input.clientSubject,
          aud: [input.clientId],
          ...(consent?.acr ? { acr: consent.acr } : {}),
          ...(consent?.amr ? { amr: [...consent.amr] } : {}),
          ...(consent?.authenticatedAt ? { auth_time: consent.authenticatedAt.toISOString() } : {}),
          ext: { ...(consent?.session.id_token ?? {}) },
        },
        headers: { extra: {} },
        subject: input.subject,
      },
      extra: { ...(consent?.session.access_token ?? {}) },
      client_id: input.clientId,
      consent_challenge: consent?.challenge ?? '',
      exclude_not_before_claim: input.excludeNotBeforeClaim,
      allowed_top_level_claims: [...input.allowedTopLevelClaims],
    },
    requester: { client_id: input.clientId, granted_scopes: grantedScopes, granted_audience: grantedAudience, grant_types: ['refresh_token'] },
    client_id: input.clientId,
    granted_scopes: grantedScopes,
    granted_audience: grantedAudience,
  };
}

/**
 * Hydra's reading of the hook's reply: 200 `{"session":{"access_token":{…},"id_token":{…}}}` replaces
 * both claim sets (a missing or null one becomes empty); 204 keeps them; 403 denies; a 200 whose body
 * is not that shape, and every other status, is a server error. 429 and 5xx (but 501) read like a
 * transport failure, as Hydra's retrying client gives up on them with one.
 */
export function refreshHookOutcome(status: number, body: string): RefreshHookOutcome {
  if (status === 204) return { kind: 'keep' };
  if (status === 403) return { kind: 'deny' };
  if (status !== 200) {
    const description = status === 429 || (status >= 500 && status !== 501) ? EXECUTE_FAILED : TARGET_FAILED;
    return { kind: 'fail', description, detail: `Token hook responded with HTTP status code: ${status}` };
  }
  const malformed = (why: string): RefreshHookOutcome => ({ kind: 'fail', description: TARGET_FAILED, detail: `Response from token hook could not be decoded: ${why}` });
  let reply: unknown;
  try {
    reply = JSON.parse(body);
  } catch (err) {
    return malformed((err as Error).message);
  }
  if (!isObject(reply)) return malformed('not a JSON object');
  const session = reply.session ?? {};
  if (!isObject(session)) return malformed('`session` is not an object');
  const claims = (name: 'access_token' | 'id_token'): Record<string, unknown> | undefined => {
    const value = session[name] ?? {};
    return isObject(value) ? value : undefined;
  };
  const accessToken = claims('access_token');
  const idToken = claims('id_token');
  if (!accessToken || !idToken) return malformed('`session.access_token` and `session.id_token` must be objects');
  return { kind: 'replace', session: { access_token: accessToken, id_token: idToken } };
}

/** POSTs the request; a transport error or timeout is a `fail` outcome, never a throw. */
export async function callRefreshTokenHook(url: string, request: RefreshTokenHookRequest, timeoutMs = REFRESH_HOOK_TIMEOUT_MS): Promise<RefreshHookOutcome> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8', accept: 'application/json' },
      body: JSON.stringify(request),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await readLimited(res, MAX_REPLY_BYTES);
    if (body === undefined) return { kind: 'fail', description: TARGET_FAILED, detail: 'Response from token hook exceeds 5 MiB' };
    return refreshHookOutcome(res.status, body);
  } catch (err) {
    return { kind: 'fail', description: EXECUTE_FAILED, detail: `Unable to execute HTTP Request: ${(err as Error).message}` };
  }
}

/** The reply body as text, or `undefined` (reading stopped) once it exceeds `limit` bytes. */
async function readLimited(res: Response, limit: number): Promise<string | undefined> {
  if (Number(res.headers.get('content-length') ?? 0) > limit) {
    await res.body?.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export type RefreshTokenHookDeps = RealmConfigProvider & ConsentSessionStoreProvider & ForcedSubjectStoreProvider & { readonly logger: Logger };

type OidcError = Error & { status: number; statusCode: number; expose: boolean };

function hookError(error: string, description: string, status: number): OidcError {
  const { CustomOIDCProviderError } = engine().errors as unknown as { CustomOIDCProviderError: new (error: string, description: string) => OidcError };
  // Exposed even as a 500, so the body carries Hydra's error_description rather than the engine's generic one.
  return Object.assign(new CustomOIDCProviderError(error, description), { status, statusCode: status, expose: true });
}

/**
 * Hydra's `oauth2.refresh_token_hook`, as the engine's `rotateRefreshToken` option (always `true`:
 * refresh tokens always rotate). oidc-provider 9.13's refresh_token grant calls that option after it
 * has validated the refresh token (found, same client, not expired, grant alive, requested scope
 * covered, account active, not replayed) and before it consumes the token or issues any, so unknown,
 * expired and replayed refresh tokens keep their errors and never reach the hook.
 *
 * Invariants: without the config key nothing changes (`true`, no call). With it, every refresh POSTs
 * one {@link RefreshTokenHookRequest}. 200 persists the reply's claims as the grant's consent session
 * (`ConsentSessionStore.updateSession`) and in this request's {@link ConsentLookup}, so the access token
 * (`ext`, JWT top-level claims), the ID token, userinfo and every later refresh use them; 204 leaves
 * them; 403 refuses the refresh with fosite's `access_denied` (HTTP 403); any other reply, a
 * transport error or a timeout is `server_error` (HTTP 500). A refused refresh leaves its refresh
 * token unconsumed.
 */
export function refreshTokenRotation(deps: RefreshTokenHookDeps, consents: ConsentLookup): true | ((ctx: KoaContextWithOIDC) => Promise<boolean>) {
  const url = deps.config.oauth2.refresh_token_hook;
  if (!url) return true;
  return async (ctx) => {
    const token = ctx.oidc.entities.RefreshToken as TokenInstance;
    const client = ctx.oidc.client as ClientInstance;
    const grantId = String(token.grantId);
    const subject = String(token.accountId);
    const consent = await consents.get(ctx, grantId);
    const requested = (ctx.oidc as unknown as { requestParamScopes?: Set<string> }).requestParamScopes;
    const request = refreshHookRequest({
      subject,
      clientSubject: client.subjectType === 'pairwise' ? await pairwiseSubjectFor(engineCtx(ctx), deps, client, subject) : subject,
      clientId: client.clientId,
      issuer: ctx.oidc.issuer,
      grantedScopes: [...(ctx.oidc.params?.scope && requested ? requested : token.scopes)],
      consent,
      excludeNotBeforeClaim: deps.config.oauth2.exclude_not_before_claim,
      allowedTopLevelClaims: deps.config.oauth2.allowed_top_level_claims,
    });
    const outcome = await callRefreshTokenHook(url, request);
    switch (outcome.kind) {
      case 'keep':
        return true;
      case 'deny':
        throw hookError('access_denied', HOOK_DENIED_DESCRIPTION, 403);
      case 'fail':
        engineCtx(ctx).logger.warn({ grantId, clientId: client.clientId, detail: outcome.detail }, 'refresh token hook failed');
        throw hookError('server_error', outcome.description, 500);
      case 'replace':
        if (!consent || !(await deps.consentSessionStore.updateSession(engineCtx(ctx), grantId, outcome.session))) {
          engineCtx(ctx).logger.warn({ grantId, clientId: client.clientId }, 'refresh token hook session not kept: the grant has no consent session');
          return true;
        }
        consents.set(ctx, { ...consent, session: outcome.session });
        return true;
    }
  };
}
