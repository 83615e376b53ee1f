import { createHmac } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import type { RealmConfigProvider, SecretsProvider } from '../../../config';
import type { CourierProvider, TemplateModel, TemplateType } from '../../../courier';
import {
  type AddressVia,
  type Identity,
  type IdentityPoolProvider,
  type IdentitySchemasProvider,
  type TraitsExtensions,
  TraitsValidationError,
  newIdentity,
  normalizeIdentifier,
  toWire as identityToWire,
} from '../../../identity';
import { notFound } from '../../../http/errors';
import { type ClockProvider, type LoggerProvider, type TransactionRunnerProvider, constantTimeEqual, newId, type Ctx } from '../../../x';
import {
  type FlowStoreProvider,
  FlowValidationError,
  type LoginFlow,
  type RegistrationFlow,
  type TokenKind,
  type TokenStoreProvider,
  type UiInputAttributes,
  type UiNode,
  type UiText,
  inputNode,
  messages,
  nodeName,
  traitNodes,
} from '../../flow';
import type { LoginContext, LoginOutcome, LoginStrategy } from '../../flows/login/login-strategy';
import type { RegistrationContext, RegistrationOutcome, RegistrationStrategy } from '../../flows/registration/registration-strategy';
import { eightDigits } from '../code/email-challenge';
import { traitViolations } from '../profile/profile-strategy';
import { type CodeAddress, codeAddresses } from './code-addresses';
import loginSchema from './schemas/login.schema.json';
import registrationSchema from './schemas/registration.schema.json';

export type CodeLoginStrategyDeps = RealmConfigProvider &
  ClockProvider &
  LoggerProvider &
  SecretsProvider &
  IdentitySchemasProvider &
  IdentityPoolProvider &
  CourierProvider &
  TokenStoreProvider &
  FlowStoreProvider &
  TransactionRunnerProvider;

/** Wrong codes a flow accepts; the next submission finds the flow dead. */
export const MAX_CODE_ATTEMPTS = 5;

/**
 * The method's state lives in `internalContext.code` (never on the wire); the flow services drop it when
 * a flow completes with this method, which makes a registration code single use.
 */
const STATE = 'code';

interface LoginCodeState {
  readonly attempts: number;
}

/** A registration waiting for its code: the validated traits and the HMAC of the code mailed. */
interface PendingRegistration {
  readonly schemaId: string;
  readonly traits: Readonly<Record<string, unknown>>;
  readonly address: string;
  readonly via: AddressVia;
  readonly hash: string;
  /** ISO instant (the flow is stored as JSON). */
  readonly expiresAt: string;
}

interface RegistrationCodeState {
  readonly attempts: number;
  readonly pending?: PendingRegistration;
}

const ajv = new Ajv({ allErrors: false, strict: false });

/**
 * The `code` method for passwordless login and registration (Kratos `passwordless_enabled`). Step one
 * sends an 8-digit code, and a link carrying the same code, by email (or SMS for traits marked
 * `"via": "sms"`); step two redeems it. Codes are stored as HMAC-SHA256 (keyed with `secrets.default`,
 * bound to the flow), expire with the flow (or `methods.code.config.lifespan`, whichever comes first),
 * work once, and a flow accepts {@link MAX_CODE_ATTEMPTS} wrong ones.
 *
 * Login is enumeration-safe: an unknown address gets the same flow back and no mail. Login codes live in
 * the `TokenStore` (single use by `markUsed`). A registration code has no identity to belong to yet
 * (token rows reference identities), so its HMAC waits with the traits in the flow's internal context,
 * which the registration service drops once the flow completed; the identity it created is unique too.
 *
 * Concurrency: every step that reads or writes the method's state (attempt counter, pending registration)
 * re-reads the flow locked (`FlowStore.getForUpdate`) and stores the result in that transaction
 * (`flow_updated` with `stored`), so parallel wrong codes are all counted and never more than
 * {@link MAX_CODE_ATTEMPTS} are checked.
 */
export class CodeLoginStrategy implements LoginStrategy, RegistrationStrategy {
  readonly id = 'code' as const;
  private readonly validateLogin: ValidateFunction = ajv.compile(loginSchema);
  private readonly validateRegistration: ValidateFunction = ajv.compile(registrationSchema);

  constructor(private readonly deps: CodeLoginStrategyDeps) {}

  // ---- login ----

  /**
   * The `identifier` input (shared with the password method, which renders it first when enabled) and
   * the "Sign in with code" button; refresh flows pin the identifier to the session identity.
   */
  async populateLogin(flow: LoginFlow, flowContext: LoginContext): Promise<UiNode[]> {
    if (flow.requestedAal === 'aal2' && !flow.refresh) return [];
    const passwordRendersIdentifier = this.deps.config.selfservice.methods.password.enabled;
    if (flow.refresh) {
      const address = flowContext.session ? this.addressesOf(flowContext.session.identity)[0] : undefined;
      if (!flowContext.session || !address) return [];
      const shared = passwordRendersIdentifier && flowContext.session.identity.credentials.password !== undefined;
      return [...(shared ? [] : [inputNode('default', 'identifier', 'hidden', { value: address.value, required: true })]), loginButton()];
    }
    return [...(passwordRendersIdentifier ? [] : [inputNode('default', 'identifier', 'text', { value: '', required: true, label: messages.labelId() })]), loginButton()];
  }

  /** `{method: 'code', identifier}` sends a code; `{method: 'code', code}` (also the link's query) signs in. */
  async login(ctx: Ctx, flow: LoginFlow, body: Readonly<Record<string, unknown>>, flowContext: LoginContext): Promise<LoginOutcome> {
    if (body.method !== this.id) return { kind: 'not_responsible' };
    if (!this.validateLogin(body)) throw new FlowValidationError([messages.validationGeneric(describeAjvError(this.validateLogin))]);
    const code = text(body.code);
    if (code) return this.redeemLogin(ctx, flow, code, flowContext);
    const identifier = text(body.identifier);
    if (!identifier) throw new FlowValidationError([], { identifier: [messages.validationRequired('identifier')] });
    return this.sendLoginCode(ctx, flow, identifier, flowContext);
  }

  private async sendLoginCode(ctx: Ctx, flow: LoginFlow, identifier: string, flowContext: LoginContext): Promise<LoginOutcome> {
    const address = normalizeIdentifier(identifier);
    const found = await this.findLoginTarget(ctx, address);
    // Refreshing a session proves the same identity again; anyone else is treated as unknown.
    const target = found && (!flow.refresh || !flowContext.session || flowContext.session.identity.id === found.identity.id) ? found : undefined;
    const now = this.deps.clock.now();
    return this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const current = await this.lockFlow(ctx, 'login', flow.id);
      assertAttemptsLeft(current.internalContext[STATE] as LoginCodeState | undefined);
      // A new code replaces the ones sent before on this flow.
      for (const old of await this.deps.tokenStore.findUnused(ctx, 'login_code', flow.id)) await this.deps.tokenStore.markUsed(ctx, old.id, now);
      // Unknown addresses get the same answer and no mail (enumeration safety).
      if (target) await this.sendLoginMail(ctx, current, target, address, now);
      const sent: LoginFlow = {
        ...current,
        active: this.id,
        updatedAt: now,
        ui: {
          ...current.ui,
          messages: [messages.loginCodeSent()],
          nodes: [...csrfNodes(current.ui.nodes), inputNode('default', 'identifier', 'hidden', { value: identifier, required: true }), codeInput(), loginButton()],
        },
      };
      await this.deps.flowStore.update(ctx, sent);
      return { kind: 'flow_updated', flow: sent, stored: true };
    });
  }

  /** Stores a new login code for `target` and queues its mail (or SMS) in `tx`. */
  private async sendLoginMail(ctx: Ctx, flow: LoginFlow, target: { identity: Identity; via: AddressVia }, address: string, now: Date): Promise<void> {
    const code = eightDigits();
    await this.deps.tokenStore.create(
      ctx,
      { id: newId(), kind: 'login_code', flowId: flow.id, identityId: target.identity.id, address, secretHash: this.hash('login_code', flow.id, code), expiresAt: this.expiry(flow), createdAt: now },
    );
    const model: TemplateModel & { readonly login_url: string } = {
      to: address,
      login_code: code,
      login_url: this.link('login', flow.id, code),
      identity: identityToWire(target.identity, 'public', this.deps.config),
    };
    await this.deliver(ctx, 'login_code_valid', target.via, model);
  }

  /** Checks the code against the flow's unused login codes; the flow is read locked, a wrong code counted in the same transaction. */
  private async redeemLogin(ctx: Ctx, flow: LoginFlow, code: string, flowContext: LoginContext): Promise<LoginOutcome> {
    const now = this.deps.clock.now();
    const candidates = this.hashes('login_code', flow.id, code);
    return this.deps.transactions.withTransaction(ctx, async (ctx): Promise<LoginOutcome> => {
      const current = await this.lockFlow(ctx, 'login', flow.id);
      const state = (current.internalContext[STATE] as LoginCodeState | undefined) ?? { attempts: 0 };
      assertAttemptsLeft(state);
      const tokens = await this.deps.tokenStore.findUnused(ctx, 'login_code', flow.id);
      const hit = tokens.find((t) => t.expiresAt.getTime() > now.getTime() && candidates.some((h) => constantTimeEqual(t.secretHash, h)));
      const identity = hit && (await this.deps.tokenStore.markUsed(ctx, hit.id, now)) ? await this.deps.identityPool.get(ctx, hit.identityId) : undefined;
      if (identity && !(current.refresh && flowContext.session && flowContext.session.identity.id !== identity.id)) return { kind: 'authenticated', identity, method: 'code', aal: 'aal1' };
      const attempts = state.attempts + 1;
      // A dead flow keeps no usable code.
      if (attempts >= MAX_CODE_ATTEMPTS) for (const t of tokens) await this.deps.tokenStore.markUsed(ctx, t.id, now);
      const updated = wrongCode(current, STATE, { ...state, attempts }, messages.loginCodeInvalid(), now);
      await this.deps.flowStore.update(ctx, updated);
      return { kind: 'flow_updated', flow: updated, stored: true };
    });
  }

  /**
   * The identity a login code goes to, and how: by its `code` credential, else (identities created
   * before the schema marked the trait, or by admin/password registration) by a verifiable address the
   * schema marks as a code identifier.
   */
  private async findLoginTarget(ctx: Ctx, address: string): Promise<{ identity: Identity; via: AddressVia } | undefined> {
    const pool = this.deps.identityPool;
    const identity =
      (await pool.findByCredentialsIdentifier(ctx, 'code', address)) ?? (await pool.findByAddress(ctx, 'verifiable', 'email', address)) ?? (await pool.findByAddress(ctx, 'verifiable', 'sms', address));
    const match = identity && this.addressesOf(identity).find((a) => a.value === address);
    return identity && match ? { identity, via: match.via } : undefined;
  }

  // ---- registration ----

  async populateRegistration(): Promise<UiNode[]> {
    const schema = this.deps.identitySchemas.find(this.deps.config.identity.default_schema_id);
    return [...traitNodes(schema?.schema ?? {}, 'code'), registrationButton()];
  }

  /** `{method: 'code', traits}` validates the traits and sends a code; `{method: 'code', code}` creates the identity. */
  async register(ctx: Ctx, flow: RegistrationFlow, body: Readonly<Record<string, unknown>>, _ctx: RegistrationContext): Promise<RegistrationOutcome> {
    if (body.method !== this.id) return { kind: 'not_responsible' };
    if (!this.validateRegistration(body)) throw new FlowValidationError([messages.validationGeneric(describeAjvError(this.validateRegistration))]);
    const code = text(body.code);
    if (code) return this.redeemRegistration(ctx, flow, code);
    return this.sendRegistrationCode(ctx, flow, (body.traits ?? {}) as Record<string, unknown>);
  }

  private async sendRegistrationCode(ctx: Ctx, flow: RegistrationFlow, traits: Record<string, unknown>): Promise<RegistrationOutcome> {
    const schemaId = this.deps.config.identity.default_schema_id;
    const ext = this.validate(schemaId, traits);
    const address = codeAddresses(this.deps.identitySchemas.find(schemaId)?.schema ?? {}, traits)[0];
    if (!address || (ext.identifiers.get('code') ?? []).length === 0) throw new FlowValidationError([messages.identifierMissing()]);
    const code = eightDigits();
    const now = this.deps.clock.now();
    const pending: PendingRegistration = { schemaId, traits, address: address.value, via: address.via, hash: this.hash('registration_code', flow.id, code), expiresAt: this.expiry(flow).toISOString() };
    const model: TemplateModel & { readonly registration_url: string } = { to: address.value, registration_code: code, registration_url: this.link('registration', flow.id, code) };
    const hidden = traitNodes(this.deps.identitySchemas.find(schemaId)?.schema ?? {}, 'code', traits)
      .map((n) => ({ name: nodeName(n) as string, value: (n.attributes as UiInputAttributes).value }))
      .filter((n) => n.value !== undefined)
      .map((n) => inputNode('code', n.name, 'hidden', { value: n.value }));
    return this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const current = await this.lockFlow(ctx, 'registration', flow.id);
      const state = (current.internalContext[STATE] as RegistrationCodeState | undefined) ?? { attempts: 0 };
      assertAttemptsLeft(state);
      await this.deliver(ctx, 'registration_code_valid', address.via, model);
      const sent: RegistrationFlow = {
        ...current,
        active: this.id,
        updatedAt: now,
        internalContext: { ...current.internalContext, [STATE]: { ...state, pending } },
        ui: { ...current.ui, messages: [messages.registrationCodeSent()], nodes: [...csrfNodes(current.ui.nodes), ...hidden, codeInput(), registrationButton()] },
      };
      await this.deps.flowStore.update(ctx, sent);
      return { kind: 'flow_updated', flow: sent, stored: true };
    });
  }

  /** Checks the code against the pending registration of the flow read locked; a wrong code is counted in the same transaction. */
  private async redeemRegistration(ctx: Ctx, flow: RegistrationFlow, code: string): Promise<RegistrationOutcome> {
    const now = this.deps.clock.now();
    const candidates = this.hashes('registration_code', flow.id, code);
    const checked = await this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const current = await this.lockFlow(ctx, 'registration', flow.id);
      const state = (current.internalContext[STATE] as RegistrationCodeState | undefined) ?? { attempts: 0 };
      assertAttemptsLeft(state);
      const pending = state.pending;
      if (pending !== undefined && Date.parse(pending.expiresAt) > now.getTime() && candidates.some((h) => constantTimeEqual(pending.hash, h))) return { pending };
      const attempts = state.attempts + 1;
      const next: RegistrationCodeState = attempts >= MAX_CODE_ATTEMPTS ? { attempts } : { ...state, attempts };
      const updated = wrongCode(current, STATE, next, messages.registrationCodeInvalid(), now);
      await this.deps.flowStore.update(ctx, updated);
      return { updated };
    });
    if (checked.updated) return { kind: 'flow_updated', flow: checked.updated, stored: true };
    const pending = checked.pending as PendingRegistration;
    const ext = this.validate(pending.schemaId, pending.traits);
    const addresses = codeAddresses(this.deps.identitySchemas.find(pending.schemaId)?.schema ?? {}, pending.traits);
    const identity = newIdentity({
      schemaId: pending.schemaId,
      traits: pending.traits,
      ext,
      credentials: [{ type: 'code', config: { addresses: addresses.map((a) => ({ channel: a.via, address: a.value })) } }],
      now,
    });
    // Receiving the code proved control of the address it went to.
    const verified: Identity = {
      ...identity,
      verifiableAddresses: identity.verifiableAddresses.map((a) =>
        a.value === pending.address && a.via === pending.via ? { ...a, verified: true, status: 'completed', verifiedAt: now, updatedAt: now } : a,
      ),
    };
    return { kind: 'registered', identity: verified, method: 'code', aal: 'aal1' };
  }

  private validate(schemaId: string, traits: unknown): TraitsExtensions {
    try {
      return this.deps.identitySchemas.validateTraits(schemaId, traits);
    } catch (e) {
      if (e instanceof TraitsValidationError) throw new FlowValidationError([], traitViolations(e));
      throw e;
    }
  }

  // ---- shared ----

  /** The flow as stored now, locked until `tx` ends. @throws OryError 404 when it is gone */
  private async lockFlow<K extends 'login' | 'registration'>(ctx: Ctx, kind: K, id: string): Promise<K extends 'login' ? LoginFlow : RegistrationFlow> {
    const flow = await this.deps.flowStore.getForUpdate(ctx, kind, id);
    if (!flow) throw notFound('Unable to locate the resource');
    return flow as K extends 'login' ? LoginFlow : RegistrationFlow;
  }

  private addressesOf(identity: Identity): CodeAddress[] {
    return codeAddresses(this.deps.identitySchemas.find(identity.schemaId)?.schema ?? {}, identity.traits);
  }

  /** HMAC-SHA256 of the code, bound to its purpose and flow, with the newest `secrets.default`. */
  private hash(kind: TokenKind, flowId: string, code: string): string {
    return hmac(this.deps.secrets.default[0], kind, flowId, code);
  }

  /** The hashes a submitted code may match: one per `secrets.default` entry, so rotation keeps codes working. */
  private hashes(kind: TokenKind, flowId: string, code: string): string[] {
    return this.deps.secrets.default.map((secret) => hmac(secret, kind, flowId, code.trim()));
  }

  private expiry(flow: LoginFlow | RegistrationFlow): Date {
    const lifespan = this.deps.config.selfservice.methods.code.config.lifespan;
    return new Date(Math.min(flow.expiresAt.getTime(), this.deps.clock.now().getTime() + lifespan));
  }

  /** `{link base}/self-service/<flow>?flow=<id>&method=code&code=<code>`: opening it submits the code. */
  private link(kind: 'login' | 'registration', flowId: string, code: string): string {
    const base = this.deps.config.selfservice.methods.link.config.base_url ?? this.deps.config.serve.public.base_url;
    const url = new URL(`self-service/${kind}`, base.endsWith('/') ? base : `${base}/`);
    url.searchParams.set('flow', flowId);
    url.searchParams.set('method', 'code');
    url.searchParams.set('code', code);
    return url.toString();
  }

  /** Queues the mail, or the SMS for `sms` addresses (skipped with a warning when SMS is off). */
  private async deliver(ctx: Ctx, type: TemplateType, via: AddressVia, model: TemplateModel): Promise<void> {
    if (via === 'email') {
      await this.deps.courier.queueEmail(ctx, type, model);
      return;
    }
    if (!this.deps.config.courier.sms.enabled) {
      ctx.logger.warn({ template: type }, 'courier.sms.enabled is false: the one-time code SMS is not sent');
      return;
    }
    await this.deps.courier.queueSms(ctx, type, model);
  }
}

/** @throws FlowValidationError (`codeAttemptsExceeded`) once the flow took {@link MAX_CODE_ATTEMPTS} wrong codes */
function assertAttemptsLeft(state: { readonly attempts: number } | undefined): void {
  if ((state?.attempts ?? 0) >= MAX_CODE_ATTEMPTS) throw new FlowValidationError([messages.codeAttemptsExceeded()]);
}

function hmac(secret: string, kind: TokenKind, flowId: string, code: string): string {
  return createHmac('sha256', secret).update(`${kind}\n${flowId}\n${code}`).digest('hex');
}

/** The flow after a wrong code: the attempt counted, the message shown, node messages cleared. */
function wrongCode<F extends LoginFlow | RegistrationFlow>(flow: F, key: string, state: LoginCodeState | RegistrationCodeState, message: UiText, now: Date): F {
  return {
    ...flow,
    active: 'code',
    updatedAt: now,
    internalContext: { ...flow.internalContext, [key]: state },
    ui: { ...flow.ui, messages: [message], nodes: flow.ui.nodes.map((n) => ({ ...n, messages: [] })) },
  };
}

function csrfNodes(nodes: readonly UiNode[]): UiNode[] {
  return nodes.filter((n) => nodeName(n) === 'csrf_token');
}

function codeInput(): UiNode {
  return inputNode('code', 'code', 'text', { required: true, autocomplete: 'one-time-code', pattern: '^[0-9]{8}$', label: messages.labelVerifyCode() });
}

function loginButton(): UiNode {
  return inputNode('code', 'method', 'submit', { value: 'code', label: messages.loginWithCode() });
}

function registrationButton(): UiNode {
  return inputNode('code', 'method', 'submit', { value: 'code', label: messages.registrationWithCode() });
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function describeAjvError(validate: ValidateFunction): string {
  const e = validate.errors?.[0];
  if (!e) return 'The request body is invalid.';
  const path = e.instancePath.replace(/^\//, '').split('/').join('.');
  return `${path ? `${path}: ` : ''}${e.message ?? 'is invalid'}`;
}
