import type { CredentialsType, Identity } from '../../../identity';
import type { Aal, ActiveSession, AuthenticationMethodName } from '../../../session';
import type { LoginFlow, FlowRequester, UiNode } from '../../flow';

/** What a login strategy sees besides the flow and body. */
export interface LoginContext {
  readonly requester: FlowRequester;
  /** The caller's valid session, if any (refresh and second-factor steps). */
  readonly session?: ActiveSession;
}

/** The result of one strategy on a submission (architecture B5). */
export type LoginOutcome =
  | { readonly kind: 'not_responsible' }
  | { readonly kind: 'authenticated'; readonly identity: Identity; readonly method: AuthenticationMethodName; readonly aal: Aal }
  /**
   * The flow to show again (400). `stored`: the strategy already wrote it in the transaction that checked
   * it (counters read-checked-written under the flow's row lock); the service must not write it again.
   */
  | { readonly kind: 'flow_updated'; readonly flow: LoginFlow; readonly stored?: boolean };

/**
 * What a method adds to a new login flow: its nodes and, optionally, state kept on the server until the
 * flow is submitted (a WebAuthn challenge). The service stores `internalContext` under
 * `flow.internalContext[id]` and drops it once the flow completed with this method (state is single
 * use). It never goes on the wire.
 */
export interface LoginPopulation {
  readonly nodes: readonly UiNode[];
  readonly internalContext?: Readonly<Record<string, unknown>>;
}

/**
 * A login method. `populate` returns the nodes the method adds to a new flow; `submit` answers
 * `not_responsible` unless `body.method` is its id, and throws `FlowValidationError` for form mistakes.
 */
export interface LoginStrategy {
  readonly id: CredentialsType;
  populateLogin(flow: LoginFlow, ctx: LoginContext): Promise<UiNode[] | LoginPopulation>;
  login(flow: LoginFlow, body: Readonly<Record<string, unknown>>, ctx: LoginContext): Promise<LoginOutcome>;
}

export interface LoginStrategiesProvider {
  readonly loginStrategies: readonly LoginStrategy[];
}
