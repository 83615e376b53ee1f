import type { SchemaObject } from 'ajv';
import { composeSchemas } from './compose-schemas';
import { courierProcessSchema, courierRealmSchema } from './courier.schema';
import { oauth2ConfigSchema } from './oauth2.schema';
import { webauthnMethodSchema } from './webauthn-config';

const url = (description: string): SchemaObject => ({ type: 'string', format: 'uri', description });
const duration = (def: string, description: string): SchemaObject => ({ type: 'string', duration: true, default: def, description });
const strings = (description: string): SchemaObject => ({ type: 'array', items: { type: 'string' }, default: [], description });

const cors: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  default: {},
  description: 'Cross-origin resource sharing for this app; off by default.',
  properties: {
    enabled: { type: 'boolean', default: false, description: 'Answer CORS preflights and set CORS headers.' },
    allowed_origins: {
      ...strings('Origins allowed: exact origins, `*` for host labels (`https://*.example.com`), or a bare `*` (any origin, answered as a literal `*`, never with credentials).'),
      default: ['*'],
    },
    allowed_methods: { ...strings('Methods allowed.'), default: ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'] },
    allowed_headers: {
      ...strings('Request headers allowed.'),
      default: ['Authorization', 'Content-Type', 'X-Session-Token', 'X-CSRF-Token', 'Cookie'],
    },
    exposed_headers: { ...strings('Response headers exposed.'), default: ['Content-Type', 'Set-Cookie', 'X-Total-Count', 'Link'] },
    allow_credentials: {
      type: 'boolean',
      default: false,
      description: 'Allow cookies on cross-origin requests from listed origins; refused together with a bare `*` in allowed_origins.',
    },
    max_age: { type: 'integer', minimum: 0, default: 0, description: 'Preflight cache lifetime in seconds.' },
  },
};


const sameSite: SchemaObject = { enum: ['Lax', 'Strict', 'None'], default: 'Lax', description: 'SameSite attribute.' };
const optionalUrl = (description: string): SchemaObject => ({ type: 'string', format: 'uri', description });
const flow = (name: string, extra: Record<string, SchemaObject> = {}): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    ui_url: { type: 'string', format: 'uri', default: `http://127.0.0.1:4455/${name}`, description: `Where browsers are sent to render the ${name} flow (?flow=<id> is added).` },
    lifespan: duration('1h', `How long a ${name} flow can be completed.`),
    ...extra,
  },
});
/**
 * The after-hooks Tessera implements, per flow. Any other name (e.g. Kratos's `web_hook`) stops boot
 * with an error naming it, instead of being accepted and ignored.
 */
export const IMPLEMENTED_AFTER_HOOKS = {
  login: ['revoke_active_sessions', 'require_verified_address'],
  registration: ['session', 'show_verification_ui'],
  settings: [],
  recovery: ['revoke_active_sessions'],
  verification: [],
} as const satisfies Record<string, readonly string[]>;

const afterHooks = (hooks: string[], description: string): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    default_browser_return_url: optionalUrl('Where browsers go after success (return_to wins when allowed).'),
    hooks: {
      type: 'array',
      default: hooks.map((hook) => ({ hook })),
      description,
      // Names are checked per flow against IMPLEMENTED_AFTER_HOOKS when the configuration loads.
      items: { type: 'object', additionalProperties: false, required: ['hook'], properties: { hook: { type: 'string', minLength: 1 } } },
    },
  },
});

/** A dotted path into the session JSON of /sessions/whoami, e.g. `identity.traits.email` (numbers index arrays). */
const SESSION_PATH = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$';

/** `session.whoami.tokenizer.templates.<name>` (Kratos `tokenize_as`, with a declarative claim mapping instead of jsonnet). */
const tokenizerTemplate: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  description: 'A session-to-JWT template: exactly one of key_set or jwks_url signs.',
  properties: {
    key_set: { type: 'string', minLength: 1, maxLength: 255, description: 'JWK set (admin API /admin/keys/<set>, encrypted at rest) whose newest private key signs; generated with ES256 on first use.' },
    jwks_url: { type: 'string', pattern: '^(file|base64)://', description: 'Kratos-style private JWKS (file:// relative to the config file, or base64://); its first private key signs.' },
    ttl: duration('1m', 'Lifetime of the JWT: exp = iat + ttl.'),
    subject_source: { type: 'string', pattern: SESSION_PATH, default: 'id', description: '`sub`: `id` (the identity id) or a path into the session JSON such as identity.traits.email.' },
    audience: strings('`aud` of the JWT (left out when empty).'),
    claims: {
      type: 'object',
      default: {},
      propertyNames: { pattern: '^(?!(iss|sub|sid|aud|iat|exp|nbf|jti)$).+' },
      additionalProperties: { type: 'string', pattern: SESSION_PATH },
      description: 'Extra claims: claim name -> path into the session JSON (e.g. email: identity.traits.email); missing values are left out.',
    },
  },
  oneOf: [
    { type: 'object', required: ['key_set'], properties: { key_set: true } },
    { type: 'object', required: ['jwks_url'], properties: { jwks_url: true } },
  ],
};

const serveApp = (port: number, name: string): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    host: { type: 'string', default: '0.0.0.0', description: `Interface the ${name} app listens on.` },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: port, description: `Port of the ${name} app.` },
    base_url: url(`URL clients reach the ${name} app at; default http://127.0.0.1:<port>/.`),
    realm_host_suffix: {
      type: 'string',
      pattern: '^\\.?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$',
      description: `When set (e.g. .auth.example.com), a Host of {realm}<suffix> reaches that realm on the ${name} app without the /realms/{realm} prefix.`,
    },
    request_body_limit: {
      type: 'string',
      pattern: '^\\d+(b|kb|mb)$',
      default: '1mb',
      description: 'Largest request body accepted (413 beyond).',
    },
    cors,
  },
});

/**
 * The process part of the configuration schema (`ProcessConfig`): database, listeners, logging,
 * secrets, the courier transport and worker, hashers. Defaults and one-line descriptions live here only.
 */
export const processConfigSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    dev: { type: 'boolean', default: false, description: 'Development mode: error `debug` fields and courier bodies are shown.' },
    dsn: {
      type: 'string',
      minLength: 1,
      default: 'sqlite://./data/tessera.db',
      description: 'Database: sqlite:///abs.db, sqlite://./rel.db, memory, or mysql://user:pass@host:3306/db.',
    },
    database: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        auto_migrate: {
          type: 'boolean',
          default: true,
          description: 'Apply pending migrations when `tessera serve` starts (under a lock: concurrent boots apply them once). When false, `serve` starts anyway and /health/ready answers 503 until `tessera migrate up` has run.',
        },
        pool_size: { type: 'integer', minimum: 1, maximum: 500, default: 10, description: 'MySQL connection pool size.' },
        connect_timeout: duration('30s', 'How long boot and `tessera migrate` retry (with backoff) a database that does not answer yet before exiting.'),
        cleanup: {
          type: 'object',
          additionalProperties: false,
          default: {},
          description: 'The cleanup job (`tessera cleanup`, and its background sweep in `tessera serve`): deletes expired flows, sessions, codes, errors, delivered courier messages, OAuth2 tokens and challenges of every realm in bounded chunks.',
          properties: {
            interval: duration('1h', 'How often `tessera serve` runs the cleanup in the background (first run one interval after boot); "0s" turns it off.'),
            keep_last: duration('24h', 'Rows that expired (errors, courier messages: were created) less than this long ago are kept.'),
            batch_size: { type: 'integer', minimum: 1, maximum: 100000, default: 1000, description: 'Rows deleted per statement (each its own short transaction).' },
          },
        },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: {
          enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
          default: 'info',
          description: 'Log level (env LOG_LEVEL).',
        },
      },
    },
    serve: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        public: serveApp(4433, 'public'),
        admin: serveApp(4434, 'admin'),
        shutdown_timeout: duration('10s', 'How long SIGTERM waits for in-flight requests before closing.'),
      },
    },
    secrets: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'Secrets, newest first (older ones still verify). Generated and stored in the database when absent.',
      properties: {
        default: { ...strings('Fallback for every other secret.'), items: { type: 'string', minLength: 16 } },
        cookie: { ...strings('Signs cookies (CSRF, session).'), items: { type: 'string', minLength: 16 } },
        cipher: { ...strings('Encrypts data at rest (32 characters or more).'), items: { type: 'string', minLength: 32 } },
        system: { ...strings('Hydra system secret: client secret pepper, JWK encryption.'), items: { type: 'string', minLength: 16 } },
      },
    },
    courier: courierProcessSchema,
    admin: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        api_keys: {
          ...strings(
            'Operator keys of the admin port (env ADMIN_API_KEYS: comma-separated or a JSON array). When set, every admin route but /health/alive, /health/ready and /version needs `Authorization: Bearer <key>` (an operator key, or a project API key for its own project); when empty the admin port is open.',
          ),
          items: { type: 'string', minLength: 16 },
        },
      },
    },
    cache: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        whoami: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            ttl: duration('1s', "How long a process serves /sessions/whoami from the session and identity it read (one cache per process, keyed by realm and token): a change made in this process (logout, revocation, identity update) is seen at once, one made by another process within this time. 0s: read every time."),
            max_entries: { type: 'integer', minimum: 1, default: 10000, description: 'Sessions the whoami cache holds at most (the oldest are dropped first).' },
          },
        },
      },
    },
    realms: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        refresh_interval: duration('5s', 'How long a process serves a stored realm from its cache before asking the database for its revision again: a realm created, changed or deleted (tessera realms, /admin/realms) reaches every process within this interval.'),
        capacity: { type: 'integer', minimum: 1, default: 100, description: 'Stored realms a process keeps built (each with its own OAuth2 engine and apps); the least recently used one is dropped beyond it and built again on its next request.' },
        idle_timeout: duration('15m', 'A built stored realm unused for this long is dropped (and built again on its next request).'),
      },
    },
    hashers: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        algorithm: { enum: ['bcrypt', 'argon2'], default: 'bcrypt', description: 'Hash for new passwords.' },
        max_concurrency: {
          type: 'integer',
          minimum: 0,
          maximum: 256,
          default: 0,
          description: 'Hashes computed at once off the event loop; 0 means 2 x CPU cores.',
        },
        bcrypt: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: { cost: { type: 'integer', minimum: 4, maximum: 31, default: 12, description: 'bcrypt cost.' } },
        },
        argon2: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            memory: { type: 'integer', minimum: 1024, default: 65536, description: 'argon2id memory in KiB.' },
            iterations: { type: 'integer', minimum: 1, default: 3, description: 'argon2id passes.' },
            parallelism: { type: 'integer', minimum: 1, default: 1, description: 'argon2id lanes.' },
            salt_length: { type: 'integer', minimum: 16, default: 16, description: 'Salt bytes.' },
            key_length: { type: 'integer', minimum: 16, default: 32, description: 'Hash bytes.' },
          },
        },
      },
    },
  },
};

/**
 * The realm part of the configuration schema (`RealmConfig` without the read-only `RealmHost` facts):
 * identity, self-service, sessions, cookies, OAuth2 (`webfinger` too: each realm publishes its own keys),
 * courier templates and sender. The default realm's values sit in the configuration file under these keys;
 * stored realms will be validated against it alone. `dev`, `serve.*.base_url` and `courier.sms.enabled` are
 * process keys a realm reads (`RealmHost`, README "Realms" → "Configuration split").
 */
export const realmConfigSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    session: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        lifespan: duration('24h', 'How long a session lives after authentication.'),
        earliest_possible_extend: { type: 'string', duration: true, description: 'Sessions can be extended once they expire within this window (default: the lifespan, i.e. always).' },
        cookie: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', default: 'ory_kratos_session', description: 'Session cookie name.' },
            domain: { type: 'string', description: 'Cookie Domain attribute (default: host-only).' },
            path: { type: 'string', default: '/', description: 'Cookie Path.' },
            same_site: sameSite,
            persistent: { type: 'boolean', default: true, description: 'Max-Age set to the session lifespan (false: a browser-session cookie).' },
          },
        },
        whoami: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            required_aal: { enum: ['aal1', 'highest_available'], default: 'highest_available', description: 'AAL /sessions/whoami requires.' },
            tokenizer: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: {
                templates: {
                  type: 'object',
                  default: {},
                  propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' },
                  additionalProperties: tokenizerTemplate,
                  description: 'Session-to-JWT templates by name, used by GET /sessions/whoami?tokenize_as=<name>.',
                },
              },
            },
          },
        },
      },
    },
    cookies: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        domain: { type: 'string', description: 'Domain for CSRF (and, unless overridden, session) cookies.' },
        path: { type: 'string', default: '/', description: 'Cookie Path.' },
        same_site: sameSite,
      },
    },
    selfservice: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        default_browser_return_url: { type: 'string', format: 'uri', default: 'http://127.0.0.1:4455/', description: 'Where browsers go after a flow when nothing more specific is set.' },
        allowed_return_urls: { ...strings('URLs (prefix match on origin + path) that return_to may point at; the default return URL is always allowed.'), items: { type: 'string', format: 'uri' } },
        flows: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            login: flow('login', {
              after: {
                ...afterHooks([], 'Hooks after login: `revoke_active_sessions`, `require_verified_address` (password and WebAuthn logins need a verified address).'),
                properties: {
                  ...afterHooks([], '').properties,
                  password: afterHooks([], 'Hooks after a password login (replace the flow-wide list): `revoke_active_sessions`, `require_verified_address`.'),
                  code: afterHooks([], 'Hooks after a one-time code login (replace the flow-wide list): `revoke_active_sessions`, `require_verified_address`.'),
                  webauthn: afterHooks([], 'Hooks after a WebAuthn login (passkey or security key; replace the flow-wide list): `revoke_active_sessions`, `require_verified_address`.'),
                },
              },
            }),
            registration: flow('registration', {
              enabled: { type: 'boolean', default: true, description: 'Allow self-service registration.' },
              after: {
                ...afterHooks([], 'Hooks after registration: `session`, `show_verification_ui`.'),
                properties: {
                  ...afterHooks([], '').properties,
                  password: afterHooks(['session'], 'Hooks after a password registration; `session` signs the user in, `show_verification_ui` sends browsers to the verification flow.'),
                  code: afterHooks(['session'], 'Hooks after a one-time code registration; `session` signs the user in, `show_verification_ui` sends browsers to the verification flow.'),
                  webauthn: afterHooks(['session'], 'Hooks after a passkey registration; `session` signs the user in, `show_verification_ui` sends browsers to the verification flow.'),
                },
              },
            }),
            settings: flow('settings', {
              privileged_session_max_age: duration('1h', 'How old a login may be to change credentials or protected traits.'),
              required_aal: { enum: ['aal1', 'highest_available'], default: 'highest_available', description: 'AAL the settings flow requires.' },
              after: afterHooks([], 'Hooks after settings are saved (none implemented: the list must stay empty).'),
            }),
            recovery: flow('recovery', {
              enabled: { type: 'boolean', default: false, description: 'Allow account recovery.' },
              use: { enum: ['code', 'link'], default: 'code', description: 'Recovery method: a code or a link by email.' },
              after: afterHooks([], 'Hooks after recovery (`revoke_active_sessions`).'),
            }),
            verification: flow('verification', {
              enabled: { type: 'boolean', default: false, description: 'Allow address verification (and send verification mails after registration and profile changes).' },
              use: { enum: ['code', 'link'], default: 'code', description: 'Verification method: a code or a link by email.' },
              after: afterHooks([], 'Where browsers go after verification (no hooks implemented: the list must stay empty).'),
            }),
            error: { type: 'object', additionalProperties: false, default: {}, properties: { ui_url: { type: 'string', format: 'uri', default: 'http://127.0.0.1:4455/error', description: 'Where browsers see self-service errors (?id=<error id>).' } } },
            logout: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: { after: { type: 'object', additionalProperties: false, default: {}, properties: { default_browser_return_url: optionalUrl('Where browsers go after logout.') } } },
            },
          },
        },
        methods: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            profile: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: { enabled: { type: 'boolean', default: true, description: 'Profile (traits) changes in settings.' } },
            },
            code: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: {
                enabled: { type: 'boolean', default: true, description: 'One-time codes by email for recovery and verification.' },
                passwordless_enabled: { type: 'boolean', default: false, description: 'Also sign in and sign up with a one-time code (and link) by email or SMS instead of a password (needs `enabled`).' },
                config: { type: 'object', additionalProperties: false, default: {}, properties: { lifespan: duration('1h', 'How long a code is valid.') } },
              },
            },
            link: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: {
                enabled: { type: 'boolean', default: true, description: 'Magic links by email for recovery and verification.' },
                config: {
                  type: 'object',
                  additionalProperties: false,
                  default: {},
                  properties: {
                    lifespan: duration('1h', 'How long a link is valid.'),
                    base_url: optionalUrl('Base URL of links in mails (default: the public base URL).'),
                  },
                },
              },
            },
            password: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: {
                enabled: { type: 'boolean', default: true, description: 'Password login and registration.' },
                config: {
                  type: 'object',
                  additionalProperties: false,
                  default: {},
                  properties: {
                    min_password_length: { type: 'integer', minimum: 6, maximum: 72, default: 8, description: 'Shortest password accepted.' },
                    identifier_similarity_check_enabled: { type: 'boolean', default: true, description: 'Reject passwords too similar to the identifier.' },
                    haveibeenpwned_enabled: { type: 'boolean', default: false, description: 'Check passwords against HIBP (k-anonymity); off because servers may have no internet.' },
                    haveibeenpwned_host: { type: 'string', default: 'api.pwnedpasswords.com', description: 'HIBP range API host.' },
                    max_breaches: { type: 'integer', minimum: 0, default: 0, description: 'Breaches tolerated before a password is refused.' },
                    ignore_network_errors: { type: 'boolean', default: true, description: 'Accept the password when HIBP cannot be reached.' },
                  },
                },
              },
            },
            totp: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: {
                enabled: { type: 'boolean', default: false, description: 'TOTP authenticator apps as a second factor (settings link/unlink, aal2 login).' },
                config: {
                  type: 'object',
                  additionalProperties: false,
                  default: {},
                  properties: {
                    issuer: { type: 'string', minLength: 1, description: 'Issuer shown in authenticator apps (default: the public base URL host name).' },
                  },
                },
              },
            },
            lookup_secret: {
              type: 'object',
              additionalProperties: false,
              default: {},
              properties: {
                enabled: { type: 'boolean', default: false, description: 'Backup recovery codes (lookup secrets) as a second factor.' },
              },
            },
            webauthn: webauthnMethodSchema,
          },
        },
      },
    },
    courier: courierRealmSchema,
    ...oauth2ConfigSchema,
    identity: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        default_schema_id: { type: 'string', minLength: 1, default: 'default', description: 'Schema for identities that name none.' },
        schemas: {
          type: 'array',
          minItems: 1,
          default: [{ id: 'default', url: 'file://../schemas/identity.default.schema.json' }],
          description: 'Identity trait schemas; url is file:// (relative to the config file) or base64://.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'url'],
            properties: {
              id: { type: 'string', minLength: 1 },
              url: { type: 'string', pattern: '^(file|base64)://' },
            },
          },
        },
      },
    },
  },
};

/**
 * The configuration file's schema (ajv, strict, `useDefaults`, `coerceTypes`): the process part and the
 * realm part composed, so every key and environment variable of before the split still works. Keyword
 * `duration` parses `"1h"`-style text into milliseconds in place.
 */
export const configSchema: SchemaObject = composeSchemas(processConfigSchema, realmConfigSchema);
