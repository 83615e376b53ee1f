import type { Identity } from '../../../identity';
import type { Aal, AuthenticationMethodName, DeviceInfo, Session } from '../../../session';
import type { Transaction } from '../../../x';
import type { RegistrationFlow } from '../../flow';
import type { SentVerification } from '../settings/settings-service';

/** What a registration hook may add to the result (the service merges the hooks' results). */
export interface RegistrationHookResult {
  readonly session?: Session;
  readonly token?: string;
  /** Verification flows mailed for the new addresses (the verification sender). */
  readonly verificationFlows?: readonly SentVerification[];
  /** Set by `show_verification_ui`: continue with the first verification flow. */
  readonly showVerificationUi?: boolean;
}

/**
 * A step run after the identity is stored, inside the same transaction (Kratos `PostRegistrationPostPersistHook`).
 * Invariant: it acts only through `tx` (mails are courier rows), since a deadlocked transaction runs again.
 */
export interface RegistrationPostHook {
  readonly name: string;
  execute(input: {
    readonly flow: RegistrationFlow;
    readonly identity: Identity;
    readonly method: AuthenticationMethodName;
    readonly aal: Aal;
    readonly device: DeviceInfo;
    readonly tx: Transaction;
  }): Promise<RegistrationHookResult>;
}

export interface RegistrationHooksProvider {
  registrationPostHooks(method: string): readonly RegistrationPostHook[];
}
