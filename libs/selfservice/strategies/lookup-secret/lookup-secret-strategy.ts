import type { RealmConfigProvider, SecretsProvider } from '../../../config';
import { unauthorized } from '../../../http/errors';
import type { Credentials, Identity, PrivilegedIdentityPoolProvider } from '../../../identity';
import { type ClockProvider, type LoggerProvider, SecretCipher, type TransactionRunnerProvider, type Ctx } from '../../../x';
import { FlowValidationError, type LoginFlow, type SettingsFlow, type UiNode, type UiText, inputNode, messages, textNode } from '../../flow';
import type { LoginContext, LoginOutcome, LoginStrategy } from '../../flows/login/login-strategy';
import type { SettingsContext, SettingsOutcome, SettingsPopulation, SettingsStrategy } from '../../flows/settings/settings-strategy';
import { compileMethodBody, isTrueField } from '../compile-method-body';
import { type StoredRecoveryCode, findRecoveryCode, newRecoveryCodes, recoveryCodeDigest } from './recovery-codes';
import loginSchema from './schemas/login.schema.json';
import settingsSchema from './schemas/settings.schema.json';

export type LookupSecretStrategyDeps = RealmConfigProvider & ClockProvider & SecretsProvider & LoggerProvider & PrivilegedIdentityPoolProvider & TransactionRunnerProvider;

/** The cipher purpose of recovery-code digests (keys derived from `secrets.cipher`). */
export const LOOKUP_SECRET_CIPHER_PURPOSE = 'lookup_secret';

/** What a code that can no longer be shown (it is stored hashed) looks like in the reveal list. */
export const HIDDEN_RECOVERY_CODE = '********';

/** Codes regenerated in a settings flow and waiting for `lookup_secret_confirm` (digests only). */
interface PendingCodes {
  readonly recovery_codes: readonly StoredRecoveryCode[];
}

/** The settings buttons; each one names this method on its own (Kratos). */
const LOOKUP_BUTTONS = ['lookup_secret_reveal', 'lookup_secret_regenerate', 'lookup_secret_confirm', 'lookup_secret_disable'] as const;

const validateLogin = compileMethodBody(loginSchema);
const validateSettings = compileMethodBody(settingsSchema);

/**
 * Backup recovery codes (Kratos `lookup_secret` method): regenerated, confirmed, revealed and disabled
 * in settings; each code is a one-time second factor at login.
 *
 * Deviation from Kratos, which stores the codes in clear: only keyed digests are stored (credential
 * config `{recovery_codes:[{code:<digest>, used_at?}]}`), so codes are shown once, right after
 * `regenerate`; a later `reveal` lists which codes are used and when, with unused ones masked.
 */
export class LookupSecretStrategy implements LoginStrategy, SettingsStrategy {
  readonly id = 'lookup_secret' as const;
  readonly settingsMethod = 'lookup_secret';
  private cipherFor?: { secrets: readonly string[]; cipher: SecretCipher };

  constructor(private readonly deps: LookupSecretStrategyDeps) {}

  private get cipher(): SecretCipher {
    const secrets = this.deps.secrets.cipher;
    if (this.cipherFor?.secrets !== secrets) this.cipherFor = { secrets, cipher: new SecretCipher(LOOKUP_SECRET_CIPHER_PURPOSE, secrets) };
    return this.cipherFor.cipher;
  }

  async populateLogin(flow: LoginFlow, flowContext: LoginContext): Promise<UiNode[]> {
    if (flow.requestedAal !== 'aal2' || !flowContext.session || !lookupCredential(flowContext.session.identity)) return [];
    return [
      inputNode('lookup_secret', 'lookup_secret', 'text', { value: '', required: true, label: messages.loginLookupLabel() }),
      inputNode('lookup_secret', 'method', 'submit', { value: 'lookup_secret', label: messages.loginLookupButton() }),
    ];
  }

  /**
   * Second factor: the code must be one of the session identity's unused codes; it is marked used
   * (`used_at`) in the same transaction that checks it, on the identity read locked (`getForUpdate`): of
   * parallel submissions of one code exactly one passes. Only `aal=aal2` flows.
   * @throws FlowValidationError 4000016 (unknown code), 4000012 (used), 4000014 (no codes)
   * @throws OryError 401 `session_aal1_required` without a session
   */
  async login(ctx: Ctx, flow: LoginFlow, rawBody: Readonly<Record<string, unknown>>, flowContext: LoginContext): Promise<LoginOutcome> {
    if (rawBody.method !== this.id || flow.requestedAal !== 'aal2') return { kind: 'not_responsible' };
    const body = validateLogin(rawBody);
    if (!flowContext.session) throw unauthorized('A second factor can only be added to an active session.').withId('session_aal1_required');
    const code = String(body.lookup_secret ?? '').trim();
    if (!code) throw new FlowValidationError([], { lookup_secret: [messages.validationRequired('lookup_secret')] });
    const identityId = flowContext.session.identity.id;
    const now = this.deps.clock.now();
    const identity = await this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const fresh = await this.deps.privilegedIdentityPool.getForUpdate(ctx, identityId);
      const credential = fresh && lookupCredential(fresh);
      if (!fresh || !credential) throw new FlowValidationError([messages.noLookupCodes()]);
      const codes = storedCodes(credential);
      const index = findRecoveryCode(this.cipher, identityId, code, codes);
      if (index < 0) throw new FlowValidationError([], { lookup_secret: [messages.lookupInvalid()] });
      if (codes[index].used_at) throw new FlowValidationError([], { lookup_secret: [messages.lookupAlreadyUsed()] });
      const used = codes.map((c, i) => (i === index ? { ...c, used_at: now.toISOString() } : c));
      const updated: Identity = {
        ...fresh,
        credentials: { ...fresh.credentials, lookup_secret: { ...credential, config: { ...credential.config, recovery_codes: used }, updatedAt: now } },
      };
      await this.deps.privilegedIdentityPool.update(ctx, updated);
      return updated;
    });
    return { kind: 'authenticated', identity, method: 'lookup_secret', aal: 'aal2' };
  }

  /** With codes: reveal and disable; without: regenerate. Drops codes a previous render left pending. */
  async populateSettings(_flow: SettingsFlow, identity: Identity): Promise<SettingsPopulation> {
    return { nodes: lookupCredential(identity) ? [this.button('lookup_secret_reveal', messages.settingsLookupReveal()), this.button('lookup_secret_disable', messages.settingsLookupDisable())] : [this.button('lookup_secret_regenerate', messages.settingsLookupRegenerate())] };
  }

  /**
   * `lookup_secret_regenerate` shows 12 new codes and keeps their digests in the flow;
   * `lookup_secret_confirm` stores them (replacing older codes); `lookup_secret_reveal` lists the
   * stored codes' state; `lookup_secret_disable` removes them. All need a privileged session. As in
   * Kratos, a body with one of these buttons set is this method's even without `method` (Ory's UIs
   * submit the buttons alone).
   * @throws FlowValidationError 4000014 (reveal/disable without codes), 4000001 (nothing to confirm, no action)
   * @throws OryError 403 `session_refresh_required`
   */
  async settings(ctx: Ctx, flow: SettingsFlow, rawBody: Readonly<Record<string, unknown>>, flowContext: SettingsContext): Promise<SettingsOutcome> {
    const pressed = LOOKUP_BUTTONS.some((name) => isTrueField(rawBody[name]));
    if (rawBody.method !== this.settingsMethod && !pressed) return { kind: 'not_responsible' };
    const body = validateSettings({ ...rawBody, method: this.settingsMethod });
    flowContext.requirePrivileged();
    const identity = flowContext.session.identity;
    const now = this.deps.clock.now();
    if (body.lookup_secret_confirm === true) {
      const pending = flow.internalContext[this.settingsMethod] as Partial<PendingCodes> | undefined;
      if (!pending || !Array.isArray(pending.recovery_codes) || pending.recovery_codes.length === 0) {
        throw new FlowValidationError([messages.validationGeneric('There are no new backup recovery codes to confirm; generate them first.')]);
      }
      const previous = identity.credentials.lookup_secret;
      const credential: Credentials = {
        type: 'lookup_secret',
        identifiers: [identity.id],
        config: { recovery_codes: pending.recovery_codes.map((c) => ({ code: c.code })) },
        version: 0,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      };
      ctx.logger.info({ identity_id: identity.id }, 'backup recovery codes confirmed');
      return { kind: 'updated', identity: { ...identity, credentials: { ...identity.credentials, lookup_secret: credential }, updatedAt: now } };
    }
    if (body.lookup_secret_regenerate === true) {
      const codes = newRecoveryCodes();
      const pending: PendingCodes = { recovery_codes: codes.map((c) => ({ code: recoveryCodeDigest(this.cipher, identity.id, c) })) };
      const list = messages.settingsLookupList(codes, codes.map((c) => messages.settingsLookupSecret(c)));
      return {
        kind: 'flow_updated',
        flow: this.withLookupNodes(flow, [this.codesNode(list), this.button('lookup_secret_regenerate', messages.settingsLookupRegenerate()), this.button('lookup_secret_confirm', messages.settingsLookupConfirm())], { ...flow.internalContext, [this.settingsMethod]: pending }),
      };
    }
    const credential = lookupCredential(identity);
    if (body.lookup_secret_reveal === true) {
      if (!credential) throw new FlowValidationError([messages.noLookupCodes()]);
      const codes = storedCodes(credential);
      const list = messages.settingsLookupList(
        codes.map((c) => (c.used_at ? 'used' : HIDDEN_RECOVERY_CODE)),
        codes.map((c) => (c.used_at ? messages.settingsLookupUsed(new Date(c.used_at)) : messages.settingsLookupSecret(HIDDEN_RECOVERY_CODE))),
      );
      return {
        kind: 'flow_updated',
        flow: this.withLookupNodes(flow, [this.codesNode(list), this.button('lookup_secret_regenerate', messages.settingsLookupRegenerate()), this.button('lookup_secret_disable', messages.settingsLookupDisable())], flow.internalContext),
      };
    }
    if (body.lookup_secret_disable === true) {
      if (!credential) throw new FlowValidationError([messages.noLookupCodes()]);
      const { lookup_secret: _removed, ...rest } = identity.credentials;
      ctx.logger.info({ identity_id: identity.id }, 'backup recovery codes disabled');
      return { kind: 'updated', identity: { ...identity, credentials: rest, updatedAt: now } };
    }
    throw new FlowValidationError([messages.validationGeneric('Choose one of lookup_secret_reveal, lookup_secret_regenerate, lookup_secret_confirm or lookup_secret_disable.')]);
  }

  private button(name: string, label: UiText): UiNode {
    return inputNode('lookup_secret', name, 'submit', { value: 'true', label });
  }

  private codesNode(list: UiText): UiNode {
    return textNode('lookup_secret', 'lookup_secret_codes', list, messages.settingsLookupLabel());
  }

  /** The flow with this method's nodes replaced (in place) and messages cleared. */
  private withLookupNodes(flow: SettingsFlow, nodes: readonly UiNode[], internalContext: SettingsFlow['internalContext']): SettingsFlow {
    const at = flow.ui.nodes.findIndex((n) => n.group === 'lookup_secret');
    const others = flow.ui.nodes.filter((n) => n.group !== 'lookup_secret').map((n) => ({ ...n, messages: [] }));
    const position = at < 0 ? others.length : flow.ui.nodes.slice(0, at).filter((n) => n.group !== 'lookup_secret').length;
    return { ...flow, internalContext, ui: { ...flow.ui, nodes: [...others.slice(0, position), ...nodes, ...others.slice(position)], messages: [] } };
  }
}

/** The identity's lookup-secret credential when it holds codes. */
function lookupCredential(identity: Identity): Credentials | undefined {
  const c = identity.credentials.lookup_secret;
  return c && Array.isArray(c.config.recovery_codes) && c.config.recovery_codes.length > 0 ? c : undefined;
}

function storedCodes(credential: Credentials): StoredRecoveryCode[] {
  return (credential.config.recovery_codes as unknown[]).filter((c): c is StoredRecoveryCode => typeof c === 'object' && c !== null && typeof (c as StoredRecoveryCode).code === 'string');
}
