import type { SchemaObject } from 'ajv';

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
    allowed_origins: { ...strings('Origins allowed; one `*` wildcard per entry (`https://*.example.com`).'), default: ['*'] },
    allowed_methods: { ...strings('Methods allowed.'), default: ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'] },
    allowed_headers: {
      ...strings('Request headers allowed.'),
      default: ['Authorization', 'Content-Type', 'X-Session-Token', 'X-CSRF-Token', 'Cookie'],
    },
    exposed_headers: { ...strings('Response headers exposed.'), default: ['Content-Type', 'Set-Cookie', 'X-Total-Count', 'Link'] },
    allow_credentials: { type: 'boolean', default: true, description: 'Allow cookies on cross-origin requests.' },
    max_age: { type: 'integer', minimum: 0, default: 0, description: 'Preflight cache lifetime in seconds.' },
  },
};

const serveApp = (port: number, name: string): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    host: { type: 'string', default: '0.0.0.0', description: `Interface the ${name} app listens on.` },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: port, description: `Port of the ${name} app.` },
    base_url: url(`URL clients reach the ${name} app at; default http://127.0.0.1:<port>/.`),
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
 * The configuration schema (ajv, strict, `useDefaults`, `coerceTypes`). Defaults and one-line
 * descriptions live here only. Keyword `duration` parses `"1h"`-style text into milliseconds in place.
 */
export const configSchema: SchemaObject = {
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
        auto_migrate: { type: 'boolean', default: true, description: 'Apply pending migrations when `tessera serve` starts.' },
        pool_size: { type: 'integer', minimum: 1, maximum: 500, default: 10, description: 'MySQL connection pool size.' },
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
