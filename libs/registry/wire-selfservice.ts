import { TypeormErrorStore, TypeormFlowStore, TypeormTokenStore } from '../persistence';
import {
  LoginService,
  type LoginPostHook,
  type LoginStrategy,
  RecoveryService,
  RegistrationService,
  type RegistrationPostHook,
  type RegistrationStrategy,
  SettingsService,
  type SettingsStrategy,
  VerificationService,
} from '../selfservice/flows';
import { RequireVerifiedAddressHook, RevokeActiveSessionsHook, SessionIssuerHook, ShowVerificationUiHook, VerificationSenderHook } from '../selfservice/hooks';
import { CodeStrategy } from '../selfservice/strategies/code';
import { CodeLoginStrategy } from '../selfservice/strategies/code-login';
import { LinkStrategy } from '../selfservice/strategies/link';
import { LookupSecretStrategy } from '../selfservice/strategies/lookup-secret';
import { PasswordStrategy } from '../selfservice/strategies/password';
import { ProfileStrategy } from '../selfservice/strategies/profile';
import { TotpStrategy } from '../selfservice/strategies/totp';
import { WebAuthnStrategy } from '../selfservice/strategies/webauthn';
import { KeysWiring } from './wire-keys';

/** Self-service: flow stores, the strategies the realm enables, the after-hooks and the flow services. */
export abstract class SelfserviceWiring extends KeysWiring {
  get flowStore(): TypeormFlowStore {
    return this.once('flowStore', () => new TypeormFlowStore(this.persistence));
  }

  get errorStore(): TypeormErrorStore {
    return this.once('errorStore', () => new TypeormErrorStore(this.persistence));
  }

  get tokenStore(): TypeormTokenStore {
    return this.once('tokenStore', () => new TypeormTokenStore(this.persistence));
  }

  // --- strategies ---

  get passwordStrategy(): PasswordStrategy {
    return this.once('passwordStrategy', () => new PasswordStrategy(this.deps));
  }

  /** One-time code login and registration (`code` method with `passwordless_enabled`). */
  get codeLoginStrategy(): CodeLoginStrategy {
    return this.once('codeLoginStrategy', () => new CodeLoginStrategy(this.deps));
  }

  /** WebAuthn security keys and passkeys (`selfservice.methods.webauthn`). */
  get webauthnStrategy(): WebAuthnStrategy {
    return this.once('webauthnStrategy', () => new WebAuthnStrategy(this.deps));
  }

  get totpStrategy(): TotpStrategy {
    return this.once('totpStrategy', () => new TotpStrategy(this.deps));
  }

  get lookupSecretStrategy(): LookupSecretStrategy {
    return this.once('lookupSecretStrategy', () => new LookupSecretStrategy(this.deps));
  }

  get codeStrategy(): CodeStrategy {
    return this.once('codeStrategy', () => new CodeStrategy(this.deps));
  }

  get linkStrategy(): LinkStrategy {
    return this.once('linkStrategy', () => new LinkStrategy(this.deps));
  }

  get profileStrategy(): ProfileStrategy {
    return this.once('profileStrategy', () => new ProfileStrategy(this.deps));
  }

  /** Code login and registration need the `code` method and `passwordless_enabled` (Kratos). */
  private get codeLoginEnabled(): boolean {
    const code = this.config.selfservice.methods.code;
    return code.enabled && code.passwordless_enabled;
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

  /** Settings methods in Kratos's group order (profile, password, lookup_secret, webauthn, totp); only enabled ones. */
  get settingsStrategies(): SettingsStrategy[] {
    const methods = this.config.selfservice.methods;
    return [
      ...(methods.profile.enabled ? [this.profileStrategy] : []),
      ...(methods.password.enabled ? [this.passwordStrategy] : []),
      ...(methods.lookup_secret.enabled ? [this.lookupSecretStrategy] : []),
      ...(methods.webauthn.enabled ? [this.webauthnStrategy] : []),
      ...(methods.totp.enabled ? [this.totpStrategy] : []),
    ];
  }

  /** The recovery/verification method by id, when enabled (`selfservice.methods.<id>.enabled`). */
  addressChallengeStrategy(id: 'code' | 'link'): CodeStrategy | LinkStrategy | undefined {
    if (!this.config.selfservice.methods[id].enabled) return undefined;
    return id === 'code' ? this.codeStrategy : this.linkStrategy;
  }

  // --- hooks ---

  /** The configured login hooks; a method's list replaces the flow-wide one (Kratos). */
  loginPostHooks(method: string): LoginPostHook[] {
    const after = this.config.selfservice.flows.login.after;
    const methodHooks = method === 'password' || method === 'code' || method === 'webauthn' ? after[method].hooks : [];
    return (methodHooks.length ? methodHooks : after.hooks).flatMap((h): LoginPostHook[] =>
      h.hook === 'revoke_active_sessions' ? [new RevokeActiveSessionsHook(this.deps)] : h.hook === 'require_verified_address' ? [new RequireVerifiedAddressHook()] : [],
    );
  }

  registrationPostHooks(method: string): RegistrationPostHook[] {
    const after = this.config.selfservice.flows.registration.after;
    const methodHooks = method === 'password' || method === 'code' || method === 'webauthn' ? after[method].hooks : [];
    const hooks: RegistrationPostHook[] = (methodHooks.length ? methodHooks : after.hooks).flatMap((h): RegistrationPostHook[] =>
      h.hook === 'session' ? [new SessionIssuerHook(this.deps)] : h.hook === 'show_verification_ui' ? [new ShowVerificationUiHook()] : [],
    );
    // Kratos sends verification mails after registration whenever verification is enabled.
    return this.config.selfservice.flows.verification.enabled ? [...hooks, new VerificationSenderHook(this.deps)] : hooks;
  }

  // --- flows ---

  get loginService(): LoginService {
    return this.once('loginService', () => new LoginService(this.deps));
  }

  get registrationService(): RegistrationService {
    return this.once('registrationService', () => new RegistrationService(this.deps));
  }

  get settingsService(): SettingsService {
    return this.once('settingsService', () => new SettingsService(this.deps));
  }

  get verificationService(): VerificationService {
    return this.once('verificationService', () => new VerificationService(this.deps));
  }

  get recoveryService(): RecoveryService {
    return this.once('recoveryService', () => new RecoveryService(this.deps));
  }
}
