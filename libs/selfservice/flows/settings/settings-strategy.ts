import type { Identity } from '../../../identity';
import type { ActiveSession } from '../../../session';
import type { FlowRequester, SettingsFlow, UiNode } from '../../flow';

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
  | { readonly kind: 'updated'; readonly identity: Identity };

/**
 * A settings method (profile, password; later totp, lookup_secret, webauthn, oidc). `id` is the
 * `method` value it answers to. This is the extension point for the second-factor issues.
 */
export interface SettingsStrategy {
  readonly settingsMethod: string;
  populateSettings(flow: SettingsFlow, identity: Identity): Promise<UiNode[]>;
  settings(flow: SettingsFlow, body: Readonly<Record<string, unknown>>, ctx: SettingsContext): Promise<SettingsOutcome>;
}

export interface SettingsStrategiesProvider {
  readonly settingsStrategies: readonly SettingsStrategy[];
}
