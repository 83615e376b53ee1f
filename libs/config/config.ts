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
  readonly request_body_limit: string;
  readonly cors: CorsConfig;
}

/** An identity schema source: `file://` (absolute after load) or `base64://`. */
export interface IdentitySchemaSource {
  readonly id: string;
  readonly url: string;
}

/**
 * The validated, frozen configuration (architecture B8). The ajv schema in `config.schema.ts` is the
 * single source of defaults and descriptions; this type mirrors it and a unit test keeps them aligned.
 */
export interface Config {
  readonly dev: boolean;
  readonly dsn: string;
  readonly database: { readonly auto_migrate: boolean; readonly pool_size: number };
  readonly log: { readonly level: string };
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
  readonly identity: {
    readonly default_schema_id: string;
    readonly schemas: readonly IdentitySchemaSource[];
  };
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

/** Gives the service the configuration. */
export interface ConfigProvider {
  readonly config: Config;
}
