import type { CredentialsType, Identity } from '../../../identity';
import type { Aal, AuthenticationMethodName } from '../../../session';
import type { FlowRequester, RegistrationFlow, UiNode } from '../../flow';

export interface RegistrationContext {
  readonly requester: FlowRequester;
}

/** The result of one strategy on a registration submission. */
export type RegistrationOutcome =
  | { readonly kind: 'not_responsible' }
  /** A new, validated identity, not yet stored; the service stores it and runs the hooks. */
  | { readonly kind: 'registered'; readonly identity: Identity; readonly method: AuthenticationMethodName; readonly aal: Aal }
  /**
   * The flow to show again (400). `stored`: the strategy already wrote it in the transaction that checked
   * it (counters read-checked-written under the flow's row lock); the service must not write it again.
   */
  | { readonly kind: 'flow_updated'; readonly flow: RegistrationFlow; readonly stored?: boolean };

/**
 * What a method adds to a new registration flow: its nodes and, optionally, server-side state (a
 * WebAuthn challenge) that the service keeps under `flow.internalContext[id]` and drops once the flow
 * completed with this method. It never goes on the wire.
 */
export interface RegistrationPopulation {
  readonly nodes: readonly UiNode[];
  readonly internalContext?: Readonly<Record<string, unknown>>;
}

/** A registration method (architecture B5). */
export interface RegistrationStrategy {
  readonly id: CredentialsType;
  populateRegistration(flow: RegistrationFlow, ctx: RegistrationContext): Promise<UiNode[] | RegistrationPopulation>;
  register(flow: RegistrationFlow, body: Readonly<Record<string, unknown>>, ctx: RegistrationContext): Promise<RegistrationOutcome>;
}

export interface RegistrationStrategiesProvider {
  readonly registrationStrategies: readonly RegistrationStrategy[];
}
