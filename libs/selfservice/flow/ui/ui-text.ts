/** A Kratos UI message (`text.Message`): numeric id, English text, info or error, optional context. */
export interface UiText {
  readonly id: number;
  readonly text: string;
  readonly type: 'info' | 'error';
  readonly context?: Readonly<Record<string, unknown>>;
}

const info = (id: number, text: string, context?: Record<string, unknown>): UiText => ({ id, text, type: 'info', ...(context ? { context } : {}) });
const error = (id: number, text: string, context?: Record<string, unknown>): UiText => ({ id, text, type: 'error', ...(context ? { context } : {}) });

/** The message catalog (ids and wording from Kratos `text/id.go`, `text/message_*.go`). */
export const messages = {
  loginButton: (): UiText => info(1010001, 'Sign in', {}),
  loginReAuth: (): UiText => info(1010003, 'Please confirm this action by verifying that it is you.', {}),
  loginMfa: (): UiText => info(1010004, 'Please complete the second authentication challenge.', {}),
  registrationButton: (): UiText => info(1040001, 'Sign up', {}),
  labelPassword: (): UiText => info(1070001, 'Password'),
  labelGenerated: (title: string): UiText => info(1070002, title),
  labelSave: (): UiText => info(1070003, 'Save'),
  labelId: (): UiText => info(1070004, 'ID'),
  validationGeneric: (reason: string): UiText => error(4000001, reason),
  validationRequired: (property: string): UiText => error(4000002, `Property ${property} is missing.`, { property }),
  passwordPolicy: (reason: string): UiText => error(4000005, `The password can not be used because ${reason}.`, { reason }),
  invalidCredentials: (): UiText =>
    error(4000006, 'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.', {}),
  duplicateCredentials: (): UiText =>
    error(4000007, 'An account with the same identifier (email, phone, username, ...) exists already.', {}),
  identifierMissing: (): UiText => error(4000009, 'Could not find any login identifiers. Did you forget to set them? This could also be caused by a server misconfiguration.', {}),
  loginExpired: (minutes: number, expiredAt: Date): UiText =>
    error(4010001, `The login flow expired ${minutes.toFixed(2)} minutes ago, please try again.`, { expired_at: expiredAt.toISOString() }),
  noLoginStrategy: (): UiText => error(4010002, 'Could not find a strategy to log you in with. Did you fill out the form correctly?'),
  noRegistrationStrategy: (): UiText => error(4010003, 'Could not find a strategy to sign you up with. Did you fill out the form correctly?'),
  registrationExpired: (minutes: number, expiredAt: Date): UiText =>
    error(4040001, `The registration flow expired ${minutes.toFixed(2)} minutes ago, please try again.`, { expired_at: expiredAt.toISOString() }),
  systemGeneric: (reason: string): UiText => error(5000001, reason, {}),
};
