import type { RealmConfigProvider } from '../../../config';
import { OryError, badRequest, notFound } from '../../../http/errors';
import { DuplicateIdentifierError, type Identity, type PrivilegedIdentityPoolProvider } from '../../../identity';
import type { Session, SessionManagerProvider } from '../../../session';
import { type ClockProvider, type TransactionRunnerProvider, isUuid, type Ctx } from '../../../x';
import {
  FlowValidationError,
  type FlowRequester,
  type FlowStoreProvider,
  type FlowType,
  type RegistrationFlow,
  saveFlowError,
  saveFlowUpdate,
  assertApiRequest,
  assertCsrf,
  assertFlowCookie,
  carriesOneTimeCode,
  baseFlowFields,
  completedReturnUrl,
  flattenBody,
  flowUiUrl,
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
import type { RegistrationHookResult, RegistrationHooksProvider } from './registration-hooks';
import type { RegistrationPopulation, RegistrationStrategiesProvider } from './registration-strategy';
import { ROUTE_REGISTRATION_SUBMIT } from './routes';

export type RegistrationServiceDeps = RealmConfigProvider &
  ClockProvider &
  FlowStoreProvider &
  RegistrationStrategiesProvider &
  RegistrationHooksProvider &
  SessionManagerProvider &
  PrivilegedIdentityPoolProvider &
  TransactionRunnerProvider;

export type RegistrationSubmitResult =
  | {
      readonly kind: 'completed';
      readonly flow: RegistrationFlow;
      readonly identity: Identity;
      readonly session?: Session;
      readonly token?: string;
      /** Where the browser goes: the verification UI (`show_verification_ui`), else `return_to` → `after.<method>` → `after` → global default. */
      readonly returnTo: string;
      /** Kratos `continue_with` items for JSON answers (`show_verification_ui`). */
      readonly continueWith?: readonly Record<string, unknown>[];
    }
  | { readonly kind: 'invalid'; readonly flow: RegistrationFlow }
  | { readonly kind: 'expired'; readonly flow: RegistrationFlow; readonly error: OryError }
  /** A code link opened in a browser that did not start the flow: refused onto a new flow of this browser (`error` for JSON clients). */
  | { readonly kind: 'other_browser'; readonly flow: RegistrationFlow; readonly error: OryError };

/** `session_already_available` for registration (400). */
function alreadyRegistered(redirectTo: string): OryError {
  return badRequest('A valid session was detected and thus registration is not possible.').withId('session_already_available').withDetails({ redirect_browser_to: redirectTo });
}

/**
 * Registration flows. On success the identity is stored and the post hooks (e.g. `session`) run in one
 * transaction: a failing hook leaves no identity behind.
 */
export class RegistrationService {
  constructor(private readonly deps: RegistrationServiceDeps) {}

  /** @throws OryError 400 `self_service_flow_disabled`, 400 `session_already_available` (browser), 400 return_to */
  async init(ctx: Ctx, type: FlowType, requester: FlowRequester): Promise<RegistrationFlow> {
    const c = this.deps.config;
    if (!c.selfservice.flows.registration.enabled) {
      throw badRequest('Registration is not allowed because it was disabled.').withId('self_service_flow_disabled');
    }
    const returnTo = validateReturnTo(requester.query.return_to, c);
    if (type === 'browser' && (await this.deps.sessionManager.resolve(ctx, requester.sessionToken))) {
      throw alreadyRegistered(returnTo ?? c.selfservice.default_browser_return_url);
    }
    const base = baseFlowFields('registration', type, requester, this.deps.clock, c.selfservice.flows.registration.lifespan, (id) => `${c.serve.public.base_url}${ROUTE_REGISTRATION_SUBMIT.slice(1)}?flow=${id}`, returnTo);
    let flow: RegistrationFlow = { ...base, kind: 'registration' };
    const nodes = [...flow.ui.nodes];
    const internalContext: Record<string, unknown> = { ...flow.internalContext };
    for (const strategy of this.deps.registrationStrategies) {
      const population = await strategy.populateRegistration(flow, { requester });
      if (Array.isArray(population)) {
        nodes.push(...population);
        continue;
      }
      const { nodes: added, internalContext: kept } = population as RegistrationPopulation;
      nodes.push(...added);
      if (kept !== undefined) internalContext[strategy.id] = kept;
    }
    flow = { ...flow, internalContext, ui: { ...flow.ui, nodes } };
    await this.deps.flowStore.create(ctx, flow);
    return flow;
  }

  /** @throws OryError 404, 403 `security_csrf_violation`, 410 `self_service_flow_expired` */
  async get(ctx: Ctx, id: string, requester: FlowRequester): Promise<RegistrationFlow> {
    const flow = await this.load(ctx, id);
    assertFlowCookie(flow, requester);
    if (isExpired(flow, this.deps.clock)) throw flowExpiredOnFetch('registration', flow, this.deps.config.serve.public.base_url);
    return withFreshCsrf(flow);
  }

  /** @throws OryError 400 missing flow, 404, 403 CSRF, 400 `session_already_available` (API flows) */
  async submit(ctx: Ctx, id: string | undefined, rawBody: unknown, requester: FlowRequester): Promise<RegistrationSubmitResult> {
    if (!id) throw badRequest('The flow query parameter is missing or malformed.');
    const flow = await this.load(ctx, id);
    const now = this.deps.clock.now();
    if (isExpired(flow, this.deps.clock)) {
      const replacement = await this.init(ctx, flow.type, { ...requester, url: flow.requestUrl, query: Object.fromEntries(new URL(flow.requestUrl).searchParams), sessionToken: undefined });
      const minutes = (now.getTime() - flow.expiresAt.getTime()) / 60000;
      const withMessage: RegistrationFlow = { ...replacement, ui: { ...replacement.ui, messages: [messages.registrationExpired(minutes, flow.expiresAt)] } };
      await this.deps.flowStore.update(ctx, withMessage);
      return { kind: 'expired', flow: withMessage, error: flowExpiredError('registration', flow.expiresAt, now, replacement.id) };
    }
    if (await this.deps.sessionManager.resolve(ctx, requester.sessionToken)) {
      throw alreadyRegistered(flow.returnTo ?? this.deps.config.selfservice.default_browser_return_url);
    }
    const body = unflattenBody(typeof rawBody === 'object' && rawBody !== null && !Array.isArray(rawBody) ? (rawBody as Record<string, unknown>) : {});
    if (isLinkFromOtherBrowser(flow, requester, body)) {
      const fresh = await this.init(ctx, 'browser', { ...requester, query: flow.returnTo ? { return_to: flow.returnTo } : {} });
      const refused: RegistrationFlow = { ...fresh, ui: { ...fresh.ui, messages: [messages.linkFromOtherBrowser('registration')] } };
      await this.deps.flowStore.update(ctx, refused);
      return { kind: 'other_browser', flow: refused, error: linkFromOtherBrowserError() };
    }
    assertCsrf(flow, requester, body.csrf_token, { oneTimeSecret: carriesOneTimeCode(body) });
    try {
      assertApiRequest(flow, requester);
      return await this.runStrategies(ctx, flow, body, requester);
    } catch (error) {
      const updated = await saveFlowError(ctx, this.deps, flow, error, flattenBody(body), (current) => ({ ...current, active: typeof body.method === 'string' ? body.method : current.active }));
      return { kind: 'invalid', flow: updated };
    }
  }

  private async runStrategies(ctx: Ctx, flow: RegistrationFlow, body: Record<string, unknown>, requester: FlowRequester): Promise<RegistrationSubmitResult> {
    for (const strategy of this.deps.registrationStrategies) {
      const outcome = await strategy.register(ctx, flow, body, { requester });
      if (outcome.kind === 'not_responsible') continue;
      if (outcome.kind === 'flow_updated') {
        // A strategy that counted or spent something stored the flow itself; any other change goes onto the stored flow.
        return { kind: 'invalid', flow: outcome.stored ? outcome.flow : await saveFlowUpdate(ctx, this.deps, flow, outcome.flow) };
      }
      // The method's server-side state (a WebAuthn challenge) is spent once the flow completed.
      const { [strategy.id]: _spent, ...internalContext } = flow.internalContext;
      const done: RegistrationFlow = { ...flow, internalContext, active: strategy.id, updatedAt: this.deps.clock.now() };
      try {
        const hooked = await this.deps.transactions.withTransaction(ctx, async (ctx) => {
          await this.deps.privilegedIdentityPool.create(ctx, outcome.identity);
          let result: RegistrationHookResult = {};
          for (const hook of this.deps.registrationPostHooks(strategy.id)) {
            const r = await hook.execute(ctx, { flow: done, identity: outcome.identity, method: outcome.method, aal: outcome.aal, device: requester.device });
            result = { ...result, ...r };
          }
          await this.deps.flowStore.update(ctx, done);
          return result;
        });
        const { verificationFlows, showVerificationUi, ...signedIn } = hooked;
        const c = this.deps.config;
        const returnTo = completedReturnUrl(c.selfservice.flows.registration.after, strategy.id, flow.returnTo, c.selfservice.default_browser_return_url);
        const shown = showVerificationUi ? verificationFlows?.[0] : undefined;
        if (!shown) return { kind: 'completed', flow: done, identity: outcome.identity, ...signedIn, returnTo };
        // `show_verification_ui`: continue with the verification flow of the first new address.
        const url = flowUiUrl(c, { kind: 'verification', id: shown.flowId });
        const continueWith = [{ action: 'show_verification_ui', flow: { id: shown.flowId, verifiable_address: shown.address, ...(flow.type === 'browser' ? { url } : {}) } }];
        return { kind: 'completed', flow: done, identity: outcome.identity, ...signedIn, returnTo: flow.type === 'browser' ? url : returnTo, continueWith };
      } catch (error) {
        if (error instanceof DuplicateIdentifierError) throw new FlowValidationError([messages.duplicateCredentials()]);
        throw error;
      }
    }
    throw new FlowValidationError([messages.noRegistrationStrategy()]);
  }

  private async load(ctx: Ctx, id: string): Promise<RegistrationFlow> {
    const flow = isUuid(id) ? await this.deps.flowStore.get(ctx, 'registration', id) : undefined;
    if (!flow) throw notFound('Unable to locate the resource');
    return flow;
  }
}
