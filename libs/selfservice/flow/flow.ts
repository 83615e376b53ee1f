import type { Aal } from '../../session';
import type { UiContainer } from './ui/ui-node';

export type FlowKind = 'login' | 'registration' | 'settings' | 'recovery' | 'verification';
export type FlowType = 'api' | 'browser';

/**
 * What every self-service flow has (architecture B4). `csrfToken` and `internalContext` never go on
 * the wire. Flows are persisted as one document and replaced, never mutated in place.
 */
export interface BaseFlow {
  readonly id: string;
  readonly kind: FlowKind;
  readonly type: FlowType;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The full URL of the init request, as the client saw it. */
  readonly requestUrl: string;
  readonly returnTo?: string;
  /** The credentials type last used on this flow. */
  readonly active?: string;
  readonly ui: UiContainer;
  /** The raw CSRF token (browser flows); compared with the cookie on submit. */
  readonly csrfToken: string;
  readonly internalContext: Readonly<Record<string, unknown>>;
}

export interface LoginFlow extends BaseFlow {
  readonly kind: 'login';
  readonly refresh: boolean;
  readonly requestedAal: Aal;
  /** Set when the flow was started for an OAuth2 authorization (`?login_challenge=`). */
  readonly oauth2LoginChallenge?: string;
}

export interface RegistrationFlow extends BaseFlow {
  readonly kind: 'registration';
  /** Set when the flow was started for an OAuth2 authorization (`?login_challenge=`). */
  readonly oauth2LoginChallenge?: string;
}

/** Settings flow states (Kratos `show_form` → `success`). */
export type SettingsState = 'show_form' | 'success';

export interface SettingsFlow extends BaseFlow {
  readonly kind: 'settings';
  readonly state: SettingsState;
  /** The identity the flow belongs to; only a session of this identity may use it. */
  readonly identityId: string;
}

/** Recovery and verification states (Kratos `choose_method` → `sent_email` → `passed_challenge`). */
export type ChallengeState = 'choose_method' | 'sent_email' | 'passed_challenge';

export interface RecoveryFlow extends BaseFlow {
  readonly kind: 'recovery';
  readonly state: ChallengeState;
}

export interface VerificationFlow extends BaseFlow {
  readonly kind: 'verification';
  readonly state: ChallengeState;
}

export type AnyFlow = LoginFlow | RegistrationFlow | SettingsFlow | RecoveryFlow | VerificationFlow;
