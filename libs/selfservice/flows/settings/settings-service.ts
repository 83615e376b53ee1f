import type { RealmConfigProvider } from '../../../config';
import { OryError, badRequest, conflict, forbidden, notFound } from '../../../http/errors';
import type { Identity, PrivilegedIdentityPoolProvider } from '../../../identity';
import {
  type ActiveSession,
  type SessionManagerProvider,
  aalSatisfies,
  highestAvailableAal,
  sessionAal2Required,
  sessionInactive,
} from '../../../session';
import { type ClockProvider, type TransactionRunnerProvider, isUuid, type Ctx } from '../../../x';
import {
  FlowValidationError,
  type FlowRequester,
  type FlowStoreProvider,
  type FlowType,
  type SettingsFlow,
  type UiText,
  saveFlowError,
  saveFlowUpdate,
  assertApiRequest,
  assertCsrf,
  assertFlowCookie,
  baseFlowFields,
  completedReturnUrl,
  flattenBody,
  flowUiUrl,
  flowExpiredError,
  isExpired,
  markSettingsSaved,
  messages,
  unflattenBody,
  validateReturnTo,
  withFreshCsrf,
} from '../../flow';
import { ROUTE_SETTINGS_SUBMIT } from './routes';
import type { SettingsContext, SettingsPopulation, SettingsStrategiesProvider } from './settings-strategy';

/** A verification flow mailed for one address. */
export interface SentVerification {
  readonly flowId: string;
  readonly address: string;
}

/** Sends verification mails for new addresses (implemented by the verification service). */
export interface VerificationSenderProvider {
  readonly verificationService: { sendForIdentity(ctx: Ctx, identity: Identity): Promise<readonly SentVerification[]> };
}

export type SettingsServiceDeps = RealmConfigProvider &
  ClockProvider &
  FlowStoreProvider &
  SettingsStrategiesProvider &
  SessionManagerProvider &
  PrivilegedIdentityPoolProvider &
  TransactionRunnerProvider &
  VerificationSenderProvider;

export type SettingsSubmitResult =
  /** `returnTo`: where a browser goes — `return_to` → `after.<method>` → `after` → the settings UI. */
  | { readonly kind: 'completed'; readonly flow: SettingsFlow; readonly identity: Identity; readonly session: ActiveSession; readonly returnTo: string }
  /** A method changed only the flow (e.g. recovery codes shown for confirmation); nothing was saved yet. */
  | { readonly kind: 'updated'; readonly flow: SettingsFlow; readonly identity: Identity; readonly session: ActiveSession }
  | { readonly kind: 'invalid'; readonly flow: SettingsFlow; readonly identity: Identity }
  | { readonly kind: 'expired'; readonly flow: SettingsFlow; readonly error: OryError };

/**
 * Settings flows (Kratos §10): a session of the flow's identity changes traits or credentials. Changes
 * to credentials and protected traits need a login younger than `privileged_session_max_age`.
 */
export class SettingsService {
  constructor(private readonly deps: SettingsServiceDeps) {}

  /** @throws OryError 401 `session_inactive`, 403 `session_aal2_required`, 400 return_to */
  async init(ctx: Ctx, type: FlowType, requester: FlowRequester): Promise<{ flow: SettingsFlow; identity: Identity }> {
    const session = await this.authenticate(ctx, requester);
    const c = this.deps.config;
    const returnTo = validateReturnTo(requester.query.return_to, c);
    const flow = await this.create(type, requester, session.identity, returnTo, []);
    await this.deps.flowStore.create(ctx, flow);
    return { flow, identity: session.identity };
  }

  /** A settings flow for `identity` (also used after recovery, with message 1060001). Not stored. */
  async create(type: FlowType, requester: FlowRequester, identity: Identity, returnTo: string | undefined, flowMessages: UiText[]): Promise<SettingsFlow> {
    const c = this.deps.config;
    const base = baseFlowFields('settings', type, requester, this.deps.clock, c.selfservice.flows.settings.lifespan, (id) => `${c.serve.public.base_url}${ROUTE_SETTINGS_SUBMIT.slice(1)}?flow=${id}`, returnTo);
    const flow: SettingsFlow = { ...base, kind: 'settings', state: 'show_form', identityId: identity.id, ui: { ...base.ui, messages: flowMessages } };
    return this.render(flow, identity);
  }

  /** @throws OryError 401, 403 `security_identity_mismatch`, 403 CSRF, 404, 410 */
  async get(ctx: Ctx, id: string, requester: FlowRequester): Promise<{ flow: SettingsFlow; identity: Identity }> {
    const session = await this.authenticate(ctx, requester);
    const flow = await this.load(ctx, id);
    if (flow.identityId !== session.identity.id) {
      throw forbidden('Access privileges are missing, invalid, or not sufficient to access this endpoint.').withId('security_identity_mismatch');
    }
    assertFlowCookie(flow, requester, Boolean(flow.internalContext.recovery));
    if (isExpired(flow, this.deps.clock)) throw new OryError(410).withReason('The settings flow has expired. Initialize a new settings flow.');
    return { flow: withFreshCsrf(flow), identity: session.identity };
  }

  /** @throws OryError 400 missing flow / identity mismatch, 401, 403 CSRF / refresh required, 404 */
  async submit(ctx: Ctx, id: string | undefined, rawBody: unknown, requester: FlowRequester): Promise<SettingsSubmitResult> {
    if (!id) throw badRequest('The flow query parameter is missing or malformed.');
    const session = await this.authenticate(ctx, requester);
    const flow = await this.load(ctx, id);
    if (flow.identityId !== session.identity.id) {
      throw badRequest('The request was made for another identity and has been blocked for security reasons.').withId('security_identity_mismatch');
    }
    const now = this.deps.clock.now();
    if (isExpired(flow, this.deps.clock)) {
      const replacement = await this.create(flow.type, requester, session.identity, flow.returnTo, [messages.settingsExpired((now.getTime() - flow.expiresAt.getTime()) / 60000, flow.expiresAt)]);
      await this.deps.flowStore.create(ctx, replacement);
      return { kind: 'expired', flow: replacement, error: flowExpiredError('settings', flow.expiresAt, now, replacement.id) };
    }
    const body = unflattenBody(typeof rawBody === 'object' && rawBody !== null && !Array.isArray(rawBody) ? (rawBody as Record<string, unknown>) : {});
    assertCsrf(flow, requester, body.csrf_token);
    const flowContext: SettingsContext = { requester, session, requirePrivileged: () => this.requirePrivileged(session, flow) };
    // The method a failure belongs to: the one named, else the strategy that was deciding (buttons sent without `method`).
    let active = typeof body.method === 'string' ? body.method : flow.active;
    try {
      assertApiRequest(flow, requester);
      for (const strategy of this.deps.settingsStrategies) {
        if (typeof body.method !== 'string') active = strategy.settingsMethod;
        const outcome = await strategy.settings(ctx, flow, body, flowContext);
        if (outcome.kind === 'not_responsible') continue;
        if (outcome.kind === 'flow_updated') {
          const shown = await saveFlowUpdate(ctx, this.deps, flow, withFreshCsrf({ ...outcome.flow, active: strategy.settingsMethod, updatedAt: this.deps.clock.now() }));
          return { kind: 'updated', flow: shown, identity: session.identity, session };
        }
        const saved = markSettingsSaved({ ...flow, active: strategy.settingsMethod }, this.deps.clock.now());
        const done = await this.render({ ...saved, ui: { ...saved.ui, messages: [messages.settingsSaved()] } }, outcome.identity);
        await this.deps.transactions.withTransaction(ctx, async (ctx) => {
          // The strategy changed the identity this request loaded; if another request changed it since
          // (a backup code used, an admin patch), saving would undo that change: refuse instead.
          const stored = await this.deps.privilegedIdentityPool.getForUpdate(ctx, session.identity.id);
          if (!stored || !sameIdentity(stored, session.identity)) throw identityChanged();
          await this.deps.privilegedIdentityPool.update(ctx, outcome.identity);
          await this.deps.verificationService.sendForIdentity(ctx, outcome.identity);
          await this.deps.flowStore.update(ctx, done);
        });
        const returnTo = completedReturnUrl(this.deps.config.selfservice.flows.settings.after, strategy.settingsMethod, done.returnTo, flowUiUrl(this.deps.config, done));
        return { kind: 'completed', flow: done, identity: outcome.identity, session, returnTo };
      }
      active = typeof body.method === 'string' ? body.method : flow.active;
      throw new FlowValidationError([messages.noSettingsStrategy()]);
    } catch (error) {
      if (error instanceof OryError && error.id === 'session_refresh_required') throw error;
      const updated = await saveFlowError(ctx, this.deps, flow, error, flattenBody(body), (current) => ({ ...current, active }));
      return { kind: 'invalid', flow: updated, identity: session.identity };
    }
  }

  /**
   * Re-populates every method's nodes for `identity`, keeping the CSRF node and flow messages; a method
   * that returns a `SettingsPopulation` replaces its slot of the internal context.
   */
  private async render(flow: SettingsFlow, identity: Identity): Promise<SettingsFlow> {
    const nodes = [flow.ui.nodes[0]];
    const internalContext: Record<string, unknown> = { ...flow.internalContext };
    for (const strategy of this.deps.settingsStrategies) {
      const population = await strategy.populateSettings(flow, identity);
      if (Array.isArray(population)) {
        nodes.push(...population);
        continue;
      }
      const { nodes: added, internalContext: kept } = population as SettingsPopulation;
      nodes.push(...added);
      if (kept === undefined) delete internalContext[strategy.settingsMethod];
      else internalContext[strategy.settingsMethod] = kept;
    }
    return withFreshCsrf({ ...flow, internalContext, ui: { ...flow.ui, nodes } });
  }

  private requirePrivileged(session: ActiveSession, flow: SettingsFlow): void {
    const maxAge = this.deps.config.selfservice.flows.settings.privileged_session_max_age;
    if (session.session.authenticatedAt.getTime() + maxAge > this.deps.clock.now().getTime()) return;
    const base = this.deps.config.serve.public.base_url;
    const returnTo = `${base}self-service/settings?flow=${flow.id}`;
    const redirect = `${base}self-service/login/browser?refresh=true&return_to=${encodeURIComponent(returnTo)}`;
    throw forbidden('The login session is too old and thus not allowed to update these fields. Please re-authenticate.')
      .withId('session_refresh_required')
      .withExtra({ redirect_browser_to: redirect })
      .withDetails({ redirect_browser_to: redirect });
  }

  private async authenticate(ctx: Ctx, requester: FlowRequester): Promise<ActiveSession> {
    const session = await this.deps.sessionManager.resolve(ctx, requester.sessionToken);
    if (!session) throw sessionInactive();
    if (this.deps.config.selfservice.flows.settings.required_aal === 'highest_available' && !aalSatisfies(session.session.aal, highestAvailableAal(session.identity))) {
      throw sessionAal2Required(`${this.deps.config.serve.public.base_url}self-service/login/browser?aal=aal2`);
    }
    return session;
  }

  private async load(ctx: Ctx, id: string): Promise<SettingsFlow> {
    const flow = isUuid(id) ? await this.deps.flowStore.get(ctx, 'settings', id) : undefined;
    if (!flow) throw notFound('Unable to locate the resource');
    return flow;
  }
}

/** 409: the identity changed between loading the session and saving the settings. */
function identityChanged(): OryError {
  return conflict('The identity was changed by another request while these settings were saved; nothing was saved. Please submit the settings again.');
}

/** True when both are the same stored state (key order ignored; dates compared by instant). */
function sameIdentity(a: Identity, b: Identity): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) : v,
  );
}
