import { FlowValidationError, messages } from '../flow';
import type { LoginPostHook } from '../flows/login/login-hooks';

/** The login methods whose first factor does not prove an address (a code login does). */
const GUARDED_METHODS = new Set(['password', 'webauthn']);

/**
 * The `require_verified_address` login hook (Kratos `AddressVerifier`): a password or WebAuthn login
 * is refused with message 4000010 until one of the identity's verifiable addresses is verified. It
 * runs inside the login transaction, so the refused login leaves no session behind. An identity with
 * no verifiable address at all is refused too (Kratos answers that misconfiguration with a 500).
 */
export class RequireVerifiedAddressHook implements LoginPostHook {
  readonly name = 'require_verified_address';

  async execute(input: Parameters<LoginPostHook['execute']>[0]): Promise<void> {
    // Only first factors: a second step (aal2) follows a first factor that passed this hook already.
    if (input.flow.requestedAal !== 'aal1' || !GUARDED_METHODS.has(input.flow.active ?? '')) return;
    if (input.identity.verifiableAddresses.some((a) => a.verified)) return;
    throw new FlowValidationError([messages.addressNotVerified()]);
  }
}
