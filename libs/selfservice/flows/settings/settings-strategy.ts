import type { Identity } from '../../../identity';
import type { ActiveSession } from '../../../session';
import type { FlowRequester, SettingsFlow, UiNode } from '../../flow';
import type { Ctx } from '../../../x';

export interface SettingsContext {
  readonly requester: FlowRequester;
  readonly session: ActiveSession;
  /**
   * Demands a recent login for sensitive changes (credentials, protected traits).
   * @throws OryError 403 `session_refresh_required` with `redirect_browser_to`
   */
  requirePrivileged(): void;
}

/** The result of one settings method on a submission. */
export type SettingsOutcome =
  | { readonly kind: 'not_responsible' }
  /** The changed identity, not yet stored: the service stores it and re-renders the form. */
  | { readonly kind: 'updated'; readonly identity: Identity }
  /**
   * Only the flow changed (codes shown for confirmation, a challenge issued): the service stores it and
   * answers with it; the identity and the flow state stay as they are.
   */
  | { readonly kind: 'flow_updated'; readonly flow: SettingsFlow };

/**
 * What a method adds to a settings flow when it is rendered: its nodes and, optionally, state kept on
 * the server between render and submit (a TOTP key awaiting confirmation, a WebAuthn challenge). The
 * service stores `internalContext` under `flow.internalContext[settingsMethod]`, replacing what the
 * method kept there before; `undefined` removes it. It never goes on the wire.
 */
export interface SettingsPopulation {
  readonly nodes: readonly UiNode[];
  readonly internalContext?: Readonly<Record<string, unknown>>;
}

/**
 * A settings method (profile, password; later totp, lookup_secret, webauthn, oidc). `id` is the
 * `method` value it answers to. This is the extension point for the second-factor issues.
 */
export interface SettingsStrategy {
  readonly settingsMethod: string;
  /** The method's nodes for `identity`; return a `SettingsPopulation` to keep server-side state in the flow. */
  populateSettings(flow: SettingsFlow, identity: Identity): Promise<UiNode[] | SettingsPopulation>;
  settings(ctx: Ctx, flow: SettingsFlow, body: Readonly<Record<string, unknown>>, flowContext: SettingsContext): Promise<SettingsOutcome>;
}

export interface SettingsStrategiesProvider {
  readonly settingsStrategies: readonly SettingsStrategy[];
}
