import type { TemplateType } from '../courier';

/** The four texts of one template, in the renderer's `{{ .Field }}` syntax. */
export interface TemplateSources {
  readonly subject: string;
  /** HTML body; fields are HTML-escaped. */
  readonly html: string;
  readonly plaintext: string;
  /** SMS text. */
  readonly sms: string;
}

const INVALID_RECOVERY = `Hi,

you (or someone else) entered this email address when trying to recover access to an account.

However, this email address is not on our database of registered users and therefore the attempt has failed.

If this was you, check if you signed up using a different address.

If this was not you, please ignore this email.`;

const INVALID_VERIFICATION = `Hi,

someone asked to verify this email address, but we were unable to find an account for this address.

If this was you, check if you signed up using a different address.

If this was not you, please ignore this email.`;

const html = (text: string): string => `<p>${text.split('\n\n').join('</p>\n<p>')}</p>\n`;

/** Kratos's built-in wording (courier/template/courier/builtin/templates), one entry per template type. */
export const BUILTIN_TEMPLATES: Readonly<Record<TemplateType, TemplateSources>> = {
  recovery_valid: {
    subject: 'Recover access to your account',
    plaintext: 'Hi,\n\nplease recover access to your account by clicking the following link:\n\n{{ .RecoveryURL }}\n',
    html: html('Hi,\n\nplease recover access to your account by clicking the following link:\n\n<a href="{{ .RecoveryURL }}">{{ .RecoveryURL }}</a>'),
    sms: 'Recover access to your account: {{ .RecoveryURL }}',
  },
  recovery_invalid: {
    subject: 'Account access attempted',
    plaintext: `${INVALID_RECOVERY}\n`,
    html: html(INVALID_RECOVERY),
    sms: 'Someone tried to recover an account with this number, but it is not registered.',
  },
  recovery_code_valid: {
    subject: 'Recover access to your account',
    plaintext: 'Hi,\n\nplease recover access to your account by entering the following code:\n\n{{ .RecoveryCode }}\n',
    html: html('Hi,\n\nplease recover access to your account by entering the following code:\n\n<strong>{{ .RecoveryCode }}</strong>'),
    sms: 'Your recovery code is: {{ .RecoveryCode }}',
  },
  recovery_code_invalid: {
    subject: 'Account access attempted',
    plaintext: `${INVALID_RECOVERY}\n`,
    html: html(INVALID_RECOVERY),
    sms: 'Someone tried to recover an account with this number, but it is not registered.',
  },
  verification_valid: {
    subject: 'Please verify your email address',
    plaintext: 'Hi, please verify your account by clicking the following link:\n\n{{ .VerificationURL }}\n',
    html: html('Hi, please verify your account by clicking the following link:\n\n<a href="{{ .VerificationURL }}">{{ .VerificationURL }}</a>'),
    sms: 'Verify your account: {{ .VerificationURL }}',
  },
  verification_invalid: {
    subject: 'Someone tried to verify this email address',
    plaintext: `${INVALID_VERIFICATION}\n`,
    html: html(INVALID_VERIFICATION),
    sms: 'Someone tried to verify this number, but it is not registered.',
  },
  verification_code_valid: {
    subject: 'Please verify your email address',
    plaintext:
      'Hi, please verify your account by entering the following code:\n\n{{ .VerificationCode }}\n{{ if .VerificationURL }}\nor clicking the following link:\n\n{{ .VerificationURL }}\n{{ end }}',
    html: html(
      'Hi, please verify your account by entering the following code:\n\n<strong>{{ .VerificationCode }}</strong>{{ if .VerificationURL }}\n\nor clicking the following link:\n\n<a href="{{ .VerificationURL }}">{{ .VerificationURL }}</a>{{ end }}',
    ),
    sms: 'Your verification code is: {{ .VerificationCode }}',
  },
  verification_code_invalid: {
    subject: 'Someone tried to verify this email address',
    plaintext: `${INVALID_VERIFICATION}\n`,
    html: html(INVALID_VERIFICATION),
    sms: 'Someone tried to verify this number, but it is not registered.',
  },
  login_code_valid: {
    subject: 'Login to your account',
    plaintext: 'Hi,\n\nplease login to your account by entering the following code:\n\n{{ .LoginCode }}\n{{ if .LoginURL }}\nor by opening this link:\n\n{{ .LoginURL }}\n{{ end }}',
    html: html('Hi,\n\nplease login to your account by entering the following code:\n\n<strong>{{ .LoginCode }}</strong>{{ if .LoginURL }}\n\nor by opening this link: <a href="{{ .LoginURL }}">{{ .LoginURL }}</a>{{ end }}'),
    sms: 'Your login code is: {{ .LoginCode }}',
  },
  registration_code_valid: {
    subject: 'Complete your account registration',
    plaintext: 'Hi,\n\nplease complete your account registration by entering the following code:\n\n{{ .RegistrationCode }}\n{{ if .RegistrationURL }}\nor by opening this link:\n\n{{ .RegistrationURL }}\n{{ end }}',
    html: html('Hi,\n\nplease complete your account registration by entering the following code:\n\n<strong>{{ .RegistrationCode }}</strong>{{ if .RegistrationURL }}\n\nor by opening this link: <a href="{{ .RegistrationURL }}">{{ .RegistrationURL }}</a>{{ end }}'),
    sms: 'Your registration code is: {{ .RegistrationCode }}',
  },
};

/** The fields a template may use (Kratos's template model names). */
export const TEMPLATE_FIELDS = ['To', 'RecoveryURL', 'RecoveryCode', 'VerificationURL', 'VerificationCode', 'LoginCode', 'LoginURL', 'RegistrationCode', 'RegistrationURL', 'Identity'] as const;
