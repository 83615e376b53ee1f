import type { RealmConfigProvider } from '../../../config';
import { OryError, badRequest, notFound } from '../../../http/errors';
import { type ClockProvider, type TransactionRunnerProvider, isUuid, type Ctx } from '../../../x';
import {
  type AddressChallengeStrategiesProvider,
  type AddressChallengeStrategy,
  type ChallengePurpose,
  type FlowRequester,
  type FlowStoreProvider,
  type FlowType,
  FlowValidationError,
  type RecoveryFlow,
  type RedeemedChallenge,
  type UiText,
  type VerificationFlow,
  assertApiRequest,
  assertCsrf,
  assertFlowCookie,
  baseFlowFields,
  canFetchFlow,
  flattenBody,
  flowExpiredError,
  isEmailAddress,
  isExpired,
  markCodeSent,
  messages,
  passChallenge,
  saveFlowError,
  unflattenBody,
  validateReturnTo,
  withFreshCsrf,
} from '../../flow';

/** Wrong secrets a flow tolerates before it is invalidated. */
export const MAX_FAILED_ATTEMPTS = 5;

export type ChallengeFlowDeps = RealmConfigProvider & ClockProvider & FlowStoreProvider & AddressChallengeStrategiesProvider & TransactionRunnerProvider;

/** The outcome of a recovery or verification submission. */
export type ChallengeSubmitResult<F, P> =
  | { readonly kind: 'updated'; readonly flow: F }
  | { readonly kind: 'invalid'; readonly flow: F }
  | { readonly kind: 'expired'; readonly flow: F; readonly error: OryError }
  /** A link that did not pass, opened in a browser that cannot fetch its flow: a new flow in that browser carries the reason. */
  | { readonly kind: 'retried'; readonly flow: F }
  | { readonly kind: 'passed'; readonly flow: F; readonly passed: P };

/** Texts that differ between recovery and verification. */
export interface ChallengeTexts {
  sent(method: 'code' | 'link'): UiText;
  wrongSecret(method: 'code' | 'link'): UiText;
  failed(): UiText;
  alreadyPassed(): UiText;
  expired(minutes: number, at: Date): UiText;
  noStrategy(): UiText;
  /** Messages on the flow once the challenge is passed. */
  passed(): UiText[];
}

/**
 * Recovery and verification share one shape (Kratos §9): ask for an address → mail a code or link
 * (`sent_email`) → redeem it (`passed_challenge`). Wrong secrets are counted per flow; after
 * `MAX_FAILED_ATTEMPTS` the flow is dead and must be started again.
 */
export abstract class ChallengeFlowService<F extends RecoveryFlow | VerificationFlow, P> {
  protected abstract readonly purpose: ChallengePurpose;
  protected abstract readonly texts: ChallengeTexts;

  constructor(protected readonly base: ChallengeFlowDeps) {}

  /** @throws OryError 400 when the flow is disabled */
  protected abstract assertEnabled(): void;
  /** `code` or `link`, from `selfservice.flows.<purpose>.use`. */
  protected abstract methodId(): 'code' | 'link';
  /** What happens once a secret is redeemed (inside the transaction). */
  protected abstract onPassed(ctx: Ctx, flow: F, redeemed: RedeemedChallenge, requester: FlowRequester): Promise<P>;

  /** The method of an existing flow: the one it was started with (admin links use `link` even when `use` is `code`). */
  protected flowMethod(flow?: F): 'code' | 'link' {
    return flow?.active === 'code' || flow?.active === 'link' ? flow.active : this.methodId();
  }

  protected strategy(flow?: F): AddressChallengeStrategy {
    const s = this.base.addressChallengeStrategy(this.flowMethod(flow));
    if (!s) throw new OryError(404).withReason('This endpoint was disabled by system administrator. Please check your url or contact the system administrator to enable it.');
    return s;
  }

  /** A new flow in `choose_method`. */
  async init(ctx: Ctx, type: FlowType, requester: FlowRequester): Promise<F> {
    this.assertEnabled();
    const c = this.base.config;
    const returnTo = validateReturnTo(requester.query.return_to, c);
    const flow = this.newFlow(type, requester, returnTo, c.selfservice.flows[this.purpose].lifespan);
    await this.base.flowStore.create(ctx, flow);
    return flow;
  }

  protected newFlow(type: FlowType, requester: FlowRequester, returnTo: string | undefined, lifespanMs: number): F {
    const c = this.base.config;
    const fields = baseFlowFields(this.purpose, type, requester, this.base.clock, lifespanMs, (id) => `${c.serve.public.base_url}self-service/${this.purpose}?flow=${id}`, returnTo);
    const flow = { ...fields, kind: this.purpose, state: 'choose_method' } as unknown as F;
    return { ...flow, ui: { ...flow.ui, nodes: [...flow.ui.nodes, ...this.strategy().nodes(flow, 'choose_method')] } };
  }

  /** @throws OryError 404, 403 CSRF (browser), 410 expired */
  async get(ctx: Ctx, id: string, requester: FlowRequester): Promise<F> {
    const flow = await this.load(ctx, id);
    assertFlowCookie(flow, requester, Boolean(flow.internalContext.admin_created));
    if (isExpired(flow, this.base.clock)) {
      throw new OryError(410).withReason(`The ${this.purpose} flow has expired. Redirect the user to the ${this.purpose} flow init endpoint to initialize a new flow.`);
    }
    return withFreshCsrf(flow);
  }

  /**
   * Body `{method, email}` mails a secret; `{method, code}` / `{method, token}` (or the same in the query of
   * a GET, for links) redeems it. A secret that does not pass is counted on its flow as always; when the
   * browser that sent it cannot fetch that flow (a mail app's fresh browser), the result is `retried`: a
   * new flow in that browser with the same message (Kratos `retry…FlowWithMessage`), not the original.
   */
  async submit(ctx: Ctx, id: string | undefined, rawBody: unknown, requester: FlowRequester): Promise<ChallengeSubmitResult<F, P>> {
    const result = await this.submitToFlow(ctx, id, rawBody, requester);
    if (result.kind !== 'invalid' && result.kind !== 'updated') return result;
    const body = typeof rawBody === 'object' && rawBody !== null && !Array.isArray(rawBody) ? (rawBody as Record<string, unknown>) : {};
    const carriesSecret = [body.code, body.token].some((v) => typeof v === 'string' && v !== '');
    if (!carriesSecret || canFetchFlow(result.flow, requester, Boolean(result.flow.internalContext.admin_created))) return result;
    return { kind: 'retried', flow: await this.retryInThisBrowser(ctx, result.flow, requester) };
  }

  /** A new flow for the requesting browser (its CSRF token), carrying the messages `failed` ended with. */
  private async retryInThisBrowser(ctx: Ctx, failed: F, requester: FlowRequester): Promise<F> {
    const created = this.newFlow('browser', requester, failed.returnTo, this.base.config.selfservice.flows[this.purpose].lifespan);
    const reason = failed.ui.messages.length > 0 ? failed.ui.messages : [this.texts.wrongSecret(this.flowMethod(failed))];
    const flow = { ...created, ui: { ...created.ui, messages: reason } } as F;
    await this.base.flowStore.create(ctx, flow);
    return flow;
  }

  private async submitToFlow(ctx: Ctx, id: string | undefined, rawBody: unknown, requester: FlowRequester): Promise<ChallengeSubmitResult<F, P>> {
    this.assertEnabled();
    if (!id) throw badRequest('The flow query parameter is missing or malformed.');
    const flow = await this.load(ctx, id);
    const now = this.base.clock.now();
    if (isExpired(flow, this.base.clock)) {
      const replacement = this.newFlow(flow.type, requester, flow.returnTo, this.base.config.selfservice.flows[this.purpose].lifespan);
      const minutes = (now.getTime() - flow.expiresAt.getTime()) / 60000;
      const withMessage = { ...replacement, ui: { ...replacement.ui, messages: [this.texts.expired(minutes, flow.expiresAt)] } } as F;
      await this.base.flowStore.create(ctx, withMessage);
      return { kind: 'expired', flow: withMessage, error: flowExpiredError(this.purpose, flow.expiresAt, now, replacement.id) };
    }
    const body = unflattenBody(typeof rawBody === 'object' && rawBody !== null && !Array.isArray(rawBody) ? (rawBody as Record<string, unknown>) : {});
    const secret = typeof body.code === 'string' && body.code !== '' ? body.code : typeof body.token === 'string' && body.token !== '' ? body.token : undefined;
    // Links are opened by GET without a CSRF token; the secret itself proves the request.
    if (secret === undefined && !flow.internalContext.admin_created) assertCsrf(flow, requester, body.csrf_token);
    try {
      // The flow is re-read locked, so the state and wrong-try checks, the redemption and the counter
      // update are one step: parallel submissions queue, and a flow checks at most MAX_FAILED_ATTEMPTS secrets.
      return await this.base.transactions.withTransaction(ctx, async (ctx) => {
        const current = await this.lock(ctx, flow.id);
        assertApiRequest(current, requester);
        const method = typeof body.method === 'string' ? body.method : secret !== undefined ? this.flowMethod(current) : undefined;
        if (method !== this.flowMethod(current)) throw new FlowValidationError([this.texts.noStrategy()]);
        // A used link is just an unknown token to Kratos (4060004/4070001); a code on a passed flow is a retry.
        if (current.state === 'passed_challenge') throw new FlowValidationError([secret !== undefined && method === 'link' ? this.texts.wrongSecret('link') : this.texts.alreadyPassed()]);
        if (Number(current.internalContext.failed_attempts ?? 0) >= MAX_FAILED_ATTEMPTS) throw new FlowValidationError([this.texts.failed()]);
        if (secret !== undefined) return await this.redeem(ctx, current, secret, requester);
        const email = typeof body.email === 'string' ? body.email.trim() : '';
        if (!email) throw new FlowValidationError([], { email: [{ id: 4000002, text: 'Property email is missing.', type: 'error', context: { property: 'email' } }] });
        // Kratos validates the body against `format: email`; the message goes on the email node.
        if (!isEmailAddress(email)) throw new FlowValidationError([], { email: [messages.validationGeneric(`${JSON.stringify(email)} is not valid "email"`)] });
        return await this.send(ctx, current, email);
      });
    } catch (error) {
      // The failed attempt wrote nothing; its messages go onto the flow as stored now (never a stale copy).
      const updated = await saveFlowError(ctx, this.base, flow, error, flattenBody(body), (current) => ({ ...current, active: this.flowMethod(current) }));
      return { kind: 'invalid', flow: updated };
    }
  }

  private async send(ctx: Ctx, flow: F, email: string): Promise<ChallengeSubmitResult<F, P>> {
    const strategy = this.strategy(flow);
    const sent = markCodeSent(flow, this.base.clock.now());
    const updated = {
      ...sent,
      active: strategy.id,
      ui: { ...sent.ui, nodes: [sent.ui.nodes[0], ...strategy.nodes(sent, 'sent_email', email)], messages: [this.texts.sent(strategy.id)] },
    } as F;
    await strategy.send(ctx, this.purpose, updated, email);
    await this.base.flowStore.update(ctx, updated);
    return { kind: 'updated', flow: withFreshCsrf(updated) };
  }

  /** Redeems `secret` on `flow`, which the caller read locked in `tx`; a wrong secret is counted in `tx`. */
  private async redeem(ctx: Ctx, flow: F, secret: string, requester: FlowRequester): Promise<ChallengeSubmitResult<F, P>> {
    const strategy = this.strategy(flow);
    const redeemed = flow.state === 'sent_email' ? await strategy.redeem(ctx, this.purpose, flow, secret) : undefined;
    if (!redeemed) {
      const failed = Number(flow.internalContext.failed_attempts ?? 0) + 1;
      const message = failed >= MAX_FAILED_ATTEMPTS ? this.texts.failed() : this.texts.wrongSecret(strategy.id);
      const updated = { ...flow, internalContext: { ...flow.internalContext, failed_attempts: failed }, ui: { ...flow.ui, messages: [message] }, updatedAt: this.base.clock.now() } as F;
      await this.base.flowStore.update(ctx, updated);
      return { kind: failed >= MAX_FAILED_ATTEMPTS ? ('invalid' as const) : ('updated' as const), flow: withFreshCsrf(updated) };
    }
    const passed = passChallenge(flow, this.base.clock.now());
    const done = { ...passed, ui: { ...passed.ui, nodes: [passed.ui.nodes[0]], messages: this.texts.passed() } } as F;
    const result = await this.onPassed(ctx, done, redeemed, requester);
    await this.base.flowStore.update(ctx, done);
    return { kind: 'passed' as const, flow: done, passed: result };
  }

  /** The flow read with a row lock held until `tx` ends. @throws OryError 404 */
  private async lock(ctx: Ctx, id: string): Promise<F> {
    const flow = (await this.base.flowStore.getForUpdate(ctx, this.purpose, id)) as F | undefined;
    if (!flow) throw notFound('Unable to locate the resource');
    return flow;
  }

  protected async load(ctx: Ctx, id: string): Promise<F> {
    const flow = isUuid(id) ? ((await this.base.flowStore.get(ctx, this.purpose, id)) as F | undefined) : undefined;
    if (!flow) throw notFound('Unable to locate the resource');
    return flow;
  }
}
