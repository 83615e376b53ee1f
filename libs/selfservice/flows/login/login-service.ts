import type { RealmConfigProvider } from '../../../config';
import { OryError, badRequest, notFound, unauthorized } from '../../../http/errors';
import type { Identity } from '../../../identity';
import { type ActiveSession, type Aal, type Session, type SessionManagerProvider, aalSatisfies, highestAvailableAal } from '../../../session';
import { type ClockProvider, type TransactionRunnerProvider, isUuid, type Ctx } from '../../../x';
import {
  FlowValidationError,
  type FlowRequester,
  type FlowStoreProvider,
  type FlowType,
  type LoginFlow,
  saveFlowError,
  saveFlowUpdate,
  assertApiRequest,
  assertCsrf,
  assertFlowCookie,
  carriesOneTimeCode,
  baseFlowFields,
  completedReturnUrl,
  flattenBody,
  flowExpiredError,
  flowExpiredOnFetch,
  isExpired,
  isLinkFromOtherBrowser,
  linkFromOtherBrowserError,
  messages,
  unflattenBody,
  validateReturnTo,
  withFreshCsrf,
} from '../../flow';
import type { LoginHooksProvider } from './login-hooks';
import type { OAuth2LoginBridgeProvider } from './oauth2-login-bridge';
import type { LoginPopulation, LoginStrategiesProvider } from './login-strategy';
import { ROUTE_LOGIN_SUBMIT } from './routes';

export type LoginServiceDeps = OAuth2LoginBridgeProvider &
  RealmConfigProvider &
  ClockProvider &
  FlowStoreProvider &
  LoginStrategiesProvider &
  LoginHooksProvider &
  SessionManagerProvider &
  TransactionRunnerProvider;

/** The outcome of a login submission (architecture B4). */
export type LoginSubmitResult =
  | {
      readonly kind: 'completed';
      readonly flow: LoginFlow;
      readonly session: Session;
      readonly identity: Identity;
      readonly token: string;
      /** Where the browser goes: the OAuth2 redirect, else `return_to` → `after.<method>` → `after` → global default. */
      readonly returnTo: string;
      /** Set when the identity has a second factor the session still lacks: the flow to finish it with. */
      readonly aal2Flow?: LoginFlow;
      /** Set when the flow accepted an OAuth2 login challenge: where the browser continues. */
      readonly oauth2RedirectTo?: string;
    }
  | { readonly kind: 'invalid'; readonly flow: LoginFlow }
  | { readonly kind: 'expired'; readonly flow: LoginFlow; readonly error: OryError }
  /** A code link opened in a browser that did not start the flow: refused onto a new flow of this browser (`error` for JSON clients). */
  | { readonly kind: 'other_browser'; readonly flow: LoginFlow; readonly error: OryError };

/** `session_already_available` (400), carrying where a browser should go instead. */
export function alreadyLoggedIn(redirectTo: string): OryError {
  return badRequest('A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?')
    .withId('session_already_available')
    .withDetails({ redirect_browser_to: redirectTo });
}

/** 401 `session_aal1_required`: an aal2 login step needs the aal1 session it upgrades. */
export function aal1Required(): OryError {
  return unauthorized('You can not requested a higher AAL (AAL2/AAL3) without an active session.').withId('session_aal1_required');
}

/**
 * Login flows: init (browser/API), fetch, submit. Routers call only these. A flow is created per init,
 * persisted, and replaced on every change; expired flows are answered with a fresh replacement.
 */
export class LoginService {
  constructor(private readonly deps: LoginServiceDeps) {}

  /**
   * @throws OryError 400 `session_already_available` (logged in, no refresh), 401 `session_aal1_required`,
   *   400 bad `aal`, 400 `self_service_flow_return_to_forbidden`
   */
  async init(ctx: Ctx, type: FlowType, requester: FlowRequester): Promise<LoginFlow> {
    const c = this.deps.config;
    const returnTo = validateReturnTo(requester.query.return_to, c);
    const aal = parseAal(requester.query.aal);
    const session = await this.deps.sessionManager.resolve(ctx, requester.sessionToken);
    const refresh = requester.query.refresh === 'true' && session !== undefined;
    if (session && !refresh && (aal === 'aal1' || session.session.aal === 'aal2')) {
      // Signed in already: an OAuth2 login challenge is accepted with this session at once.
      const challenge = await this.checkChallenge(ctx, requester.query.login_challenge);
      const redirect = challenge ? await this.acceptChallenge(ctx, challenge, session.identity, session.session) : undefined;
      throw alreadyLoggedIn(redirect ?? returnTo ?? c.selfservice.default_browser_return_url);
    }
    if (!session && aal === 'aal2') throw aal1Required();
    const challenge = await this.checkChallenge(ctx, requester.query.login_challenge);
    const base = baseFlowFields('login', type, requester, this.deps.clock, c.selfservice.flows.login.lifespan, (id) => `${c.serve.public.base_url}${ROUTE_LOGIN_SUBMIT.slice(1)}?flow=${id}`, returnTo);
    let flow: LoginFlow = { ...base, kind: 'login', refresh, requestedAal: aal, ...(challenge ? { oauth2LoginChallenge: challenge } : {}) };
    const flowContext = { requester, session };
    const nodes = [...flow.ui.nodes];
    const internalContext: Record<string, unknown> = { ...flow.internalContext };
    for (const strategy of this.deps.loginStrategies) {
      const population = await strategy.populateLogin(flow, flowContext);
      if (Array.isArray(population)) {
        nodes.push(...population);
        continue;
      }
      const { nodes: added, internalContext: kept } = population as LoginPopulation;
      nodes.push(...added);
      if (kept !== undefined) internalContext[strategy.id] = kept;
    }
    const flowMessages = [...(refresh ? [messages.loginReAuth()] : []), ...(aal === 'aal2' ? [messages.loginMfa()] : [])];
    flow = { ...flow, internalContext, ui: { ...flow.ui, nodes, messages: flowMessages } };
    await this.deps.flowStore.create(ctx, flow);
    return flow;
  }

  /**
   * The flow by id (always JSON). Browser flows need the CSRF cookie they were issued with.
   * @throws OryError 404, 403 `security_csrf_violation`, 410 `self_service_flow_expired`
   */
  async get(ctx: Ctx, id: string, requester: FlowRequester): Promise<LoginFlow> {
    const flow = await this.load(ctx, id);
    assertFlowCookie(flow, requester);
    if (isExpired(flow, this.deps.clock)) throw flowExpiredOnFetch('login', flow, this.deps.config.serve.public.base_url);
    return withFreshCsrf(flow);
  }

  /**
   * Runs the strategies on a submission. Form mistakes come back as `invalid` (400 with messages);
   * an expired flow as `expired` with a stored replacement.
   * @throws OryError 400 missing flow, 401 `session_aal1_required` (aal2 flow without a session), 404 unknown flow, 403 `security_csrf_violation`
   */
  async submit(ctx: Ctx, id: string | undefined, rawBody: unknown, requester: FlowRequester): Promise<LoginSubmitResult> {
    if (!id) throw badRequest('The flow query parameter is missing or malformed.');
    const flow = await this.load(ctx, id);
    const now = this.deps.clock.now();
    if (isExpired(flow, this.deps.clock)) {
      const replacement = await this.init(ctx, flow.type, { ...requester, url: flow.requestUrl, query: { ...requester.query, ...Object.fromEntries(new URL(flow.requestUrl).searchParams) }, sessionToken: undefined });
      const minutes = (now.getTime() - flow.expiresAt.getTime()) / 60000;
      const withMessage: LoginFlow = { ...replacement, ui: { ...replacement.ui, messages: [messages.loginExpired(minutes, flow.expiresAt)] } };
      await this.deps.flowStore.update(ctx, withMessage);
      return { kind: 'expired', flow: withMessage, error: flowExpiredError('login', flow.expiresAt, now, replacement.id) };
    }
    const body = unflattenBody(isRecord(rawBody) ? rawBody : {});
    if (isLinkFromOtherBrowser(flow, requester, body)) {
      // Not the original's login_challenge, refresh or aal: those belong to the browser that started it.
      const fresh = await this.init(ctx, 'browser', { ...requester, query: flow.returnTo ? { return_to: flow.returnTo } : {} });
      const refused: LoginFlow = { ...fresh, ui: { ...fresh.ui, messages: [messages.linkFromOtherBrowser('login')] } };
      await this.deps.flowStore.update(ctx, refused);
      return { kind: 'other_browser', flow: refused, error: linkFromOtherBrowserError() };
    }
    assertCsrf(flow, requester, body.csrf_token, { oneTimeSecret: carriesOneTimeCode(body) });
    try {
      assertApiRequest(flow, requester);
      if (!isRecord(rawBody)) throw badRequest('The request body must be a JSON object or a form.');
      const session = await this.deps.sessionManager.resolve(ctx, requester.sessionToken);
      if (session && !flow.refresh && flow.requestedAal === 'aal1') {
        throw alreadyLoggedIn(flow.returnTo ?? this.deps.config.selfservice.default_browser_return_url);
      }
      // A second-factor step completes a session; it cannot start one (the session may have ended since init).
      if (!session && flow.requestedAal === 'aal2') throw aal1Required();
      return await this.runStrategies(ctx, flow, body, requester, session);
    } catch (error) {
      const updated = await saveFlowError(ctx, this.deps, flow, error, flattenBody(body), (current) => ({ ...current, active: typeof body.method === 'string' ? body.method : current.active }));
      return { kind: 'invalid', flow: updated };
    }
  }

  private async runStrategies(ctx: Ctx, flow: LoginFlow, body: Record<string, unknown>, requester: FlowRequester, session: ActiveSession | undefined): Promise<LoginSubmitResult> {
    const flowContext = { requester, session };
    for (const strategy of this.deps.loginStrategies) {
      const outcome = await strategy.login(ctx, flow, body, flowContext);
      if (outcome.kind === 'not_responsible') continue;
      if (outcome.kind === 'flow_updated') {
        // A strategy that counted or spent something stored the flow itself; any other change goes onto the stored flow.
        return { kind: 'invalid', flow: outcome.stored ? outcome.flow : await saveFlowUpdate(ctx, this.deps, flow, outcome.flow) };
      }
      if (outcome.identity.state !== 'active') {
        throw new OryError(401, 'identity is disabled').withReason('This account was disabled.').withDetails({ identity_id: outcome.identity.id });
      }
      // The method's server-side state (a WebAuthn challenge) is spent: a replay on this flow finds none.
      const { [strategy.id]: _spent, ...internalContext } = flow.internalContext;
      const done: LoginFlow = { ...flow, internalContext, active: strategy.id, updatedAt: this.deps.clock.now() };
      const { session: issued, token } = await this.deps.transactions.withTransaction(ctx, async (ctx) => {
        const result =
          session && session.identity.id === outcome.identity.id && (flow.refresh || flow.requestedAal === 'aal2')
            ? { session: await this.deps.sessionManager.addMethod(ctx, session.session.id, outcome.method, outcome.aal), token: requester.sessionToken as string }
            : await this.deps.sessionManager.issue(ctx, outcome.identity, outcome.method, outcome.aal, requester.device);
        for (const hook of this.deps.loginPostHooks(strategy.id)) await hook.execute(ctx, { flow: done, identity: outcome.identity, session: result.session });
        await this.deps.flowStore.update(ctx, done);
        return result;
      });
      const aal2Flow = await this.secondFactorFlow(ctx, done, issued, outcome.identity, token, requester);
      const oauth2RedirectTo = !aal2Flow && flow.oauth2LoginChallenge ? await this.acceptChallenge(ctx, flow.oauth2LoginChallenge, outcome.identity, issued) : undefined;
      const c = this.deps.config.selfservice;
      const returnTo = oauth2RedirectTo ?? completedReturnUrl(c.flows.login.after, strategy.id, flow.returnTo, c.default_browser_return_url);
      return { kind: 'completed', flow: done, session: issued, identity: outcome.identity, token, returnTo, aal2Flow, oauth2RedirectTo };
    }
    throw new FlowValidationError([messages.noLoginStrategy()]);
  }

  /**
   * After a first factor, an identity with a second factor (and `session.whoami.required_aal:
   * highest_available`) is not done yet: a new `aal=aal2` flow of the same type is created for the step
   * that remains, so API clients can finish MFA without a browser.
   */
  private async secondFactorFlow(ctx: Ctx, flow: LoginFlow, session: Session, identity: Identity, token: string, requester: FlowRequester): Promise<LoginFlow | undefined> {
    if (this.deps.config.session.whoami.required_aal !== 'highest_available') return undefined;
    if (aalSatisfies(session.aal, highestAvailableAal(identity))) return undefined;
    const url = `${this.deps.config.serve.public.base_url}self-service/login/${flow.type}?aal=aal2${flow.returnTo ? `&return_to=${encodeURIComponent(flow.returnTo)}` : ''}`;
    const query = { aal: 'aal2', ...(flow.returnTo ? { return_to: flow.returnTo } : {}), ...(flow.oauth2LoginChallenge ? { login_challenge: flow.oauth2LoginChallenge } : {}) };
    return this.init(ctx, flow.type, { ...requester, url, query, sessionToken: token });
  }

  /**
   * Validates `?login_challenge=` against the OAuth2 provider.
   * @throws OryError 400 when OAuth2 is not wired; 404/410 from the provider for unknown/handled challenges
   */
  private async checkChallenge(ctx: Ctx, challenge: string | undefined): Promise<string | undefined> {
    if (!challenge) return undefined;
    if (!this.deps.oauth2LoginBridge) throw badRequest('This login flow was started for OAuth2, but OAuth2 is not available.');
    await this.deps.oauth2LoginBridge.inspect(ctx, challenge);
    return challenge;
  }

  /** Accepts the OAuth2 login challenge for the signed-in identity; `acr` is the session AAL, `amr` its methods. */
  private async acceptChallenge(ctx: Ctx, challenge: string, identity: Identity, session: Session): Promise<string | undefined> {
    return this.deps.oauth2LoginBridge?.accept(ctx, challenge, {
      subject: identity.id,
      remember: true,
      acr: session.aal,
      amr: [...new Set(session.authenticationMethods.map((m) => m.method))],
    });
  }

  private async load(ctx: Ctx, id: string): Promise<LoginFlow> {
    const flow = isUuid(id) ? await this.deps.flowStore.get(ctx, 'login', id) : undefined;
    if (!flow) throw notFound('Unable to locate the resource');
    return flow;
  }
}

function parseAal(value: string | undefined): Aal {
  if (value === undefined || value === '' || value === 'aal1') return 'aal1';
  if (value === 'aal2') return 'aal2';
  throw badRequest(`Unable to parse AuthenticationMethod Assurance Level (AAL): expected one of [aal1, aal2] but got ${value}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
