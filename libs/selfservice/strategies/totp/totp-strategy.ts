import type { RealmConfigProvider, SecretsProvider } from '../../../config';
import { unauthorized } from '../../../http/errors';
import type { Credentials, Identity, IdentitySchemasProvider, PrivilegedIdentityPoolProvider } from '../../../identity';
import { type ClockProvider, type LoggerProvider, SecretCipher, type TransactionRunnerProvider, type Ctx } from '../../../x';
import { FlowValidationError, type LoginFlow, type SettingsFlow, type UiNode, imageNode, inputNode, messages, textNode } from '../../flow';
import type { LoginContext, LoginOutcome, LoginStrategy } from '../../flows/login/login-strategy';
import type { SettingsContext, SettingsOutcome, SettingsPopulation, SettingsStrategy } from '../../flows/settings/settings-strategy';
import { compileMethodBody, isTrueField } from '../compile-method-body';
import loginSchema from './schemas/login.schema.json';
import settingsSchema from './schemas/settings.schema.json';
import { newTotpSecret, qrCodeDataUrl, secretOfTotpUrl, totpUrl, verifyTotpCode } from './totp-codes';

export type TotpStrategyDeps = RealmConfigProvider &
  ClockProvider &
  SecretsProvider &
  LoggerProvider &
  IdentitySchemasProvider &
  PrivilegedIdentityPoolProvider &
  TransactionRunnerProvider;

/** The cipher purpose of TOTP values (keys derived from `secrets.cipher`). */
export const TOTP_CIPHER_PURPOSE = 'totp';

/**
 * The stored TOTP credential config. `totp_url` keeps Kratos's key (and what `highestAvailableAal`
 * looks for) but holds the `otpauth://` URL **encrypted** with AES-256-GCM under `secrets.cipher`.
 * `last_used_step` is the time step of the last accepted code: codes for it and earlier steps are
 * refused, so a code cannot be replayed inside its ±1-step window.
 */
export interface TotpCredentialConfig {
  readonly totp_url: string;
  readonly last_used_step?: number;
}

/** What the settings flow keeps between rendering the QR code and the confirming code. */
interface PendingTotp {
  /** The encrypted `otpauth://` URL of the key shown in the flow. */
  readonly totp_url: string;
}

const validateLogin = compileMethodBody(loginSchema);
const validateSettings = compileMethodBody(settingsSchema);

/**
 * TOTP authenticator apps (Kratos `totp` method): linked and unlinked in settings, used as the second
 * step of an `aal=aal2` login. The key is generated here, shown once as QR code and Base32 text, kept
 * encrypted in the settings flow until a code confirms it, then stored encrypted on the identity.
 */
export class TotpStrategy implements LoginStrategy, SettingsStrategy {
  readonly id = 'totp' as const;
  readonly settingsMethod = 'totp';
  private cipherFor?: { secrets: readonly string[]; cipher: SecretCipher };

  constructor(private readonly deps: TotpStrategyDeps) {}

  /** Built on first use: secrets are resolved at boot, after the registry is created. */
  private get cipher(): SecretCipher {
    const secrets = this.deps.secrets.cipher;
    if (this.cipherFor?.secrets !== secrets) this.cipherFor = { secrets, cipher: new SecretCipher(TOTP_CIPHER_PURPOSE, secrets) };
    return this.cipherFor.cipher;
  }

  async populateLogin(flow: LoginFlow, flowContext: LoginContext): Promise<UiNode[]> {
    if (flow.requestedAal !== 'aal2' || !flowContext.session || !totpCredential(flowContext.session.identity)) return [];
    return [
      inputNode('totp', 'totp_code', 'text', { value: '', required: true, label: messages.loginTotpLabel() }),
      inputNode('totp', 'method', 'submit', { value: 'totp', label: messages.loginTotpButton() }),
    ];
  }

  /**
   * Second factor: checks `totp_code` against the session identity's key (±1 step) and records the
   * step, in one transaction on the identity read locked (`getForUpdate`), so the same code is refused
   * afterwards, also to parallel submissions. Only `aal=aal2` flows.
   * @throws FlowValidationError 4000008 (wrong or replayed code), 4000011 (no TOTP key)
   * @throws OryError 401 `session_aal1_required` without a session
   */
  async login(ctx: Ctx, flow: LoginFlow, rawBody: Readonly<Record<string, unknown>>, flowContext: LoginContext): Promise<LoginOutcome> {
    if (rawBody.method !== this.id || flow.requestedAal !== 'aal2') return { kind: 'not_responsible' };
    const body = validateLogin(rawBody);
    if (!flowContext.session) throw unauthorized('A second factor can only be added to an active session.').withId('session_aal1_required');
    const code = String(body.totp_code ?? '').trim();
    if (!code) throw new FlowValidationError([], { totp_code: [messages.validationRequired('totp_code')] });
    const identityId = flowContext.session.identity.id;
    const now = this.deps.clock.now();
    const identity = await this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const fresh = await this.deps.privilegedIdentityPool.getForUpdate(ctx, identityId);
      const credential = fresh && totpCredential(fresh);
      if (!fresh || !credential) throw new FlowValidationError([messages.noTotpDevice()]);
      const config = credential.config as unknown as TotpCredentialConfig;
      const secret = this.secretOf(config.totp_url);
      const check = verifyTotpCode(secret, code, now, typeof config.last_used_step === 'number' ? config.last_used_step : undefined);
      if (!check.valid) throw new FlowValidationError([], { totp_code: [messages.totpCodeInvalid()] });
      const updated: Identity = {
        ...fresh,
        credentials: { ...fresh.credentials, totp: { ...credential, config: { ...config, last_used_step: check.step }, updatedAt: now } },
      };
      await this.deps.privilegedIdentityPool.update(ctx, updated);
      return updated;
    });
    return { kind: 'authenticated', identity, method: 'totp', aal: 'aal2' };
  }

  /**
   * Without TOTP: a new key (or the one this flow already shows) as QR code and text, plus the code
   * input; the key is kept encrypted in the flow's internal context. With TOTP: the unlink button.
   */
  async populateSettings(flow: SettingsFlow, identity: Identity): Promise<SettingsPopulation> {
    if (totpCredential(identity)) {
      return { nodes: [inputNode('totp', 'totp_unlink', 'submit', { value: 'true', required: true, label: messages.settingsTotpUnlink() })] };
    }
    const url = this.pendingUrl(flow) ?? totpUrl(this.issuer(), this.accountName(identity), newTotpSecret());
    const secret = secretOfTotpUrl(url) as string;
    const pending: PendingTotp = { totp_url: this.cipher.encrypt(url) };
    return {
      nodes: [
        imageNode('totp', 'totp_qr', await qrCodeDataUrl(url), { width: 256, height: 256 }, messages.settingsTotpQr()),
        textNode('totp', 'totp_secret_key', messages.settingsTotpSecret(secret), messages.settingsTotpSecretLabel()),
        inputNode('totp', 'totp_code', 'text', { required: true, label: messages.labelVerifyCode() }),
        inputNode('totp', 'method', 'submit', { value: 'totp', label: messages.labelSave() }),
      ],
      internalContext: pending as unknown as Record<string, unknown>,
    };
  }

  /**
   * `totp_unlink=true` removes the key; otherwise `totp_code` must match the key shown in this flow,
   * which is then stored. Both need a privileged session. As in Kratos, `totp_unlink=true` names this
   * method on its own (Ory's UIs submit the unlink button without `method`).
   * @throws FlowValidationError 4000008 on `totp_code`, 4000011 (unlink without a key), 4000001
   * @throws OryError 403 `session_refresh_required`
   */
  async settings(ctx: Ctx, flow: SettingsFlow, rawBody: Readonly<Record<string, unknown>>, flowContext: SettingsContext): Promise<SettingsOutcome> {
    if (rawBody.method !== this.settingsMethod && !isTrueField(rawBody.totp_unlink)) return { kind: 'not_responsible' };
    const body = validateSettings({ ...rawBody, method: this.settingsMethod });
    const identity = flowContext.session.identity;
    const now = this.deps.clock.now();
    if (body.totp_unlink === true) {
      flowContext.requirePrivileged();
      if (!totpCredential(identity)) throw new FlowValidationError([messages.noTotpDevice()]);
      const { totp: _removed, ...rest } = identity.credentials;
      ctx.logger.info({ identity_id: identity.id }, 'TOTP authenticator unlinked');
      return { kind: 'updated', identity: { ...identity, credentials: rest, updatedAt: now } };
    }
    const code = String(body.totp_code ?? '').trim();
    if (!code) throw new FlowValidationError([], { totp_code: [messages.validationRequired('totp_code')] });
    flowContext.requirePrivileged();
    if (totpCredential(identity)) throw new FlowValidationError([messages.validationGeneric('A TOTP authenticator app is linked already; unlink it before linking another one.')]);
    const url = this.pendingUrl(flow);
    const secret = url && secretOfTotpUrl(url);
    if (!url || !secret) throw new FlowValidationError([messages.validationGeneric('This settings flow shows no TOTP key to confirm; start a new settings flow.')]);
    const check = verifyTotpCode(secret, code, now);
    if (!check.valid) throw new FlowValidationError([], { totp_code: [messages.totpCodeInvalid()] });
    const config: TotpCredentialConfig = { totp_url: this.cipher.encrypt(url), last_used_step: check.step };
    const credential: Credentials = { type: 'totp', identifiers: [identity.id], config: { ...config }, version: 0, createdAt: now, updatedAt: now };
    ctx.logger.info({ identity_id: identity.id }, 'TOTP authenticator linked');
    return { kind: 'updated', identity: { ...identity, credentials: { ...identity.credentials, totp: credential }, updatedAt: now } };
  }

  /** The decrypted `otpauth://` URL the flow shows, if it holds a readable one. */
  private pendingUrl(flow: SettingsFlow): string | undefined {
    const pending = flow.internalContext[this.settingsMethod] as Partial<PendingTotp> | undefined;
    if (!pending || !SecretCipher.isEncrypted(pending.totp_url)) return undefined;
    try {
      return this.cipher.decrypt(pending.totp_url);
    } catch {
      return undefined;
    }
  }

  /** @throws Error when the stored key cannot be read (cipher secret rotated out, or corrupt). */
  private secretOf(stored: string): string {
    // Values written before encryption at rest (plain otpauth:// URLs) still work.
    const url = SecretCipher.isEncrypted(stored) ? this.cipher.decrypt(stored) : stored;
    const secret = secretOfTotpUrl(url);
    if (!secret) throw new Error('the stored TOTP credential holds no key');
    return secret;
  }

  /** `selfservice.methods.totp.config.issuer`, else the public base URL's host name (Kratos). */
  private issuer(): string {
    return this.deps.config.selfservice.methods.totp.config.issuer ?? new URL(this.deps.config.serve.public.base_url).hostname;
  }

  /** The trait marked `credentials.totp.account_name`, else the first identifier, else the identity id. */
  private accountName(identity: Identity): string {
    try {
      const ext = this.deps.identitySchemas.validateTraits(identity.schemaId, identity.traits);
      const named = ext.totpAccountName ?? [...ext.identifiers.values()].flat()[0];
      if (named) return named;
    } catch {
      /* traits that no longer match their schema: fall through */
    }
    return identity.credentials.password?.identifiers[0] ?? identity.id;
  }
}

/** The identity's TOTP credential when it holds a key. */
function totpCredential(identity: Identity): Credentials | undefined {
  const c = identity.credentials.totp;
  return c && typeof c.config.totp_url === 'string' && c.config.totp_url !== '' ? c : undefined;
}
