import { badRequest } from '../../http/errors';
import type { RecoveryFlow, SettingsFlow, VerificationFlow } from './flow';

/** @throws OryError 400 `self_service_flow_state_invalid` naming both states. */
export function assertState<S extends string>(flow: { state: S }, ...allowed: S[]): void {
  if (!allowed.includes(flow.state)) {
    throw badRequest(`The flow is in state "${flow.state}" but this action needs one of: ${allowed.join(', ')}.`).withId('self_service_flow_state_invalid');
  }
}

/** choose_method | sent_email → sent_email: a code or link was mailed. */
export function markCodeSent<F extends RecoveryFlow | VerificationFlow>(flow: F, now: Date): F {
  assertState(flow, 'choose_method', 'sent_email');
  return { ...flow, state: 'sent_email', updatedAt: now };
}

/** sent_email → passed_challenge: the code or link was valid. Clears the wrong-try counter. */
export function passChallenge<F extends RecoveryFlow | VerificationFlow>(flow: F, now: Date): F {
  assertState(flow, 'sent_email');
  return { ...flow, state: 'passed_challenge', internalContext: { ...flow.internalContext, failed_attempts: 0 }, updatedAt: now };
}

/** show_form | success → success: the settings were saved. */
export function markSettingsSaved(flow: SettingsFlow, now: Date): SettingsFlow {
  assertState(flow, 'show_form', 'success');
  return { ...flow, state: 'success', updatedAt: now };
}
