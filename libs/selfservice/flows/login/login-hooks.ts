import type { Identity } from '../../../identity';
import type { Session } from '../../../session';
import type { Transaction } from '../../../x';
import type { LoginFlow } from '../../flow';

/**
 * A step run after a successful login, inside the login's transaction (Kratos `PostLoginHook`).
 * Invariant: it acts only through `tx` (mails are courier rows), since a deadlocked transaction runs again.
 */
export interface LoginPostHook {
  readonly name: string;
  execute(input: { readonly flow: LoginFlow; readonly identity: Identity; readonly session: Session; readonly tx: Transaction }): Promise<void>;
}

/** The hooks for a method: the method's list replaces the flow-wide list when configured. */
export interface LoginHooksProvider {
  loginPostHooks(method: string): readonly LoginPostHook[];
}
