import type { Config, Secrets } from '../config';
import { resolveSecrets } from '../config';
import { type CourierChannel, CourierTemplates, DefaultCourier, Dispatcher, createCourierChannels } from '../courier';
import { NotReadyError, OryError, type ReadinessCheck } from '../http';
import { IdentityManager, IdentitySchemas, PasswordHasher } from '../identity';
import { Persistence, TypeormErrorStore, TypeormFlowStore, TypeormIdentityPool, TypeormSecretStore, TypeormSessionStore, TypeormTokenStore } from '../persistence';
import { AdminSessionManager, LogoutManager, MySessionsManager, SessionManager, SessionTokenizer } from '../session';
import {
  LoginService,
  type LoginPostHook,
  type OAuth2LoginBridge,
  RecoveryService,
  RegistrationService,
  type RegistrationPostHook,
  SettingsService,
  type LoginStrategy,
  type RegistrationStrategy,
  type SettingsStrategy,
  VerificationService,
} from '../selfservice/flows';
import { RequireVerifiedAddressHook, RevokeActiveSessionsHook, SessionIssuerHook, ShowVerificationUiHook, VerificationSenderHook } from '../selfservice/hooks';
import { CodeStrategy } from '../selfservice/strategies/code';
import { CodeLoginStrategy } from '../selfservice/strategies/code-login';
import { LinkStrategy } from '../selfservice/strategies/link';
import { ProfileStrategy } from '../selfservice/strategies/profile';
import { LookupSecretStrategy } from '../selfservice/strategies/lookup-secret';
import { TotpStrategy } from '../selfservice/strategies/totp';
import { WebAuthnStrategy } from '../selfservice/strategies/webauthn';
import { PasswordStrategy } from '../selfservice/strategies/password';
import { TypeormCourierMessageStore } from '../persistence';
import { JwtSigner, KeyManager } from '../keys';
import { ClientManager } from '../oauth2/client';
import { ChallengeService, ConsentSessionManager } from '../oauth2/consent';
import { EngineClientValidator, LogoutCompletion, OAuth2Provider, OidcInteractionPort, TokenIntrospector } from '../oauth2/provider';
import { AssertionVerifier, TrustGrantManager } from '../oauth2/trust';
import {
  TypeormClientStore,
  TypeormConsentSessionStore,
  TypeormHandledChallengeStore,
  TypeormKeyStore,
  TypeormLoginSessionStore,
  TypeormForcedSubjectStore,
  TypeormLogoutRequestStore,
  TypeormJtiStore,
  TypeormOidcPayloadStore,
  TypeormTrustGrantStore,
} from '../persistence';
import { type Clock, type Logger, createLogger, randomSecret, systemClock } from '../x';

export interface RegistryOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
}

export interface InitOptions {
  /** Apply pending migrations (default: `database.auto_migrate`). */
  readonly migrate?: boolean;
  /**
   * Fail when migrations are still pending (default true). `serve` passes false: it starts anyway,
   * answers 503 on readiness and calls {@link Registry.completeInit} until the schema is current.
   */
  readonly requireSchema?: boolean;
}

/**
 * The composition root (architecture B3): a memoised getter per service. It satisfies every
 * `<Service>Deps` structurally, so apps pass the registry itself. Only apps and tests import it.
 */
export class Registry {
  private readonly memo = new Map<string, unknown>();
  private resolvedSecrets?: Secrets;

  constructor(
    readonly config: Config,
    private readonly options: RegistryOptions = {},
  ) {}

  private once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  get logger(): Logger {
    return this.once('logger', () => this.options.logger ?? createLogger(this.config.log.level));
  }

  get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  get dev(): boolean {
    return this.config.dev;
  }

  get persistence(): Persistence {
    return this.once('persistence', () => new Persistence({ dsn: this.config.dsn, poolSize: this.config.database.pool_size }));
  }

  get transactions(): Persistence {
    return this.persistence;
  }

  get secretStore(): TypeormSecretStore {
    return this.once('secretStore', () => new TypeormSecretStore(this.persistence));
  }

  /** @throws Error before `init()` has resolved the secrets. */
  get secrets(): Secrets {
    if (!this.resolvedSecrets) throw new Error('registry.init() must run before secrets are used');
    return this.resolvedSecrets;
  }

  /** Loaded and compiled on first use; `init()` touches it so a bad schema stops boot. */
  get identitySchemas(): IdentitySchemas {
    return this.once('identitySchemas', () => IdentitySchemas.load(this.config.identity.schemas, this.config.identity.default_schema_id));
  }

  get passwordHasher(): PasswordHasher {
    return this.once('passwordHasher', () => new PasswordHasher(this.config.hashers));
  }

  get privilegedIdentityPool(): TypeormIdentityPool {
    return this.once('identityPool', () => new TypeormIdentityPool(this.persistence));
  }

  get identityPool(): TypeormIdentityPool {
    return this.privilegedIdentityPool;
  }

  get identityManager(): IdentityManager {
    return this.once('identityManager', () => new IdentityManager(this));
  }

  get sessionStore(): TypeormSessionStore {
    return this.once('sessionStore', () => new TypeormSessionStore(this.persistence));
  }

  get sessionManager(): SessionManager {
    return this.once('sessionManager', () => new SessionManager(this));
  }

  get mySessionsManager(): MySessionsManager {
    return this.once('mySessionsManager', () => new MySessionsManager(this));
  }

  get adminSessionManager(): AdminSessionManager {
    return this.once('adminSessionManager', () => new AdminSessionManager(this));
  }

  get logoutManager(): LogoutManager {
    return this.once('logoutManager', () => new LogoutManager(this));
  }

  /** Session-to-JWT for `/sessions/whoami?tokenize_as=` (`session.whoami.tokenizer.templates`). */
  get sessionTokenizer(): SessionTokenizer {
    return this.once('sessionTokenizer', () => new SessionTokenizer(this));
  }

  /** The tokenizer's signing port, backed by the key manager (the session chain cannot import keys). */
  get sessionJwtSigner(): JwtSigner {
    return this.jwtSigner;
  }

  get flowStore(): TypeormFlowStore {
    return this.once('flowStore', () => new TypeormFlowStore(this.persistence));
  }

  get errorStore(): TypeormErrorStore {
    return this.once('errorStore', () => new TypeormErrorStore(this.persistence));
  }

  get passwordStrategy(): PasswordStrategy {
    return this.once('passwordStrategy', () => new PasswordStrategy(this));
  }

  /** Login strategies in Kratos's order; only enabled methods take part. */
  get loginStrategies(): LoginStrategy[] {
    const methods = this.config.selfservice.methods;
    return [
      ...(methods.password.enabled ? [this.passwordStrategy] : []),
      ...(this.codeLoginEnabled ? [this.codeLoginStrategy] : []),
      ...(methods.webauthn.enabled ? [this.webauthnStrategy] : []),
      ...(methods.totp.enabled ? [this.totpStrategy] : []),
      ...(methods.lookup_secret.enabled ? [this.lookupSecretStrategy] : []),
    ];
  }

  get registrationStrategies(): RegistrationStrategy[] {
    const methods = this.config.selfservice.methods;
    return [
      ...(methods.password.enabled ? [this.passwordStrategy] : []),
      ...(this.codeLoginEnabled ? [this.codeLoginStrategy] : []),
      ...(methods.webauthn.enabled ? [this.webauthnStrategy] : []),
    ];
  }

  /** Code login and registration need the `code` method and `passwordless_enabled` (Kratos). */
  private get codeLoginEnabled(): boolean {
    const code = this.config.selfservice.methods.code;
    return code.enabled && code.passwordless_enabled;
  }

  /** One-time code login and registration (`code` method with `passwordless_enabled`). */
  get codeLoginStrategy(): CodeLoginStrategy {
    return this.once('codeLoginStrategy', () => new CodeLoginStrategy(this));
  }

  /** WebAuthn security keys and passkeys (`selfservice.methods.webauthn`). */
  get webauthnStrategy(): WebAuthnStrategy {
    return this.once('webauthnStrategy', () => new WebAuthnStrategy(this));
  }

  get totpStrategy(): TotpStrategy {
    return this.once('totpStrategy', () => new TotpStrategy(this));
  }

  get lookupSecretStrategy(): LookupSecretStrategy {
    return this.once('lookupSecretStrategy', () => new LookupSecretStrategy(this));
  }

  /** The configured login hooks; a method's list replaces the flow-wide one (Kratos). */
  loginPostHooks(method: string): LoginPostHook[] {
    const after = this.config.selfservice.flows.login.after;
    const methodHooks = method === 'password' || method === 'code' || method === 'webauthn' ? after[method].hooks : [];
    return (methodHooks.length ? methodHooks : after.hooks).flatMap((h): LoginPostHook[] =>
      h.hook === 'revoke_active_sessions' ? [new RevokeActiveSessionsHook(this)] : h.hook === 'require_verified_address' ? [new RequireVerifiedAddressHook()] : [],
    );
  }

  registrationPostHooks(method: string): RegistrationPostHook[] {
    const after = this.config.selfservice.flows.registration.after;
    const methodHooks = method === 'password' || method === 'code' || method === 'webauthn' ? after[method].hooks : [];
    const hooks: RegistrationPostHook[] = (methodHooks.length ? methodHooks : after.hooks).flatMap((h): RegistrationPostHook[] =>
      h.hook === 'session' ? [new SessionIssuerHook(this)] : h.hook === 'show_verification_ui' ? [new ShowVerificationUiHook()] : [],
    );
    // Kratos sends verification mails after registration whenever verification is enabled.
    return this.config.selfservice.flows.verification.enabled ? [...hooks, new VerificationSenderHook(this)] : hooks;
  }

  get loginService(): LoginService {
    return this.once('loginService', () => new LoginService(this));
  }

  get registrationService(): RegistrationService {
    return this.once('registrationService', () => new RegistrationService(this));
  }

  /** Compiled once; `init()` touches it so a missing or bad template override stops boot. */
  get courierTemplates(): CourierTemplates {
    return this.once('courierTemplates', () => CourierTemplates.load(this.config.courier));
  }

  get courierMessageStore(): TypeormCourierMessageStore {
    return this.once('courierMessageStore', () => new TypeormCourierMessageStore(this.persistence));
  }

  get courier(): DefaultCourier {
    return this.once('courier', () => new DefaultCourier(this));
  }

  /** SMTP and/or SMS from `courier.*`; `init()` touches them so unusable settings stop boot. */
  get courierChannels(): readonly CourierChannel[] {
    return this.once('courierChannels', () => createCourierChannels(this.config.courier));
  }

  /** The courier dispatcher; `tessera serve` and `tessera courier watch` start it. */
  get dispatcher(): Dispatcher {
    return this.once('dispatcher', () => new Dispatcher(this));
  }

  get tokenStore(): TypeormTokenStore {
    return this.once('tokenStore', () => new TypeormTokenStore(this.persistence));
  }

  get codeStrategy(): CodeStrategy {
    return this.once('codeStrategy', () => new CodeStrategy(this));
  }

  get linkStrategy(): LinkStrategy {
    return this.once('linkStrategy', () => new LinkStrategy(this));
  }

  /** The recovery/verification method by id, when enabled (`selfservice.methods.<id>.enabled`). */
  addressChallengeStrategy(id: 'code' | 'link'): CodeStrategy | LinkStrategy | undefined {
    if (!this.config.selfservice.methods[id].enabled) return undefined;
    return id === 'code' ? this.codeStrategy : this.linkStrategy;
  }

  get profileStrategy(): ProfileStrategy {
    return this.once('profileStrategy', () => new ProfileStrategy(this));
  }

  /** Settings methods in Kratos's group order (profile, password, lookup_secret, webauthn, totp); only enabled ones. */
  get settingsStrategies(): SettingsStrategy[] {
    return [
      ...(this.config.selfservice.methods.profile.enabled ? [this.profileStrategy] : []),
      ...(this.config.selfservice.methods.password.enabled ? [this.passwordStrategy] : []),
      ...(this.config.selfservice.methods.lookup_secret.enabled ? [this.lookupSecretStrategy] : []),
      ...(this.config.selfservice.methods.webauthn.enabled ? [this.webauthnStrategy] : []),
      ...(this.config.selfservice.methods.totp.enabled ? [this.totpStrategy] : []),
    ];
  }

  get settingsService(): SettingsService {
    return this.once('settingsService', () => new SettingsService(this));
  }

  get verificationService(): VerificationService {
    return this.once('verificationService', () => new VerificationService(this));
  }

  get recoveryService(): RecoveryService {
    return this.once('recoveryService', () => new RecoveryService(this));
  }

  // --- OAuth2 (Hydra): keys, clients, provider, challenges ---

  get keyStore(): TypeormKeyStore {
    return this.once('keyStore', () => new TypeormKeyStore(this.persistence));
  }

  /** JWK sets: encrypted at rest, cached for signers for `oauth2.keys.refresh_interval`. */
  get keyManager(): KeyManager {
    return this.once('keyManager', () => new KeyManager(this));
  }

  /** Signs JWTs with a managed key set or a JWKS URL (the session tokenizer's signer). */
  get jwtSigner(): JwtSigner {
    return this.once('jwtSigner', () => new JwtSigner(this));
  }

  get clientStore(): TypeormClientStore {
    return this.once('clientStore', () => new TypeormClientStore(this.persistence));
  }

  get clientManager(): ClientManager {
    return this.once('clientManager', () => new ClientManager(this));
  }

  /** The engine's own client rules, checked before a client is stored. */
  get clientProtocolValidator(): EngineClientValidator {
    return this.once('clientProtocolValidator', () => new EngineClientValidator(this));
  }

  get trustGrantStore(): TypeormTrustGrantStore {
    return this.once('trustGrantStore', () => new TypeormTrustGrantStore(this.persistence));
  }

  /** Used JWT-bearer assertion ids (replay protection), shared by every process on the database. */
  get jtiStore(): TypeormJtiStore {
    return this.once('jtiStore', () => new TypeormJtiStore(this.persistence));
  }

  /** Trusted JWT-bearer issuers (`/admin/trust/grants/jwt-bearer/issuers`); keys live in the issuer's JWK set. */
  get trustGrantManager(): TrustGrantManager {
    return this.once('trustGrantManager', () => new TrustGrantManager(this));
  }

  /** Checks JWT-bearer assertions (and trusted-issuer JWTs in token exchange) against the trust grants. */
  get assertionVerifier(): AssertionVerifier {
    return this.once('assertionVerifier', () => new AssertionVerifier(this));
  }

  get oidcPayloadStore(): TypeormOidcPayloadStore {
    return this.once('oidcPayloadStore', () => new TypeormOidcPayloadStore(this.persistence));
  }

  get loginSessionStore(): TypeormLoginSessionStore {
    return this.once('loginSessionStore', () => new TypeormLoginSessionStore(this.persistence));
  }

  get forcedSubjectStore(): TypeormForcedSubjectStore {
    return this.once('forcedSubjectStore', () => new TypeormForcedSubjectStore(this.persistence));
  }

  get consentSessionStore(): TypeormConsentSessionStore {
    return this.once('consentSessionStore', () => new TypeormConsentSessionStore(this.persistence));
  }

  get handledChallengeStore(): TypeormHandledChallengeStore {
    return this.once('handledChallengeStore', () => new TypeormHandledChallengeStore(this.persistence));
  }

  get logoutRequestStore(): TypeormLogoutRequestStore {
    return this.once('logoutRequestStore', () => new TypeormLogoutRequestStore(this.persistence));
  }

  /** The OAuth2/OIDC engine (built on first use). */
  get oauth2Provider(): OAuth2Provider {
    return this.once('oauth2Provider', () => new OAuth2Provider(this));
  }

  get interactionPort(): OidcInteractionPort {
    return this.once('interactionPort', () => new OidcInteractionPort(this));
  }

  /** Login/consent/logout challenges; `acceptLoginRequest` is the integrated-login entry point. */
  /** Integrated login: self-service login flows accept OAuth2 login challenges through this bridge. */
  get oauth2LoginBridge(): OAuth2LoginBridge {
    return this.once('oauth2LoginBridge', () => ({
      inspect: async (challenge: string) => {
        const read = await this.challengeService.getLoginRequest(challenge);
        if (read.kind === 'handled') throw new OryError(410).withReason('The login challenge was already handled.').withDetails({ redirect_to: read.redirectTo });
        return { skip: read.request.skip === true, subject: String(read.request.subject ?? '') };
      },
      accept: async (challenge: string, input: { subject: string; remember: boolean; acr: string; amr: readonly string[] }) =>
        (await this.challengeService.acceptLoginRequest(challenge, input)).redirect_to,
    }));
  }

  get challengeService(): ChallengeService {
    return this.once('challengeService', () => new ChallengeService(this));
  }

  get consentSessionManager(): ConsentSessionManager {
    return this.once('consentSessionManager', () => new ConsentSessionManager(this));
  }

  get tokenIntrospector(): TokenIntrospector {
    return this.once('tokenIntrospector', () => new TokenIntrospector(this));
  }

  get logoutCompletion(): LogoutCompletion {
    return this.once('logoutCompletion', () => new LogoutCompletion(this));
  }

  /** `database`: the database answers and no migration is pending (one query per probe). */
  get readinessChecks(): readonly ReadinessCheck[] {
    return [{ name: 'database', check: () => this.assertSchemaCurrent() }];
  }

  /** @throws NotReadyError naming the pending migrations; Error when the database does not answer. */
  async assertSchemaCurrent(): Promise<void> {
    const pending = await this.persistence.pendingMigrations();
    if (pending.length > 0) throw new NotReadyError(`pending migrations: ${pending.join(', ')} (run tessera migrate up)`);
  }

  /** True once `init` (or `completeInit`) has resolved the secrets: the services may run. */
  get initialized(): boolean {
    return this.resolvedSecrets !== undefined;
  }

  /**
   * Connects the database (retrying up to `database.connect_timeout`), applies migrations when asked
   * (default `database.auto_migrate`, under the migration lock) and resolves the secrets, generating and
   * persisting any that config leaves out (with a warning). With `requireSchema: false` and migrations
   * pending it returns without secrets (`initialized` false).
   * @throws Error when the database is unreachable for `connect_timeout`, or migrations are pending and required.
   */
  async init(options: InitOptions = {}): Promise<this> {
    void this.identitySchemas;
    void this.courierTemplates;
    void this.courierChannels;
    const timeoutMs = this.config.database.connect_timeout;
    const onRetry = (error: Error, delayMs: number): void => this.logger.warn({ error: error.message, retry_in_ms: delayMs }, 'database is not reachable yet: retrying');
    await this.persistence.connect({ timeoutMs, onRetry }).catch((error: Error) => {
      throw new Error(`${error.message} (database.connect_timeout)`, { cause: error });
    });
    if (options.migrate ?? this.config.database.auto_migrate) {
      const applied = await this.persistence.migrateUp();
      if (applied.length > 0) this.logger.info({ migrations: applied }, 'applied database migrations');
    }
    if (await this.completeInit()) return this;
    const pending = await this.persistence.pendingMigrations();
    if (options.requireSchema ?? true) throw new Error(`the database schema is not current, pending migrations: ${pending.join(', ')} (run tessera migrate up)`);
    this.logger.warn({ migrations: pending }, 'database migrations are pending: /health/ready answers 503 until `tessera migrate up` has run');
    return this;
  }

  /**
   * Resolves the secrets once no migration is pending; false (and nothing done) while some are.
   * Concurrent first boots agree on generated secrets (insert-if-absent, then the stored value wins).
   */
  async completeInit(): Promise<boolean> {
    if (this.resolvedSecrets) return true;
    if ((await this.persistence.pendingMigrations()).length > 0) return false;
    const { secrets, generated } = await resolveSecrets(this.config, this.secretStore, () => randomSecret(32));
    if (generated.length > 0) {
      this.logger.warn(
        { kinds: generated },
        'secrets are not configured: using strong random secrets generated on first boot and stored in the database. ' +
          'Set secrets.default (env SECRETS_DEFAULT), secrets.cookie (SECRETS_COOKIE), secrets.cipher (SECRETS_CIPHER, 32+ characters) ' +
          'and secrets.system (SECRETS_SYSTEM) to manage and rotate them yourself.',
      );
    }
    this.resolvedSecrets = secrets;
    return true;
  }

  /** Stops the courier dispatcher if it was created (its running pass finishes first), then closes the database pool. */
  async close(): Promise<void> {
    await (this.memo.get('dispatcher') as Dispatcher | undefined)?.stop();
    (this.memo.get('oauth2Provider') as OAuth2Provider | undefined)?.close();
    await this.persistence.close();
  }
}

/** Creates the registry for a loaded config. */
export function createRegistry(config: Config, options: RegistryOptions = {}): Registry {
  return new Registry(config, options);
}
