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
  settingsSaved: (): UiText => info(1050001, 'Your changes have been saved!', {}),
  recoverySuccess: (minutes: number, expiresAt: Date): UiText =>
    info(1060001, `You successfully recovered your account. Please change your password or set up an alternative login method (e.g. social sign in) within the next ${minutes.toFixed(2)} minutes.`, {
      privileged_session_expires_at: expiresAt.toISOString(),
    }),
  recoveryLinkSent: (): UiText =>
    info(1060002, 'An email containing a recovery link has been sent to the email address you provided. If you have not received an email, check the spelling of the address and make sure to use the address you registered with.', {}),
  recoveryCodeSent: (): UiText =>
    info(1060003, 'An email containing a recovery code has been sent to the email address you provided. If you have not received an email, check the spelling of the address and make sure to use the address you registered with.', {}),
  labelSubmit: (): UiText => info(1070005, 'Submit'),
  labelVerifyCode: (): UiText => info(1070006, 'Verify code'),
  labelEmail: (): UiText => info(1070007, 'Email'),
  labelResendCode: (): UiText => info(1070008, 'Resend code'),
  verificationLinkSent: (): UiText =>
    info(1080001, 'An email containing a verification link has been sent to the email address you provided. If you have not received an email, check the spelling of the address and make sure to use the address you registered with.', {}),
  verificationSuccess: (): UiText => info(1080002, 'You successfully verified your email address.', {}),
  verificationCodeSent: (): UiText =>
    info(1080003, 'An email containing a verification code has been sent to the email address you provided. If you have not received an email, check the spelling of the address and make sure to use the address you registered with.', {}),
  noSettingsStrategy: (): UiText => error(4010004, 'Could not find a strategy to update your settings. Did you fill out the form correctly?'),
  noRecoveryStrategy: (): UiText => error(4010005, 'Could not find a strategy to recover your account with. Did you fill out the form correctly?'),
  noVerificationStrategy: (): UiText => error(4010006, 'Could not find a strategy to verify your account with. Did you fill out the form correctly?'),
  settingsExpired: (minutes: number, expiredAt: Date): UiText =>
    error(4050001, `The settings flow expired ${minutes.toFixed(2)} minutes ago, please try again.`, { expired_at: expiredAt.toISOString() }),
  recoveryRetrySuccess: (): UiText => error(4060001, 'The request was already completed successfully and can not be retried.', {}),
  recoveryFailed: (): UiText => error(4060002, 'The recovery flow reached a failure state and must be retried.', {}),
  recoveryTokenInvalid: (): UiText => error(4060004, 'The recovery token is invalid or has already been used. Please retry the flow.', {}),
  recoveryExpired: (minutes: number, expiredAt: Date): UiText =>
    error(4060005, `The recovery flow expired ${minutes.toFixed(2)} minutes ago, please try again.`, { expired_at: expiredAt.toISOString() }),
  recoveryCodeInvalid: (): UiText => error(4060006, 'The recovery code is invalid or has already been used. Please try again.', {}),
  verificationTokenInvalid: (): UiText => error(4070001, 'The verification token is invalid or has already been used. Please retry the flow.', {}),
  verificationRetrySuccess: (): UiText => error(4070002, 'The request was already completed successfully and can not be retried.', {}),
  verificationFailed: (): UiText => error(4070003, 'The verification flow reached a failure state and must be retried.', {}),
  verificationExpired: (minutes: number, expiredAt: Date): UiText =>
    error(4070005, `The verification flow expired ${minutes.toFixed(2)} minutes ago, please try again.`, { expired_at: expiredAt.toISOString() }),
  verificationCodeInvalid: (): UiText => error(4070006, 'The verification code is invalid or has already been used. Please try again.', {}),
  // Second factors (TOTP, lookup secrets).
  loginTotpLabel: (): UiText => info(1010006, 'Authentication code', {}),
  loginLookupLabel: (): UiText => info(1010007, 'Backup recovery code', {}),
  loginTotpButton: (): UiText => info(1010009, 'Use Authenticator', {}),
  loginLookupButton: (): UiText => info(1010010, 'Use backup recovery code', {}),
  settingsTotpUnlink: (): UiText => info(1050004, 'Unlink TOTP Authenticator App'),
  settingsTotpQr: (): UiText => info(1050005, 'Authenticator app QR code'),
  settingsTotpSecret: (secret: string): UiText => info(1050006, secret, { secret }),
  settingsLookupReveal: (): UiText => info(1050007, 'Reveal backup recovery codes'),
  settingsLookupRegenerate: (): UiText => info(1050008, 'Generate new backup recovery codes'),
  settingsLookupSecret: (secret: string): UiText => info(1050009, secret, { secret }),
  settingsLookupLabel: (): UiText => info(1050010, 'These are your back up recovery codes. Please keep them in a safe place!'),
  settingsLookupConfirm: (): UiText => info(1050011, 'Confirm backup recovery codes'),
  settingsLookupUsed: (usedAt: Date): UiText => info(1050014, `Secret was used at ${usedAt.toISOString()}`, { used_at: usedAt.toISOString() }),
  settingsLookupList: (texts: readonly string[], secrets: readonly UiText[]): UiText => info(1050015, texts.join(', '), { secrets }),
  settingsLookupDisable: (): UiText => info(1050016, 'Disable this method'),
  settingsTotpSecretLabel: (): UiText => info(1050017, 'This is your authenticator app secret. Use it if you can not scan the QR code.'),
  totpCodeInvalid: (): UiText => error(4000008, 'The provided authentication code is invalid, please try again.', {}),
  addressNotVerified: (): UiText => error(4000010, 'Account not active yet. Did you forget to verify your email address?'),
  noTotpDevice: (): UiText => error(4000011, 'You have no TOTP device set up.', {}),
  lookupAlreadyUsed: (): UiText => error(4000012, 'This backup recovery code has already been used.', {}),
  noLookupCodes: (): UiText => error(4000014, 'You have no backup recovery codes set up.', {}),
  lookupInvalid: (): UiText => error(4000016, 'The backup recovery code is not valid.', {}),
  // WebAuthn security keys and passkeys.
  webauthnLoginButton: (): UiText => info(1010001, 'Sign in with security key', {}),
  webauthnUseKey: (): UiText => info(1010008, 'Use security key'),
  webauthnContinue: (): UiText => info(1010011, 'Continue with security key'),
  webauthnPasswordlessPrepare: (): UiText => info(1010012, 'Prepare your WebAuthn device (e.g. security key, biometrics scanner, ...) and press continue.', {}),
  webauthnRegistrationButton: (): UiText => info(1040004, 'Sign up with security key'),
  webauthnAddKey: (): UiText => info(1050012, 'Add security key'),
  webauthnDisplayNameLabel: (): UiText => info(1050013, 'Name of the security key'),
  webauthnRemoveKey: (displayName: string, addedAt: Date): UiText =>
    info(1050018, `Remove security key "${displayName}"`, { display_name: displayName, added_at: addedAt.toISOString() }),
  noWebAuthnDevice: (): UiText => error(4000013, 'You have no WebAuthn device set up.', {}),
  noWebAuthnUser: (): UiText => error(4000015, 'This account does not exist or has no security key set up.', {}),
  // One-time code login and registration: Kratos v1 ids and texts (the v0.x era pinned above has no code
  // login). As in Kratos v1, 1040005 is the registration "code sent" info and 1040006 "Sign up with code".
  loginCodeSent: (): UiText =>
    info(1010014, 'An email containing a code has been sent to the email address you provided. If you have not received an email, check the spelling of the address and retry the login.', {}),
  loginWithCode: (): UiText => info(1010015, 'Sign in with code', {}),
  registrationCodeSent: (): UiText =>
    info(1040005, 'An email containing a code has been sent to the email address you provided. If you have not received an email, check the spelling of the address and retry the registration.', {}),
  registrationWithCode: (): UiText => info(1040006, 'Sign up with code', {}),
  loginCodeInvalid: (): UiText => error(4010008, 'The login code is invalid or has already been used. Please try again.', {}),
  registrationCodeInvalid: (): UiText => error(4040003, 'The registration code is invalid or has already been used. Please try again.', {}),
  /** Kratos v1 answers a code flow past its attempt limit with a generic 400 reason (4000001). */
  codeAttemptsExceeded: (): UiText =>
    error(4000001, 'The request was submitted too often: too many wrong codes were entered and this flow can no longer be used. Please start again to get a new code.'),
  /** A magic link opened in another browser than the flow's (no Kratos id: a generic 400 reason, 4000001). */
  linkFromOtherBrowser: (kind: 'login' | 'registration'): UiText =>
    error(
      4000001,
      kind === 'login'
        ? 'This sign-in link was opened in a different browser than the one the sign-in was started in. Open it in that browser, or sign in again here.'
        : 'This sign-up link was opened in a different browser than the one the sign-up was started in. Open it in that browser, or sign up again here.',
    ),
};
