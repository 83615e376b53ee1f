import type { CourierConfig, CourierProcessConfig, CourierRealmConfig } from './courier-config';
import type { OAuth2Config } from './oauth2-config';
import type { WebAuthnMethodConfig } from './webauthn-config';

/** CORS settings of one app (`serve.<app>.cors`). */
export interface CorsConfig {
  readonly enabled: boolean;
  readonly allowed_origins: readonly string[];
  readonly allowed_methods: readonly string[];
  readonly allowed_headers: readonly string[];
  readonly exposed_headers: readonly string[];
  readonly allow_credentials: boolean;
  readonly max_age: number;
}

/** One app's listener settings. Durations are milliseconds; URLs are absolute and end with `/`. */
export interface ServeAppConfig {
  readonly host: string;
  readonly port: number;
  /** The URL clients reach this app at (behind a proxy: the proxy's URL). */
  readonly base_url: string;
  /** When set, a `Host` of `{realm}{realm_host_suffix}` addresses that realm (besides `/realms/{realm}/…`). */
  readonly realm_host_suffix?: string;
  readonly request_body_limit: string;
  readonly cors: CorsConfig;
}


/** After-success settings of a flow (or one of its methods). */
export interface AfterConfig {
  readonly default_browser_return_url?: string;
  /** Names are checked at load time against `IMPLEMENTED_AFTER_HOOKS` for the flow. */
  readonly hooks: readonly { readonly hook: 'session' | 'revoke_active_sessions' | 'require_verified_address' | 'show_verification_ui' }[];
}

/** Settings shared by every self-service flow. Durations are milliseconds. */
export interface FlowConfig {
  readonly ui_url: string;
  readonly lifespan: number;
}

export interface CookieConfig {
  readonly domain?: string;
  readonly path: string;
  readonly same_site: 'Lax' | 'Strict' | 'None';
}

/**
 * `session.whoami.tokenizer.templates.<name>`: how `GET /sessions/whoami?tokenize_as=<name>` mints a JWT.
 * Exactly one of `key_set` / `jwks_url` is set. `ttl` is milliseconds. `subject_source` is `id` (the
 * identity id) or a dotted path into the session JSON; `claims` maps claim names to such paths.
 */
export interface TokenizerTemplateConfig {
  readonly key_set?: string;
  readonly jwks_url?: string;
  readonly ttl: number;
  readonly subject_source: string;
  readonly audience: readonly string[];
  readonly claims: Readonly<Record<string, string>>;
}

/** An identity schema source: `file://` (absolute after load) or `base64://`. */
export interface IdentitySchemaSource {
  readonly id: string;
  readonly url: string;
}

/**
 * Process configuration: what one Tessera process needs whatever realms it serves — database,
 * listeners, logging, password hashing, the courier transport and worker, secrets. Files and
 * environment only. `dev` is a process mode; realms see it read-only ({@link RealmHost}).
 */
export interface ProcessConfig {
  readonly dev: boolean;
  readonly dsn: string;
  /** `connect_timeout` in milliseconds. */
  readonly database: {
    readonly auto_migrate: boolean;
    readonly pool_size: number;
    readonly connect_timeout: number;
    /** The cleanup job; `interval` and `keep_last` in milliseconds (`interval` 0: no background sweep). */
    readonly cleanup: { readonly interval: number; readonly keep_last: number; readonly batch_size: number };
  };
  readonly log: { readonly level: string };
  /** The admin plane: operator keys (`api_keys`; none means the admin port is open). */
  readonly admin: { readonly api_keys: readonly string[] };
  /** Stored realms: `refresh_interval` and `idle_timeout` in milliseconds, `capacity` realms kept built (see `Realms`). */
  readonly realms: { readonly refresh_interval: number; readonly capacity: number; readonly idle_timeout: number };
  /** The per-process whoami cache: `ttl` in milliseconds (0: off), at most `max_entries` sessions. */
  readonly cache: { readonly whoami: { readonly ttl: number; readonly max_entries: number } };
  readonly serve: {
    readonly public: ServeAppConfig;
    readonly admin: ServeAppConfig;
    readonly shutdown_timeout: number;
  };
  readonly secrets: {
    readonly default: readonly string[];
    readonly cookie: readonly string[];
    readonly cipher: readonly string[];
    readonly system: readonly string[];
  };
  readonly courier: CourierProcessConfig;
  readonly hashers: {
    readonly algorithm: 'bcrypt' | 'argon2';
    readonly max_concurrency: number;
    readonly bcrypt: { readonly cost: number };
    readonly argon2: {
      readonly memory: number;
      readonly iterations: number;
      readonly parallelism: number;
      readonly salt_length: number;
      readonly key_length: number;
    };
  };
}

/**
 * What a realm sees of the process that serves it, copied in read-only by `splitConfig` (never set per
 * realm): the dev mode, and the base URLs the realm is reached at (the default realm: `serve.public.base_url`
 * and `serve.admin.base_url`; stored realms will derive theirs from these).
 */
export interface RealmHost {
  readonly dev: boolean;
  readonly serve: {
    readonly public: Pick<ServeAppConfig, 'base_url'>;
    readonly admin: Pick<ServeAppConfig, 'base_url'>;
  };
}

/**
 * Realm configuration: everything that may differ between realms — identity schemas, self-service,
 * sessions, cookies, OAuth2 (`urls`, `ttl`, `strategies`, `oauth2`, `webfinger`, `oidc`), WebAuthn,
 * courier templates and sender — plus the read-only {@link RealmHost} facts. Services receive this (or a
 * narrower `Pick`), never the process configuration. The default realm's comes from files and
 * environment (`splitConfig`), under the same keys as before the split.
 */
export interface RealmConfig extends OAuth2Config, RealmHost {
  readonly session: {
    readonly lifespan: number;
    readonly earliest_possible_extend?: number;
    readonly cookie: CookieConfig & { readonly name: string; readonly persistent: boolean };
    readonly whoami: {
      readonly required_aal: 'aal1' | 'highest_available';
      readonly tokenizer: { readonly templates: Readonly<Record<string, TokenizerTemplateConfig>> };
    };
  };
  readonly cookies: CookieConfig;
  readonly selfservice: {
    readonly default_browser_return_url: string;
    readonly allowed_return_urls: readonly string[];
    readonly flows: {
      readonly login: FlowConfig & { readonly after: AfterConfig & { readonly password: AfterConfig; readonly code: AfterConfig; readonly webauthn: AfterConfig } };
      readonly registration: FlowConfig & { readonly enabled: boolean; readonly after: AfterConfig & { readonly password: AfterConfig; readonly code: AfterConfig; readonly webauthn: AfterConfig } };
      readonly settings: FlowConfig & { readonly privileged_session_max_age: number; readonly required_aal: 'aal1' | 'highest_available'; readonly after: AfterConfig };
      readonly recovery: FlowConfig & { readonly enabled: boolean; readonly use: 'code' | 'link'; readonly after: AfterConfig };
      readonly verification: FlowConfig & { readonly enabled: boolean; readonly use: 'code' | 'link'; readonly after: AfterConfig };
      readonly error: { readonly ui_url: string };
      readonly logout: { readonly after: { readonly default_browser_return_url?: string } };
    };
    readonly methods: {
      readonly profile: { readonly enabled: boolean };
      readonly code: { readonly enabled: boolean; readonly passwordless_enabled: boolean; readonly config: { readonly lifespan: number } };
      readonly link: { readonly enabled: boolean; readonly config: { readonly lifespan: number; readonly base_url?: string } };
      readonly password: {
        readonly enabled: boolean;
        readonly config: {
          readonly min_password_length: number;
          readonly identifier_similarity_check_enabled: boolean;
          readonly haveibeenpwned_enabled: boolean;
          readonly haveibeenpwned_host: string;
          readonly max_breaches: number;
          readonly ignore_network_errors: boolean;
        };
      };
      readonly totp: { readonly enabled: boolean; readonly config: { readonly issuer?: string } };
      readonly lookup_secret: { readonly enabled: boolean };
      readonly webauthn: WebAuthnMethodConfig;
    };
  };
  readonly courier: CourierRealmConfig;
  readonly identity: {
    readonly default_schema_id: string;
    readonly schemas: readonly IdentitySchemaSource[];
  };
}

/**
 * The validated, frozen configuration file (architecture B8): {@link ProcessConfig} and the default
 * realm's {@link RealmConfig} under today's keys. The ajv schema in `config.schema.ts` (process part and
 * realm part, composed) is the single source of defaults and descriptions; this type mirrors it.
 */
export interface Config extends ProcessConfig, RealmConfig {
  readonly serve: ProcessConfig['serve'];
  readonly courier: CourierConfig;
}

/** Gives the service the configuration file (apps and the composition root; services take {@link RealmConfigProvider}). */
export interface ConfigProvider {
  readonly config: Config;
}

/** Gives a service its realm's configuration. */
export interface RealmConfigProvider {
  readonly config: RealmConfig;
}

/** Gives a process-level part (persistence, hashers, courier worker, secrets) the process configuration. */
export interface ProcessConfigProvider {
  readonly config: ProcessConfig;
}
