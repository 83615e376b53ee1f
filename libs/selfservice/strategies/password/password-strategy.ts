import Ajv, { type ValidateFunction } from 'ajv';
import type { RealmConfigProvider } from '../../../config';
import {
  type IdentitySchemasProvider,
  type PasswordHasherProvider,
  type PrivilegedIdentityPoolProvider,
  TraitsValidationError,
  newIdentity,
} from '../../../identity';
import type { ClockProvider, LoggerProvider, TransactionRunnerProvider, Ctx } from '../../../x';
import {
  FlowValidationError,
  type LoginFlow,
  type RegistrationFlow,
  type SettingsFlow,
  type UiNode,
  type UiText,
  inputNode,
  messages,
  traitNodes,
} from '../../flow';
import type { LoginContext, LoginOutcome, LoginStrategy } from '../../flows/login/login-strategy';
import type { RegistrationContext, RegistrationOutcome, RegistrationStrategy } from '../../flows/registration/registration-strategy';
import type { SettingsContext, SettingsOutcome, SettingsStrategy } from '../../flows/settings/settings-strategy';
import loginSchema from './schemas/login.schema.json';
import registrationSchema from './schemas/registration.schema.json';
import { passwordPolicyViolation } from './password-policy';
import { traitViolations } from '../profile/profile-strategy';

export type PasswordStrategyDeps = RealmConfigProvider &
  ClockProvider &
  LoggerProvider &
  IdentitySchemasProvider &
  PrivilegedIdentityPoolProvider &
  PasswordHasherProvider &
  TransactionRunnerProvider;

const ajv = new Ajv({ allErrors: false, strict: false });

/**
 * The password method for login and registration (architecture B5 rule 2: one class, several flow
 * interfaces). Unknown identifiers and wrong passwords give the same message (4000006) after the same
 * work: a dummy hash is verified when no identity matches.
 */
export class PasswordStrategy implements LoginStrategy, RegistrationStrategy, SettingsStrategy {
  readonly settingsMethod = 'password';
  readonly id = 'password' as const;
  private readonly validateLogin: ValidateFunction = ajv.compile(loginSchema);
  private readonly validateRegistration: ValidateFunction = ajv.compile(registrationSchema);
  private dummyHash?: Promise<string>;

  constructor(private readonly deps: PasswordStrategyDeps) {}

  async populateLogin(flow: LoginFlow, flowContext: LoginContext): Promise<UiNode[]> {
    if (flow.requestedAal === 'aal2' && !flow.refresh) return [];
    if (flow.refresh && flowContext.session) {
      const password = flowContext.session.identity.credentials.password;
      if (!password) return [];
      return [inputNode('default', 'identifier', 'hidden', { value: password.identifiers[0] ?? '', required: true }), ...this.passwordNodes(messages.loginButton(), 'current-password')];
    }
    return [
      inputNode('default', 'identifier', 'text', { value: '', required: true, label: messages.labelId() }),
      ...this.passwordNodes(messages.loginButton(), 'current-password'),
    ];
  }

  async login(ctx: Ctx, flow: LoginFlow, body: Readonly<Record<string, unknown>>, flowContext: LoginContext): Promise<LoginOutcome> {
    if (body.method !== this.id) return { kind: 'not_responsible' };
    if (!this.validateLogin(body)) throw new FlowValidationError([messages.validationGeneric(describeAjvError(this.validateLogin))]);
    const identifier = String(body.identifier || body.password_identifier || '').trim();
    const password = String(body.password ?? '');
    if (!identifier) throw new FlowValidationError([], { identifier: [messages.validationRequired('identifier')] });
    if (!password) throw new FlowValidationError([], { password: [messages.validationRequired('password')] });

    const identity = await this.deps.privilegedIdentityPool.findByCredentialsIdentifier(ctx, 'password', identifier);
    const hash = identity?.credentials.password?.config.hashed_password;
    if (!identity || typeof hash !== 'string') {
      // Same work as a real check, so response time does not reveal whether the account exists.
      await this.deps.passwordHasher.verify(password, await this.dummy());
      throw new FlowValidationError([messages.invalidCredentials()]);
    }
    if (!(await this.deps.passwordHasher.verify(password, hash))) throw new FlowValidationError([messages.invalidCredentials()]);
    if (flow.refresh && flowContext.session && flowContext.session.identity.id !== identity.id) throw new FlowValidationError([messages.invalidCredentials()]);
    await this.upgradeHash(ctx, identity, password, hash);
    return { kind: 'authenticated', identity, method: 'password', aal: 'aal1' };
  }

  async populateRegistration(): Promise<UiNode[]> {
    const schema = this.deps.identitySchemas.find(this.deps.config.identity.default_schema_id);
    // With passkey sign-up (webauthn passwordless) the traits serve both methods: Kratos moves them to `default`.
    const webauthn = this.deps.config.selfservice.methods.webauthn;
    const traits = traitNodes(schema?.schema ?? {}, webauthn.enabled && webauthn.config.passwordless ? 'default' : 'password');
    const password = this.passwordNodes(messages.registrationButton(), 'new-password');
    // Kratos inserts the password input after the first trait and keeps the submit button last.
    return [...traits.slice(0, 1), password[0], ...traits.slice(1), password[1]];
  }

  async register(ctx: Ctx, flow: RegistrationFlow, body: Readonly<Record<string, unknown>>, _ctx: RegistrationContext): Promise<RegistrationOutcome> {
    if (body.method !== this.id) return { kind: 'not_responsible' };
    if (!this.validateRegistration(body)) throw new FlowValidationError([messages.validationGeneric(describeAjvError(this.validateRegistration))]);
    const schemaId = this.deps.config.identity.default_schema_id;
    const traits = (body.traits ?? {}) as Record<string, unknown>;
    const password = typeof body.password === 'string' ? body.password : '';
    const byNode: Record<string, UiText[]> = {};
    let ext;
    try {
      ext = this.deps.identitySchemas.validateTraits(schemaId, traits);
    } catch (e) {
      if (!(e instanceof TraitsValidationError)) throw e;
      Object.assign(byNode, traitViolations(e));
    }
    if (!password) (byNode.password ??= []).push(messages.validationRequired('password'));
    if (!ext || Object.keys(byNode).length > 0) throw new FlowValidationError([], byNode);
    const identifiers = ext.identifiers.get('password') ?? [];
    if (identifiers.length === 0) throw new FlowValidationError([messages.identifierMissing()]);
    const violation = await passwordPolicyViolation(password, identifiers[0], this.deps.config.selfservice.methods.password.config);
    if (violation) throw new FlowValidationError([], { password: [messages.passwordPolicy(violation)] });
    const hashed = await this.deps.passwordHasher.hash(password);
    const identity = newIdentity({ schemaId, traits, ext, credentials: [{ type: 'password', config: { hashed_password: hashed } }], now: this.deps.clock.now() });
    return { kind: 'registered', identity, method: 'password', aal: 'aal1' };
  }

  async populateSettings(): Promise<UiNode[]> {
    return [
      inputNode('password', 'password', 'password', { required: true, autocomplete: 'new-password', label: messages.labelPassword() }),
      inputNode('password', 'method', 'submit', { value: 'password', label: messages.labelSave() }),
    ];
  }

  /** Sets a new password (privileged session required; same policy as registration). */
  async settings(ctx: Ctx, _flow: SettingsFlow, body: Readonly<Record<string, unknown>>, flowContext: SettingsContext): Promise<SettingsOutcome> {
    if (body.method !== this.settingsMethod) return { kind: 'not_responsible' };
    const password = typeof body.password === 'string' ? body.password : '';
    if (!password) throw new FlowValidationError([], { password: [messages.validationRequired('password')] });
    flowContext.requirePrivileged();
    const identity = flowContext.session.identity;
    const ext = this.deps.identitySchemas.validateTraits(identity.schemaId, identity.traits);
    const identifiers = ext.identifiers.get('password') ?? [];
    if (identifiers.length === 0) throw new FlowValidationError([messages.identifierMissing()]);
    const violation = await passwordPolicyViolation(password, identifiers[0], this.deps.config.selfservice.methods.password.config);
    if (violation) throw new FlowValidationError([], { password: [messages.passwordPolicy(violation)] });
    const now = this.deps.clock.now();
    const previous = identity.credentials.password;
    return {
      kind: 'updated',
      identity: {
        ...identity,
        credentials: {
          ...identity.credentials,
          password: { type: 'password', identifiers, config: { hashed_password: await this.deps.passwordHasher.hash(password) }, version: 0, createdAt: previous?.createdAt ?? now, updatedAt: now },
        },
        updatedAt: now,
      },
    };
  }

  private passwordNodes(button: UiText, autocomplete: 'current-password' | 'new-password'): UiNode[] {
    return [
      inputNode('password', 'password', 'password', { required: true, autocomplete, label: messages.labelPassword() }),
      inputNode('password', 'method', 'submit', { value: 'password', label: button }),
    ];
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.deps.passwordHasher.hash('tessera-dummy-password-for-timing');
    return this.dummyHash;
  }

  /**
   * Re-hashes an imported or outdated hash with the configured algorithm after a successful login. The
   * new hash goes onto the identity as stored now (read locked), and only if its hash is still `hash`.
   */
  private async upgradeHash(ctx: Ctx, identity: import('../../../identity').Identity, password: string, hash: string): Promise<void> {
    try {
      if (!this.deps.passwordHasher.needsRehash(hash)) return;
      const rehashed = await this.deps.passwordHasher.hash(password);
      await this.deps.transactions.withTransaction(ctx, async (ctx) => {
        const fresh = await this.deps.privilegedIdentityPool.getForUpdate(ctx, identity.id);
        const credential = fresh?.credentials.password;
        if (!fresh || !credential || credential.config.hashed_password !== hash) return;
        await this.deps.privilegedIdentityPool.update(
          ctx,
          { ...fresh, credentials: { ...fresh.credentials, password: { ...credential, config: { ...credential.config, hashed_password: rehashed }, updatedAt: this.deps.clock.now() } } },
        );
      });
    } catch (error) {
      ctx.logger.warn({ err: error, identity_id: identity.id }, 'could not upgrade the password hash');
    }
  }
}

function describeAjvError(validate: ValidateFunction): string {
  const e = validate.errors?.[0];
  if (!e) return 'The request body is invalid.';
  const path = e.instancePath.replace(/^\//, '').split('/').join('.');
  return `${path ? `${path}: ` : ''}${e.message ?? 'is invalid'}`;
}
