import { type RealmConfigProvider, oauth2Urls } from '../../config';
import { type OryError, isOryError, validateBody } from '../../http';
import { type ClockProvider, newId, type Ctx } from '../../x';
import { type ClientStoreProvider, type OAuth2Client, genericError, invalidRequest } from '../client';
import { type ConsentSession, coversScopes, isConsentRemembered } from './consent-session';
import type { ConsentSessionStoreProvider, HandledChallengeStoreProvider, LoginSessionStoreProvider, LogoutRequestStoreProvider } from './consent-stores';
import type { ForcedSubjectStoreProvider } from './forced-subject-store';
import type { InteractionPortProvider, LoginResult, PendingInteraction } from './interaction-port';
import { type LoginSession, isRemembered } from './login-session';
import { LOGOUT_TRANSITIONS, type LogoutRequest } from './logout-request';
import { AcceptOAuth2ConsentRequestBody, AcceptOAuth2LoginRequestBody, RejectOAuth2RequestBody } from './request-bodies';
import { challengeClient, oidcContext, splitParam, toLogoutRequestWire } from './wire';

export type ChallengeServiceDeps = RealmConfigProvider &
  ClockProvider &
  InteractionPortProvider &
  ClientStoreProvider &
  LoginSessionStoreProvider &
  ConsentSessionStoreProvider &
  HandledChallengeStoreProvider &
  LogoutRequestStoreProvider &
  ForcedSubjectStoreProvider;

/** `{redirect_to}`: where the consent app sends the browser next. */
export interface RedirectTo {
  readonly redirect_to: string;
}

/** A challenge read: the request JSON, or (410) where it ended once the browser redeemed it. */
export type ChallengeRead = { readonly kind: 'pending'; readonly request: Record<string, unknown> } | { readonly kind: 'handled'; readonly redirectTo: string };

/** What accepting a login says; the self-service login passes the same object (integrated login). */
export interface AcceptLoginInput {
  readonly subject: string;
  readonly remember?: boolean;
  readonly remember_for?: number;
  readonly acr?: string;
  readonly amr?: readonly string[];
  readonly context?: unknown;
  /** The `sub` a pairwise client gets for this subject instead of the computed pairwise one. */
  readonly force_subject_identifier?: string;
}

/** What accepting a consent says. */
export interface AcceptConsentInput {
  readonly grant_scope?: readonly unknown[];
  readonly grant_access_token_audience?: readonly unknown[];
  readonly remember?: boolean;
  readonly remember_for?: number;
  readonly session?: { readonly access_token?: unknown; readonly id_token?: unknown };
}

/** What rejecting a login or consent says. */
export interface RejectInput {
  readonly error?: string;
  readonly error_description?: string;
  readonly error_hint?: string;
}

const NOT_FOUND = () => genericError(404, 'Unable to locate the requested resource', 'Not Found');
const CONFLICT = (what: string) =>
  genericError(409, `Unable to process the requested resource because of conflict in the current state The ${what} request was already used and can no longer be changed.`, 'Conflict');

/**
 * Hydra's login, consent and logout challenges (hydra-api.md §3) over the OAuth2 engine's
 * interactions. A challenge is an interaction uid; answering it stores a result on the interaction
 * and returns the engine's resume URL. Invariants: a consent always follows the login of the same
 * authorization; `skip` is true only for a remembered session of the same subject (login) or a
 * remembered consent covering every requested scope (consent); once the browser redeemed a challenge,
 * reads answer 410 and writes 409.
 *
 * `acceptLoginRequest` is the entry point for integrated login: a self-service login that started
 * from a `login_challenge` calls it with the session's identity as subject.
 */
export class ChallengeService {
  constructor(private readonly deps: ChallengeServiceDeps) {}

  // --- login ---

  /** @throws OryError 400 (no challenge), 404 (unknown) */
  async getLoginRequest(ctx: Ctx, challenge: string | undefined): Promise<ChallengeRead> {
    const found = await this.findPending(ctx, challenge, 'login');
    if (found.kind === 'handled') return found;
    const { interaction, loginSession, skip } = await this.loginState(ctx, found.interaction);
    const client = await this.deps.clientStore.get(ctx, interaction.params.client_id ?? '');
    return {
      kind: 'pending',
      request: {
        challenge: interaction.uid,
        requested_scope: splitParam(interaction.params.scope),
        requested_access_token_audience: splitParam(interaction.params.audience),
        skip,
        subject: skip ? loginSession!.subject : '',
        oidc_context: oidcContext(interaction.params),
        client: challengeClient(client, interaction.params.client_id ?? ''),
        request_url: this.requestUrl(interaction.params),
        ...(interaction.session?.uid ? { session_id: interaction.session.uid } : {}),
      },
    };
  }

  /** Parses an HTTP body into {@link AcceptLoginInput}. @throws OryError 400 invalid_request */
  parseAcceptLogin(body: unknown): AcceptLoginInput {
    return strict(AcceptOAuth2LoginRequestBody, body);
  }

  /**
   * Accepts a login for `subject`. On a skipped request the subject must be the remembered one and
   * the original authentication time is kept.
   * @throws OryError 400 (empty or mismatching subject), 404, 409 (already redeemed)
   */
  async acceptLoginRequest(ctx: Ctx, challenge: string | undefined, input: AcceptLoginInput): Promise<RedirectTo> {
    const pending = await this.requirePending(ctx, challenge, 'login');
    if (!input.subject) throw invalidRequest("Field 'subject' must not be empty.");
    const { interaction, loginSession, skip } = await this.loginState(ctx, pending);
    if (skip && loginSession && input.subject !== loginSession.subject) {
      throw invalidRequest("Field 'subject' does not match subject from previous authentication.");
    }
    const current = interaction.session;
    if (!skip && current?.uid && current.accountId && current.accountId !== input.subject) {
      await this.deps.interactionPort.forgetLogin(ctx, current.uid);
    }
    const now = this.deps.clock.now();
    const result: LoginResult = {
      accountId: input.subject,
      remember: skip ? true : (input.remember ?? false),
      remember_for: skip && loginSession ? loginSession.rememberFor : (input.remember_for ?? 0),
      ts: Math.floor((skip && loginSession ? loginSession.authenticatedAt : now).getTime() / 1000),
      ...(input.acr ?? (skip ? loginSession?.acr : undefined) ? { acr: input.acr ?? loginSession?.acr } : {}),
      ...(input.amr ?? (skip ? loginSession?.amr : undefined) ? { amr: [...(input.amr ?? loginSession?.amr ?? [])] } : {}),
      context: input.context ?? {},
      login_challenge: interaction.uid,
    };
    if (input.force_subject_identifier) {
      // Hydra: only pairwise clients use it; the mapping also serves later ID tokens, userinfo and id_token_hint.
      const clientId = interaction.params.client_id ?? '';
      const client = await this.deps.clientStore.get(ctx, clientId);
      if (client?.metadata.subject_type === 'pairwise') await this.deps.forcedSubjectStore.put(ctx, input.subject, clientId, input.force_subject_identifier);
    }
    return this.finish(ctx, interaction, 'login', { login: result });
  }

  /** @throws OryError 400, 404, 409 */
  async rejectLoginRequest(ctx: Ctx, challenge: string | undefined, body: unknown): Promise<RedirectTo> {
    const interaction = await this.requirePending(ctx, challenge, 'login');
    return this.finish(ctx, interaction, 'login', rejection(strict(RejectOAuth2RequestBody, body ?? {}), 'login request denied'));
  }

  // --- consent ---

  /** @throws OryError 400, 404 */
  async getConsentRequest(ctx: Ctx, challenge: string | undefined): Promise<ChallengeRead> {
    const found = await this.findPending(ctx, challenge, 'consent');
    if (found.kind === 'handled') return found;
    const { interaction } = found;
    const client = await this.deps.clientStore.get(ctx, interaction.params.client_id ?? '');
    return { kind: 'pending', request: { ...this.consentRequest(interaction, client), skip: await this.consentSkip(ctx, interaction, client) } };
  }

  /** @throws OryError 400 invalid_request */
  parseAcceptConsent(body: unknown): AcceptConsentInput {
    return strict(AcceptOAuth2ConsentRequestBody, body ?? {});
  }

  /**
   * Accepts a consent: creates a fresh grant with `grant_scope`, records the consent session (the
   * claims for ID token, userinfo and introspection) and lets the browser resume.
   * @throws OryError 400, 404, 409
   */
  async acceptConsentRequest(ctx: Ctx, challenge: string | undefined, input: AcceptConsentInput): Promise<RedirectTo> {
    const interaction = await this.requirePending(ctx, challenge, 'consent');
    const client = await this.deps.clientStore.get(ctx, interaction.params.client_id ?? '');
    const skip = await this.consentSkip(ctx, interaction, client);
    const grantedScope = strings(input.grant_scope);
    const grantedAudience = strings(input.grant_access_token_audience);
    const grantId = await this.deps.interactionPort.createGrant(ctx, interaction, grantedScope);
    const now = this.deps.clock.now();
    const login = interaction.login;
    const remember = input.remember ?? false;
    const rememberFor = input.remember_for ?? 0;
    const grantEnd = now.getTime() + this.grantLifetime(client);
    const consent: ConsentSession = {
      grantId,
      challenge: interaction.uid,
      subject: this.subjectOf(interaction),
      clientId: interaction.params.client_id ?? '',
      ...(interaction.session?.uid ? { loginSessionId: interaction.session.uid } : {}),
      remember,
      rememberFor,
      skip,
      grantedScope,
      grantedAudience,
      session: { access_token: object(input.session?.access_token), id_token: object(input.session?.id_token) },
      ...(login ? { authenticatedAt: new Date(login.ts * 1000) } : {}),
      ...(login?.acr ? { acr: login.acr } : {}),
      ...(login?.amr ? { amr: login.amr } : {}),
      request: { ...this.consentRequest(interaction, client), skip },
      handledAt: now,
      ...(remember && rememberFor === 0 ? {} : { expiresAt: new Date(Math.max(grantEnd, now.getTime() + rememberFor * 1000)) }),
    };
    await this.deps.consentSessionStore.create(ctx, consent);
    return this.finish(ctx, interaction, 'consent', { consent: { grantId } });
  }

  /** @throws OryError 400, 404, 409 */
  async rejectConsentRequest(ctx: Ctx, challenge: string | undefined, body: unknown): Promise<RedirectTo> {
    const interaction = await this.requirePending(ctx, challenge, 'consent');
    return this.finish(ctx, interaction, 'consent', rejection(strict(RejectOAuth2RequestBody, body ?? {}), 'consent request denied'));
  }

  // --- logout ---

  /** @throws OryError 400, 404 (unknown or rejected) */
  async getLogoutRequest(ctx: Ctx, challenge: string | undefined): Promise<ChallengeRead> {
    const request = await this.logoutRequest(ctx, challenge);
    if (request.state === 'used') return { kind: 'handled', redirectTo: request.requestUrl };
    const client = request.clientId ? await this.deps.clientStore.get(ctx, request.clientId) : undefined;
    return { kind: 'pending', request: toLogoutRequestWire(request, client) };
  }

  /** Accepts a logout; the browser completes it at `redirect_to`. @throws OryError 400, 404, 409 */
  async acceptLogoutRequest(ctx: Ctx, challenge: string | undefined): Promise<RedirectTo> {
    const request = await this.logoutRequest(ctx, challenge);
    if (!LOGOUT_TRANSITIONS[request.state].includes('accepted')) throw CONFLICT('logout');
    const verifier = request.verifier ?? newId();
    await this.deps.logoutRequestStore.update(ctx, { ...request, state: 'accepted', verifier }, request.state);
    return { redirect_to: `${oauth2Urls(this.deps.config).public}oauth2/sessions/logout?logout_verifier=${verifier}` };
  }

  /** Rejects a logout (Hydra answers 204); later reads are 404. @throws OryError 400, 404, 409 */
  async rejectLogoutRequest(ctx: Ctx, challenge: string | undefined): Promise<void> {
    const request = await this.logoutRequest(ctx, challenge);
    if (!LOGOUT_TRANSITIONS[request.state].includes('rejected')) throw CONFLICT('logout');
    await this.deps.logoutRequestStore.update(ctx, { ...request, state: 'rejected' }, request.state);
  }

  /**
   * Redeems a logout verifier exactly once (the browser at `/oauth2/sessions/logout?logout_verifier=`).
   * @returns the logout request, or `undefined` when the verifier is unknown, not accepted or used.
   */
  async redeemLogoutVerifier(ctx: Ctx, verifier: string): Promise<LogoutRequest | undefined> {
    const request = await this.deps.logoutRequestStore.getByVerifier(ctx, verifier);
    if (!request || request.state !== 'accepted' || request.expiresAt.getTime() < this.deps.clock.now().getTime()) return undefined;
    const used = await this.deps.logoutRequestStore.update(ctx, { ...request, state: 'used' }, 'accepted');
    return used ? request : undefined;
  }

  // --- internals ---

  private async findPending(
    ctx: Ctx,
    challenge: string | undefined,
    kind: 'login' | 'consent',
    writing?: 'login' | 'consent',
  ): Promise<{ kind: 'pending'; interaction: PendingInteraction } | { kind: 'handled'; redirectTo: string }> {
    if (!challenge) throw invalidRequest("Query parameter 'challenge' is not defined but should have been.");
    const interaction = await this.deps.interactionPort.find(ctx, challenge);
    if (interaction && interaction.prompt === kind) return { kind: 'pending', interaction };
    const handled = interaction ? undefined : await this.deps.handledChallengeStore.get(ctx, challenge);
    if (!handled || handled.kind !== kind) throw NOT_FOUND();
    if (writing) throw CONFLICT(writing);
    return { kind: 'handled', redirectTo: handled.requestUrl };
  }

  /** The pending interaction for a write. @throws OryError 400, 404, 409 (already redeemed) */
  private async requirePending(ctx: Ctx, challenge: string | undefined, kind: 'login' | 'consent'): Promise<PendingInteraction> {
    const found = await this.findPending(ctx, challenge, kind, kind);
    if (found.kind === 'handled') throw CONFLICT(kind);
    return found.interaction;
  }

  private async loginState(ctx: Ctx, interaction: PendingInteraction): Promise<{ interaction: PendingInteraction; loginSession?: LoginSession; skip: boolean }> {
    const uid = interaction.session?.uid;
    const stored = uid ? await this.deps.loginSessionStore.get(ctx, uid) : undefined;
    const loginSession = isRemembered(stored, this.deps.clock.now()) && stored.subject === interaction.session?.accountId ? stored : undefined;
    const skip = loginSession !== undefined && interaction.reasons.every((r) => r === 'hydra_login');
    return { interaction, loginSession, skip };
  }

  private consentRequest(interaction: PendingInteraction, client: OAuth2Client | undefined): Record<string, unknown> {
    const login = interaction.login;
    return {
      challenge: interaction.uid,
      requested_scope: splitParam(interaction.params.scope),
      requested_access_token_audience: splitParam(interaction.params.audience),
      subject: this.subjectOf(interaction),
      oidc_context: oidcContext(interaction.params),
      client: challengeClient(client, interaction.params.client_id ?? ''),
      request_url: this.requestUrl(interaction.params),
      login_challenge: login?.login_challenge ?? '',
      login_session_id: interaction.session?.uid ?? '',
      acr: login?.acr ?? '',
      amr: login?.amr ? [...login.amr] : [],
      context: login?.context ?? {},
    };
  }

  /** Hydra §3.9: client opt-out, then no prompt=consent, no insecure public client, a covering remembered consent. */
  private async consentSkip(ctx: Ctx, interaction: PendingInteraction, client: OAuth2Client | undefined): Promise<boolean> {
    if (client?.metadata.skip_consent) return true;
    if (splitParam(interaction.params.prompt).includes('consent')) return false;
    if (client?.metadata.token_endpoint_auth_method === 'none' && !secureRedirect(interaction.params.redirect_uri ?? client.metadata.redirect_uris[0])) return false;
    const now = this.deps.clock.now();
    const remembered = await this.deps.consentSessionStore.listRemembered(ctx, this.subjectOf(interaction), interaction.params.client_id ?? '');
    const latest = remembered.find((c) => isConsentRemembered(c, now));
    return latest !== undefined && coversScopes(latest.grantedScope, splitParam(interaction.params.scope));
  }

  private subjectOf(interaction: PendingInteraction): string {
    return interaction.login?.accountId ?? interaction.session?.accountId ?? '';
  }

  /** How long a grant (and so its consent session) must live: the longest token lifetime. */
  private grantLifetime(client: OAuth2Client | undefined): number {
    const ttl = this.deps.config.ttl;
    return Math.max(ttl.refresh_token, ttl.access_token, ttl.id_token, ...Object.values(client?.metadata.lifespans ?? {}));
  }

  private async finish(ctx: Ctx, interaction: PendingInteraction, kind: 'login' | 'consent', result: Parameters<InteractionPortProvider['interactionPort']['finish']>[2]): Promise<RedirectTo> {
    const redirectTo = await this.deps.interactionPort.finish(ctx, interaction.uid, result);
    if (!redirectTo) throw NOT_FOUND();
    await this.deps.handledChallengeStore.put(ctx, {
      challenge: interaction.uid,
      kind,
      requestUrl: this.requestUrl(interaction.params),
      handledAt: this.deps.clock.now(),
      expiresAt: new Date(interaction.expiresAt * 1000),
    });
    return { redirect_to: redirectTo };
  }

  private async logoutRequest(ctx: Ctx, challenge: string | undefined): Promise<LogoutRequest> {
    if (!challenge) throw invalidRequest("Query parameter 'challenge' is not defined but should have been.");
    const request = await this.deps.logoutRequestStore.get(ctx, challenge);
    if (!request || request.state === 'rejected') throw NOT_FOUND();
    return request;
  }

  /** `request_url`: the public authorization endpoint with the request's parameters. */
  private requestUrl(params: Readonly<Record<string, string | undefined>>): string {
    const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'));
    return `${oauth2Urls(this.deps.config).public}oauth2/auth?${query.toString()}`;
  }
}

/** Validates a body strictly and reports problems as Hydra's `invalid_request`. */
function strict<T extends object>(dto: new () => T, body: unknown): T {
  try {
    return validateBody(dto, body);
  } catch (error) {
    if (isOryError(error)) throw invalidRequest(`Unable to decode body because: ${(error as OryError).reason ?? error.message}`);
    throw error;
  }
}

function rejection(body: RejectOAuth2RequestBody, defaultError: string): { error: string; error_description?: string } {
  const description = [body.error_description, body.error_hint].filter(Boolean).join(' ');
  return { error: body.error || defaultError, ...(description ? { error_description: description } : {}) };
}

function strings(values: readonly unknown[] | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === 'string' && v !== '');
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function secureRedirect(uri: string | undefined): boolean {
  const parsed = uri ? URL.parse(uri) : null;
  if (!parsed) return false;
  return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname));
}

export interface ChallengeServiceProvider {
  readonly challengeService: ChallengeService;
}
