import { OryError } from '../../http/errors';
import { FixedClock } from '../../x';
import type { ChallengeState, RecoveryFlow, SettingsFlow, SettingsState } from './flow';
import { markCodeSent, markSettingsSaved, passChallenge } from './transitions';

const clock = new FixedClock();
const base = {
  id: 'f',
  type: 'api' as const,
  issuedAt: new Date(0),
  expiresAt: new Date(0),
  createdAt: new Date(0),
  updatedAt: new Date(0),
  requestUrl: 'http://x/self-service/recovery/api',
  csrfToken: '',
  internalContext: { failed_attempts: 3 },
  ui: { action: 'http://x/self-service/recovery?flow=f', method: 'POST' as const, nodes: [], messages: [] },
};
const recovery = (state: ChallengeState): RecoveryFlow => ({ ...base, kind: 'recovery', state });
const settings = (state: SettingsState): SettingsFlow => ({ ...base, kind: 'settings', state, identityId: 'i' });

/** The error a refused transition throws (fails the test when the transition went through). */
function refusal(run: () => unknown): OryError {
  try {
    run();
  } catch (e) {
    if (e instanceof OryError) return e;
    throw e;
  }
  throw new Error('expected the transition to be refused');
}

describe('flow state machines: every (state, transition) pair', () => {
  const transitions = { markCodeSent, passChallenge };

  // Recovery/verification: choose_method → sent_email → passed_challenge; sent_email → sent_email (resend).
  it.each<[ChallengeState, keyof typeof transitions, ChallengeState, number]>([
    ['choose_method', 'markCodeSent', 'sent_email', 3],
    ['sent_email', 'markCodeSent', 'sent_email', 3],
    ['sent_email', 'passChallenge', 'passed_challenge', 0],
  ])('challenge flow in %s: %s → %s (failed_attempts %s)', (from, transition, to, failedAttempts) => {
    const next = transitions[transition](recovery(from), clock.now());
    expect(next).toMatchObject({ state: to, updatedAt: clock.now(), kind: 'recovery', internalContext: { failed_attempts: failedAttempts } });
  });

  it.each<[ChallengeState, keyof typeof transitions]>([
    ['passed_challenge', 'markCodeSent'],
    ['choose_method', 'passChallenge'],
    ['passed_challenge', 'passChallenge'],
  ])('challenge flow in %s: %s is refused with 400 self_service_flow_state_invalid', (from, transition) => {
    const error = refusal(() => transitions[transition](recovery(from), clock.now()));
    expect([error.code, error.id]).toEqual([400, 'self_service_flow_state_invalid']);
    expect(error.reason).toContain(`"${from}"`);
  });

  // Settings: show_form → success → success (saving again).
  it.each<SettingsState>(['show_form', 'success'])('settings flow in %s: markSettingsSaved → success', (from) => {
    expect(markSettingsSaved(settings(from), clock.now())).toMatchObject({ state: 'success', updatedAt: clock.now(), identityId: 'i' });
  });
});
