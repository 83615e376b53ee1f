/** Template types the courier can override (mirrors `TemplateType` in libs/courier). */
export const COURIER_TEMPLATE_TYPES = [
  'recovery_valid',
  'recovery_invalid',
  'recovery_code_valid',
  'recovery_code_invalid',
  'verification_valid',
  'verification_invalid',
  'verification_code_valid',
  'verification_code_invalid',
  'login_code_valid',
  'registration_code_valid',
] as const;

/** Inline overrides of one template; each value is a `file://` (absolute after load) or `base64://` URL. */
export interface CourierTemplateOverride {
  readonly email?: {
    readonly subject?: string;
    readonly body?: { readonly html?: string; readonly plaintext?: string };
  };
  readonly sms?: { readonly body?: string };
}

/** `courier.sms.request_config.auth`: HTTP basic auth or an API key in a header or cookie. */
export interface SmsAuthConfig {
  readonly type: 'basic_auth' | 'api_key';
  readonly config: {
    readonly user?: string;
    readonly password?: string;
    readonly name?: string;
    readonly value?: string;
    readonly in?: 'header' | 'cookie';
  };
}

/** How the SMS channel calls the gateway (Kratos `courier.sms.request_config`). */
export interface SmsRequestConfig {
  readonly url?: string;
  readonly method: string;
  /** Request body template (`{{ .To }}`, `{{ .From }}`, `{{ .Body }}`), inline or a `file://`/`base64://` URL. */
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly auth?: SmsAuthConfig;
}

/**
 * The `courier` section (Kratos §9e plus Tessera's worker settings). Durations are milliseconds.
 * `smtp.connection_uri` carries a password: it is never logged.
 */
export interface CourierConfig {
  /** Failed sends after which a message is `abandoned`. */
  readonly message_retries: number;
  readonly template_override_path?: string;
  readonly templates: Readonly<Partial<Record<(typeof COURIER_TEMPLATE_TYPES)[number], CourierTemplateOverride>>>;
  readonly smtp: {
    readonly connection_uri?: string;
    readonly from_address: string;
    readonly from_name?: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly local_name: string;
  };
  readonly sms: {
    readonly enabled: boolean;
    readonly from: string;
    readonly request_config: SmsRequestConfig;
  };
  readonly worker: {
    readonly poll_interval: number;
    readonly backoff_base: number;
    readonly backoff_max: number;
    readonly lease: number;
    readonly batch_size: number;
  };
}

/**
 * The process part of `courier` (the transport and the worker): how messages leave this process. One
 * dispatcher per process sends every realm's messages with it. `sms.enabled` says the SMS gateway exists.
 */
export interface CourierProcessConfig {
  readonly message_retries: number;
  readonly smtp: Pick<CourierConfig['smtp'], 'connection_uri' | 'headers' | 'local_name'>;
  readonly sms: Pick<CourierConfig['sms'], 'enabled' | 'request_config'>;
  readonly worker: CourierConfig['worker'];
}

/** Who a realm's messages come from: `courier.smtp.from_address`, `from_name` and `courier.sms.from`. */
export interface CourierSenderConfig {
  readonly smtp: Pick<CourierConfig['smtp'], 'from_address' | 'from_name'>;
  readonly sms: Pick<CourierConfig['sms'], 'from'>;
}

/**
 * The realm part of `courier`: templates and sender. `sms.enabled` is the process's transport flag,
 * copied in read-only by `splitConfig` (a realm can queue an SMS only when the process can send one).
 */
export interface CourierRealmConfig {
  readonly template_override_path?: string;
  readonly templates: CourierConfig['templates'];
  readonly smtp: CourierSenderConfig['smtp'];
  readonly sms: CourierSenderConfig['sms'] & Pick<CourierConfig['sms'], 'enabled'>;
}
