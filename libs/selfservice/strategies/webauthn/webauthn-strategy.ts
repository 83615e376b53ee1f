import { randomBytes, randomUUID } from 'node:crypto';
import type * as SimpleWebAuthn from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import Ajv, { type ValidateFunction } from 'ajv';
import { type RealmConfigProvider, type WebAuthnRelyingParty, webAuthnRelyingParty } from '../../../config';
import { badRequest } from '../../../http/errors';
import { type Identity, type IdentitySchemasProvider, type PrivilegedIdentityPoolProvider, TraitsValidationError, newIdentity } from '../../../identity';
import { type ClockProvider, type LoggerProvider, type TransactionRunnerProvider, type Ctx, lazy } from '../../../x';
import { type FlowStoreProvider, FlowValidationError, type LoginFlow, type RegistrationFlow, type SettingsFlow, type UiNode, type UiText, inputNode, messages, traitNodes } from '../../flow';
import type { LoginContext, LoginOutcome, LoginPopulation, LoginStrategy } from '../../flows/login/login-strategy';
import type { RegistrationContext, RegistrationOutcome, RegistrationPopulation, RegistrationStrategy } from '../../flows/registration/registration-strategy';
import type { SettingsContext, SettingsOutcome, SettingsPopulation, SettingsStrategy } from '../../flows/settings/settings-strategy';
import { traitViolations } from '../profile/profile-strategy';
import loginSchema from './schemas/login.schema.json';
import registrationSchema from './schemas/registration.schema.json';
import settingsSchema from './schemas/settings.schema.json';
import {
  type StoredWebAuthnKey,
  b64,
  bytesToUuid,
  canSignInWithout,
  fromB64,
  keyHexId,
  keyUrlId,
  storedKeys,
  uuidToBytes,
  withKeys,
} from './webauthn-credentials';
import { toStdBase64, webAuthnScriptNode, webAuthnTriggerNode } from './webauthn-nodes';

export type WebAuthnStrategyDeps = RealmConfigProvider &
  ClockProvider &
  LoggerProvider &
  IdentitySchemasProvider &
  PrivilegedIdentityPoolProvider &
  FlowStoreProvider &
  TransactionRunnerProvider;

/**
 * What a flow keeps between rendering a ceremony and its result (`flow.internalContext.webauthn`,
 * never on the wire). The challenge is single use: the flow services drop this state when the flow
 * completes (login, registration) or re-render it with a new challenge (settings).
 */
type CeremonyState = {
  /** base64url, as it comes back in `clientDataJSON`. */
  readonly challenge: string;
  /** Login: the identity the ceremony is bound to. Registration: the id the new identity will get. */
  readonly identity_id?: string;
};

/** EdDSA, ES256, RS256 (COSE ids), offered at registration and accepted on verification. */
const ALGORITHMS = [-8, -7, -257];

/** @simplewebauthn/server, loaded on the first WebAuthn ceremony (it is a large module tree; boot does not need it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simpleWebAuthn = lazy(() => require('@simplewebauthn/server') as typeof SimpleWebAuthn);
const TIMEOUT_MS = 60_000;

const ajv = new Ajv({ allErrors: false, strict: false });
const compile = (schema: object): (() => ValidateFunction) => lazy(() => ajv.compile(schema));
/** Compiled on first use, not at boot. */
const validators = { login: compile(loginSchema), registration: compile(registrationSchema), settings: compile(settingsSchema) };

/**
 * WebAuthn (Kratos `webauthn` method, architecture B5 rule 2: one class for login, registration and
 * settings). Two modes, chosen by `selfservice.methods.webauthn.config.passwordless`:
 *
 * - **second factor** (default): keys are added in settings and asked for by `aal=aal2` login flows
 *   (user verification discouraged); they raise a session to aal2.
 * - **passkeys** (`passwordless: true`, Kratos's later `passkey` method): keys are discoverable
 *   credentials with user verification required, added in settings or at sign-up without a password,
 *   and sign in on their own (aal1): either usernameless (the authenticator picks the account and
 *   returns the user handle, which is the identity id) or in Kratos's two steps (identifier, then key).
 *
 * Every ceremony checks the challenge kept in the flow, the origin against `rp.origins`, the RP id
 * hash, the signature and (login) that the signature counter moved forward.
 */
export class WebAuthnStrategy implements LoginStrategy, RegistrationStrategy, SettingsStrategy {
  readonly id = 'webauthn' as const;
  readonly settingsMethod = 'webauthn';

  constructor(private readonly deps: WebAuthnStrategyDeps) {}

  private get passwordless(): boolean {
    return this.deps.config.selfservice.methods.webauthn.config.passwordless;
  }

  private get rp(): WebAuthnRelyingParty {
    return webAuthnRelyingParty(this.deps.config);
  }

  private get script(): UiNode {
    return webAuthnScriptNode(this.deps.config.serve.public.base_url);
  }

  // --- login -----------------------------------------------------------------------------------

  /**
   * aal2 flows: the session identity's second-factor keys. aal1 flows with passkeys: a usernameless
   * trigger plus Kratos's identifier step (refresh flows: the session identity's passkeys only).
   */
  async populateLogin(flow: LoginFlow, flowContext: LoginContext): Promise<UiNode[] | LoginPopulation> {
    if (flow.requestedAal === 'aal2') {
      const identity = flowContext.session?.identity;
      const keys = identity ? storedKeys(identity).filter((k) => !k.is_passwordless) : [];
      if (!identity || keys.length === 0) return [];
      const { options, state } = await this.loginCeremony(keys, 'discouraged', identity.id);
      const identifier = identity.credentials.webauthn?.identifiers[0] ?? '';
      return { nodes: [inputNode('default', 'identifier', 'hidden', { value: identifier }), ...this.loginNodes(options, messages.webauthnUseKey())], internalContext: state };
    }
    if (!this.passwordless) return [];
    if (flow.refresh && flowContext.session) {
      const keys = storedKeys(flowContext.session.identity).filter((k) => k.is_passwordless);
      if (keys.length === 0) return [];
      const { options, state } = await this.loginCeremony(keys, 'required', flowContext.session.identity.id);
      return { nodes: this.loginNodes(options, messages.webauthnUseKey()), internalContext: state };
    }
    const { options, state } = await this.loginCeremony([], 'required');
    // The password method renders the identifier input already; only add it when it is off.
    const identifier = this.deps.config.selfservice.methods.password.enabled ? [] : [inputNode('default', 'identifier', 'text', { value: '', required: true, label: messages.labelId() })];
    return {
      nodes: [...identifier, inputNode('webauthn', 'method', 'submit', { value: 'webauthn', label: messages.webauthnLoginButton() }), ...this.loginNodes(options, messages.webauthnUseKey())],
      internalContext: state,
    };
  }

  /**
   * Verifies `webauthn_login` (second factor on aal2 flows; a passkey on aal1 flows). On aal1 without
   * `webauthn_login` this is Kratos's first step: the identifier selects the account's passkeys and the
   * flow comes back with a trigger for them.
   * @throws FlowValidationError 4000006 (any failed check), 4000013 (no key), 4000015 (unknown account)
   */
  async login(ctx: Ctx, flow: LoginFlow, body: Readonly<Record<string, unknown>>, flowContext: LoginContext): Promise<LoginOutcome> {
    if (!isResponsible(body, ['webauthn_login'])) return { kind: 'not_responsible' };
    if (flow.requestedAal !== 'aal2' && !this.passwordless) return { kind: 'not_responsible' };
    check(validators.login(), body);
    const raw = body.webauthn_login;
    const state = ceremonyState(flow);

    if (flow.requestedAal === 'aal2') {
      const identity = flowContext.session?.identity;
      if (!identity) throw new FlowValidationError([messages.invalidCredentials()]);
      const keys = storedKeys(identity).filter((k) => !k.is_passwordless);
      if (keys.length === 0) throw new FlowValidationError([messages.noWebAuthnDevice()]);
      if (!hasValue(raw)) throw new FlowValidationError([], { webauthn_login: [messages.validationRequired('webauthn_login')] });
      if (!state || state.identity_id !== identity.id) throw new FlowValidationError([messages.invalidCredentials()]);
      const verified = await this.verifyAssertion(ctx, flow, identity, (k) => !k.is_passwordless, parseJson<AuthenticationResponseJSON>(raw), state, false);
      return { kind: 'authenticated', identity: verified, method: 'webauthn', aal: 'aal2' };
    }

    if (!hasValue(raw)) return { kind: 'flow_updated', flow: await this.identifierStep(ctx, flow, String(body.identifier ?? '')) };
    if (!state) throw new FlowValidationError([messages.invalidCredentials()]);
    const response = parseJson<AuthenticationResponseJSON>(raw);
    const identity = await this.passkeyOwner(ctx, response, state);
    if (!identity) throw new FlowValidationError([messages.invalidCredentials()]);
    if (flow.refresh && flowContext.session && flowContext.session.identity.id !== identity.id) throw new FlowValidationError([messages.invalidCredentials()]);
    const verified = await this.verifyAssertion(ctx, flow, identity, (k) => k.is_passwordless, response, state, true);
    return { kind: 'authenticated', identity: verified, method: 'webauthn', aal: 'aal1' };
  }

  /** Kratos's passwordless step 1: the flow again, reduced to a trigger for the account's passkeys. */
  private async identifierStep(ctx: Ctx, flow: LoginFlow, identifier: string): Promise<LoginFlow> {
    if (!identifier.trim()) throw new FlowValidationError([], { identifier: [messages.validationRequired('identifier')] });
    const identity = await this.deps.privilegedIdentityPool.findByCredentialsIdentifier(ctx, 'webauthn', identifier);
    const keys = identity ? storedKeys(identity).filter((k) => k.is_passwordless) : [];
    if (!identity || keys.length === 0) throw new FlowValidationError([messages.noWebAuthnUser()]);
    const { options, state } = await this.loginCeremony(keys, 'required', identity.id);
    const csrf = flow.ui.nodes.filter((n) => (n.attributes as { name?: string }).name === 'csrf_token');
    const nodes = [...csrf, inputNode('default', 'identifier', 'hidden', { value: identifier, required: true }), ...this.loginNodes(options, messages.webauthnContinue())];
    return {
      ...flow,
      active: this.id,
      updatedAt: this.deps.clock.now(),
      internalContext: { ...flow.internalContext, [this.id]: state },
      ui: { ...flow.ui, nodes, messages: [messages.webauthnPasswordlessPrepare()] },
    };
  }

  /** The account a passkey assertion is for: the ceremony's bound identity, or the user handle's. */
  private async passkeyOwner(ctx: Ctx, response: AuthenticationResponseJSON, state: CeremonyState): Promise<Identity | undefined> {
    const handle = typeof response.response?.userHandle === 'string' && response.response.userHandle !== '' ? bytesToUuid(fromB64(response.response.userHandle)) : undefined;
    if (state.identity_id && handle && handle !== state.identity_id) return undefined;
    const id = state.identity_id ?? handle;
    if (!id) return undefined;
    const identity = await this.deps.privilegedIdentityPool.get(ctx, id);
    const stored = identity?.credentials.webauthn?.config.user_handle;
    if (!identity || (typeof stored === 'string' && stored !== b64(uuidToBytes(identity.id)))) return undefined;
    return identity;
  }

  private loginNodes(options: unknown, label: UiText): UiNode[] {
    return [
      this.script,
      webAuthnTriggerNode('webauthn_login_trigger', '__oryWebAuthnLogin', options, label),
      inputNode('webauthn', 'webauthn_login', 'hidden', { value: '' }),
    ];
  }

  private async loginCeremony(keys: readonly StoredWebAuthnKey[], userVerification: 'required' | 'discouraged', identityId?: string): Promise<{ options: unknown; state: CeremonyState }> {
    const challenge = randomBytes(32);
    const json = await simpleWebAuthn().generateAuthenticationOptions({
      rpID: this.rp.id,
      challenge,
      timeout: TIMEOUT_MS,
      userVerification,
      allowCredentials: keys.map((k) => ({ id: keyUrlId(k), ...(k.transports ? { transports: [...k.transports] } : {}) })),
    });
    const publicKey = {
      ...json,
      challenge: toStdBase64(json.challenge),
      ...(json.allowCredentials?.length ? { allowCredentials: json.allowCredentials.map((c) => ({ ...c, id: toStdBase64(c.id) })) } : { allowCredentials: undefined }),
    };
    return { options: { publicKey }, state: { challenge: json.challenge, ...(identityId ? { identity_id: identityId } : {}) } };
  }

  /**
   * Checks an assertion against one of the identity's keys (`usable`) and stores the new signature
   * counter. One transaction holds the flow's and the identity's row locks: the ceremony's challenge must
   * still be in the stored flow and is spent there, and the counter is compared with the stored one, so
   * of parallel submissions of one assertion exactly one passes. A counter that did not move forward
   * marks the key with `clone_warning` and is refused.
   */
  private async verifyAssertion(
    ctx: Ctx,
    flow: LoginFlow,
    identity: Identity,
    usable: (key: StoredWebAuthnKey) => boolean,
    response: AuthenticationResponseJSON,
    state: CeremonyState,
    requireUserVerification: boolean,
  ): Promise<Identity> {
    let cloned: StoredWebAuthnKey | undefined;
    try {
      return await this.deps.transactions.withTransaction(ctx, async (ctx) => {
        cloned = undefined;
        const current = await this.deps.flowStore.getForUpdate(ctx, 'login', flow.id);
        if (!current || ceremonyState(current)?.challenge !== state.challenge) throw new FlowValidationError([messages.invalidCredentials()]);
        const fresh = await this.deps.privilegedIdentityPool.getForUpdate(ctx, identity.id);
        const key = fresh && storedKeys(fresh).filter(usable).find((k) => keyUrlId(k) === response.rawId || keyUrlId(k) === response.id);
        if (!fresh || !key) throw new FlowValidationError([messages.invalidCredentials()]);
        let newCounter: number;
        try {
          const result = await simpleWebAuthn().verifyAuthenticationResponse({
            response: { ...response, clientExtensionResults: response.clientExtensionResults ?? {} },
            expectedChallenge: state.challenge,
            expectedOrigin: [...this.rp.origins],
            expectedRPID: this.rp.id,
            requireUserVerification,
            credential: { id: keyUrlId(key), publicKey: new Uint8Array(fromB64(key.public_key)), counter: key.authenticator.sign_count, ...(key.transports ? { transports: [...key.transports] as never } : {}) },
          });
          if (!result.verified) throw new Error('signature verification failed');
          newCounter = result.authenticationInfo.newCounter;
        } catch (error) {
          const reason = (error as Error).message;
          ctx.logger.info({ identity_id: identity.id, reason }, 'webauthn assertion refused');
          if (/counter/i.test(reason)) cloned = key;
          throw new FlowValidationError([messages.invalidCredentials()]);
        }
        const { [this.id]: _spent, ...internalContext } = current.internalContext;
        await this.deps.flowStore.update(ctx, { ...current, internalContext });
        return this.saveKey(ctx, fresh, { ...key, authenticator: { ...key.authenticator, sign_count: newCounter } });
      });
    } catch (error) {
      // The refused attempt rolled back; the clone warning is stored on its own.
      const warned = cloned;
      if (warned) {
        await this.deps.transactions.withTransaction(ctx, async (ctx) => {
          const fresh = await this.deps.privilegedIdentityPool.getForUpdate(ctx, identity.id);
          const key = fresh && storedKeys(fresh).find((k) => k.id === warned.id);
          if (fresh && key) await this.saveKey(ctx, fresh, { ...key, authenticator: { ...key.authenticator, clone_warning: true } });
        });
      }
      throw error;
    }
  }

  private async saveKey(ctx: Ctx, identity: Identity, key: StoredWebAuthnKey): Promise<Identity> {
    const keys = storedKeys(identity).map((k) => (k.id === key.id ? key : k));
    const updated = withKeys(identity, keys, identity.credentials.webauthn?.identifiers ?? [], this.deps.clock.now());
    await this.deps.privilegedIdentityPool.update(ctx, updated);
    return updated;
  }

  // --- registration ----------------------------------------------------------------------------

  /** Only with passkeys: sign-up without a password (the new identity's id is fixed now, as the user handle). */
  async populateRegistration(): Promise<UiNode[] | RegistrationPopulation> {
    if (!this.passwordless) return [];
    const userId = randomUUID();
    const { options, challenge } = await this.registrationCeremony(userId, '', []);
    const schema = this.deps.identitySchemas.find(this.deps.config.identity.default_schema_id)?.schema ?? {};
    // With passwords on, the password method renders the traits (in the default group, see there).
    const traits = this.deps.config.selfservice.methods.password.enabled ? [] : traitNodes(schema, 'default');
    return { nodes: [...traits, ...this.registrationNodes(options, messages.webauthnRegistrationButton())], internalContext: { challenge, identity_id: userId } satisfies CeremonyState };
  }

  /**
   * Creates an identity whose only credential is a passkey (`webauthn_register`), traits validated as
   * for passwords; the identity gets the id that was the ceremony's user handle.
   * @throws FlowValidationError trait violations, 4000009 (no webauthn identifier in the schema), 4000001 (attestation refused)
   */
  async register(ctx: Ctx, flow: RegistrationFlow, body: Readonly<Record<string, unknown>>, _ctx: RegistrationContext): Promise<RegistrationOutcome> {
    if (!isResponsible(body, ['webauthn_register']) || !this.passwordless) return { kind: 'not_responsible' };
    check(validators.registration(), body);
    const state = ceremonyState(flow);
    const schemaId = this.deps.config.identity.default_schema_id;
    const traits = (body.traits ?? {}) as Record<string, unknown>;
    const byNode: Record<string, UiText[]> = {};
    let ext;
    try {
      ext = this.deps.identitySchemas.validateTraits(schemaId, traits);
    } catch (e) {
      if (!(e instanceof TraitsValidationError)) throw e;
      Object.assign(byNode, traitViolations(e));
    }
    if (!hasValue(body.webauthn_register)) (byNode.webauthn_register ??= []).push(messages.validationRequired('webauthn_register'));
    if (!ext || Object.keys(byNode).length > 0) throw new FlowValidationError([], byNode);
    if ((ext.identifiers.get('webauthn') ?? []).length === 0) throw new FlowValidationError([messages.identifierMissing()]);
    if (!state?.identity_id) throw new FlowValidationError([messages.validationGeneric('The WebAuthn ceremony of this flow was already used or never started. Please retry the flow.')]);
    const key = await this.verifyAttestation(parseJson<RegistrationResponseJSON>(body.webauthn_register), state, true, displayName(body));
    const now = this.deps.clock.now();
    const draft = newIdentity({ schemaId, traits, ext, credentials: [], now });
    const identity = withKeys({ ...draft, id: state.identity_id }, [key], ext.identifiers.get('webauthn') ?? [], now);
    return { kind: 'registered', identity, method: 'webauthn', aal: 'aal1' };
  }

  // --- settings --------------------------------------------------------------------------------

  /** A remove button per key, then the fields and trigger to add one (passkey or second factor, by config). */
  async populateSettings(_flow: SettingsFlow, identity: Identity): Promise<UiNode[] | SettingsPopulation> {
    const keys = storedKeys(identity);
    const { options, challenge } = await this.registrationCeremony(identity.id, accountName(identity), keys);
    const remove = keys.map((k) =>
      inputNode('webauthn', 'webauthn_remove', 'submit', { value: keyHexId(k), label: messages.webauthnRemoveKey(k.display_name, new Date(k.added_at)) }),
    );
    return { nodes: [...remove, ...this.registrationNodes(options, messages.webauthnAddKey())], internalContext: { challenge } satisfies CeremonyState };
  }

  /**
   * Adds a key (`webauthn_register` + `webauthn_register_displayname`) or removes one
   * (`webauthn_remove=<hex id>`). Privileged session required. The last credential the identity can
   * sign in with is never removed.
   * @throws FlowValidationError / OryError 400 (message 4000001) for a refused attestation, an unknown key or a lock-out
   */
  async settings(ctx: Ctx, flow: SettingsFlow, body: Readonly<Record<string, unknown>>, flowContext: SettingsContext): Promise<SettingsOutcome> {
    // Kratos: a key to register or remove makes the body this method's, whatever `method` says.
    if (body.method !== 'webauthn' && !hasValue(body.webauthn_register) && !hasValue(body.webauthn_remove)) return { kind: 'not_responsible' };
    check(validators.settings(), { ...body, method: 'webauthn' });
    if (!hasValue(body.webauthn_remove) && !hasValue(body.webauthn_register)) {
      throw new FlowValidationError([], { webauthn_register: [messages.validationRequired('webauthn_register')] });
    }
    flowContext.requirePrivileged();
    const identity = flowContext.session.identity;
    const keys = storedKeys(identity);
    const identifiers = this.deps.identitySchemas.validateTraits(identity.schemaId, identity.traits).identifiers.get('webauthn') ?? [];
    const now = this.deps.clock.now();

    if (hasValue(body.webauthn_remove)) {
      const hex = String(body.webauthn_remove).toLowerCase();
      const key = keys.find((k) => keyHexId(k) === hex);
      if (!key) throw badRequest('You tried to remove a WebAuthn credential which does not exist.');
      if (!canSignInWithout(identity, key)) throw badRequest('Unable to remove this security key because it would lock you out of your account.');
      return { kind: 'updated', identity: withKeys(identity, keys.filter((k) => k.id !== key.id), identifiers, now) };
    }

    const state = ceremonyState(flow);
    if (!state) throw new FlowValidationError([messages.validationGeneric('The WebAuthn ceremony of this flow was already used or never started. Please retry the flow.')]);
    const key = await this.verifyAttestation(parseJson<RegistrationResponseJSON>(body.webauthn_register), state, this.passwordless, displayName(body));
    if (keys.some((k) => k.id === key.id)) throw badRequest('This security key is already registered.');
    return { kind: 'updated', identity: withKeys(identity, [...keys, key], identifiers, now) };
  }

  private registrationNodes(options: unknown, label: UiText): UiNode[] {
    return [
      inputNode('webauthn', 'webauthn_register_displayname', 'text', { value: '', label: messages.webauthnDisplayNameLabel() }),
      inputNode('webauthn', 'webauthn_register', 'hidden', { value: '' }),
      webAuthnTriggerNode('webauthn_register_trigger', '__oryWebAuthnRegistration', options, label),
      this.script,
    ];
  }

  /** Creation options for user handle `userId`: passkeys demand a discoverable credential and user verification. */
  private async registrationCeremony(userId: string, userName: string, exclude: readonly StoredWebAuthnKey[]): Promise<{ options: unknown; challenge: string }> {
    const passkey = this.passwordless;
    const json = await simpleWebAuthn().generateRegistrationOptions({
      rpName: this.rp.displayName,
      rpID: this.rp.id,
      userID: uuidToBytes(userId),
      userName,
      userDisplayName: userName,
      challenge: randomBytes(32),
      timeout: TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: exclude.map((k) => ({ id: keyUrlId(k) })),
      authenticatorSelection: passkey ? { residentKey: 'required', requireResidentKey: true, userVerification: 'required' } : { residentKey: 'discouraged', requireResidentKey: false, userVerification: 'discouraged' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    const publicKey = {
      ...json,
      challenge: toStdBase64(json.challenge),
      user: { ...json.user, id: toStdBase64(json.user.id) },
      excludeCredentials: (json.excludeCredentials ?? []).map((c) => ({ ...c, id: toStdBase64(c.id) })),
    };
    return { options: { publicKey }, challenge: json.challenge };
  }

  /** Verifies an attestation (any format the library knows: none, packed, ...) and returns the key to store. */
  private async verifyAttestation(response: RegistrationResponseJSON, state: CeremonyState, passkey: boolean, name: string): Promise<StoredWebAuthnKey> {
    try {
      const result = await simpleWebAuthn().verifyRegistrationResponse({
        response: { ...response, clientExtensionResults: response.clientExtensionResults ?? {} },
        expectedChallenge: state.challenge,
        expectedOrigin: [...this.rp.origins],
        expectedRPID: this.rp.id,
        requireUserPresence: true,
        requireUserVerification: passkey,
        supportedAlgorithmIDs: ALGORITHMS,
      });
      if (!result.verified) throw new Error('the attestation could not be verified');
      const info = result.registrationInfo;
      const transports = info.credential.transports ?? response.response?.transports;
      return {
        id: b64(Buffer.from(info.credential.id, 'base64url')),
        public_key: b64(info.credential.publicKey),
        attestation_type: info.fmt,
        authenticator: { aaguid: b64(uuidToBytes(info.aaguid)), sign_count: info.credential.counter, clone_warning: false },
        display_name: name,
        added_at: this.deps.clock.now().toISOString(),
        is_passwordless: passkey,
        ...(transports?.length ? { transports: [...transports] } : {}),
      };
    } catch (error) {
      throw new FlowValidationError([messages.validationGeneric(`Unable to verify the WebAuthn response: ${(error as Error).message}`)]);
    }
  }
}

/** `method: webauthn`, or (a script submit sends no button value) no method and a ceremony result. */
function isResponsible(body: Readonly<Record<string, unknown>>, resultFields: readonly string[]): boolean {
  if (body.method === 'webauthn') return true;
  return (body.method === undefined || body.method === '') && resultFields.some((f) => hasValue(body[f]));
}

function hasValue(v: unknown): boolean {
  return (typeof v === 'string' && v.trim() !== '') || (typeof v === 'object' && v !== null);
}

function check(validate: ValidateFunction, body: Readonly<Record<string, unknown>>): void {
  if (validate(body)) return;
  const e = validate.errors?.[0];
  const path = (e?.instancePath ?? '').replace(/^\//, '').split('/').join('.');
  throw new FlowValidationError([messages.validationGeneric(`${path ? `${path}: ` : ''}${e?.message ?? 'is invalid'}`)]);
}

/** The ceremony result: a JSON string (webauthn.js) or, from JSON clients, the object itself. */
function parseJson<T>(raw: unknown): T {
  if (typeof raw === 'object' && raw !== null) return raw as T;
  try {
    const parsed: unknown = JSON.parse(String(raw));
    if (typeof parsed === 'object' && parsed !== null) return parsed as T;
  } catch {
    // fall through
  }
  throw new FlowValidationError([messages.validationGeneric('Unable to parse the WebAuthn response: it must be the JSON produced by webauthn.js.')]);
}

function ceremonyState(flow: { readonly internalContext: Readonly<Record<string, unknown>> }): CeremonyState | undefined {
  const s = flow.internalContext.webauthn as CeremonyState | undefined;
  return s && typeof s.challenge === 'string' ? s : undefined;
}

function displayName(body: Readonly<Record<string, unknown>>): string {
  const name = typeof body.webauthn_register_displayname === 'string' ? body.webauthn_register_displayname.trim() : '';
  return name || 'Security key';
}

/** The name authenticators show for the account: its WebAuthn (else password) identifier, else its id. */
function accountName(identity: Identity): string {
  return identity.credentials.webauthn?.identifiers[0] ?? identity.credentials.password?.identifiers[0] ?? identity.id;
}
