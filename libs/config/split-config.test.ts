import type { SchemaObject } from 'ajv';
import { composeSchemas } from './compose-schemas';
import { configSchema, processConfigSchema, realmConfigSchema } from './config.schema';
import { loadConfig } from './load-config';
import { splitConfig } from './split-config';

/** Every key path the schema declares (`courier.smtp.from_address`), objects included. */
function declared(schema: SchemaObject, prefix = ''): string[] {
  return Object.entries((schema.properties ?? {}) as Record<string, SchemaObject>).flatMap(([key, sub]) => [
    `${prefix}${key}`,
    ...(sub.type === 'object' && sub.properties ? declared(sub, `${prefix}${key}.`) : []),
  ]);
}

/** The key paths a value has, descending only where the schema declares properties. */
function present(value: Record<string, unknown>, schema: SchemaObject, prefix = ''): string[] {
  const props = (schema.properties ?? {}) as Record<string, SchemaObject>;
  return Object.entries(value).flatMap(([key, v]) => [
    `${prefix}${key}`,
    ...(props[key]?.properties && typeof v === 'object' && v !== null ? present(v as Record<string, unknown>, props[key], `${prefix}${key}.`) : []),
  ]);
}

function merge(a: unknown, b: unknown): unknown {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || Array.isArray(a)) return b ?? a;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
  return out;
}

const HOST_FACTS = ['dev', 'serve', 'serve.public', 'serve.public.base_url', 'serve.admin', 'serve.admin.base_url', 'courier.sms.enabled'];

describe('the configuration split', () => {
  const config = loadConfig({
    env: {
      COURIER_SMTP_CONNECTION_URI: 'smtp://mail.example.com:587/',
      COURIER_SMTP_FROM_ADDRESS: 'realm@example.com',
      COURIER_SMS_FROM: 'Acme',
      COURIER_WORKER_BATCH_SIZE: '7',
      HASHERS_BCRYPT_COST: '10',
      SESSION_LIFESPAN: '2h',
      URLS_SELF_ISSUER: 'https://issuer.example.com/',
    },
  });
  const { process, realm } = splitConfig(config);

  it('keeps every key and environment variable of the file: the file schema is the two parts composed', () => {
    expect(new Set(declared(configSchema))).toEqual(new Set([...declared(processConfigSchema), ...declared(realmConfigSchema)]));
    for (const key of ['dev', 'dsn', 'database', 'log', 'serve', 'secrets', 'hashers', 'courier', 'session', 'cookies', 'selfservice', 'identity', 'urls', 'ttl', 'strategies', 'oauth2', 'webfinger', 'oidc']) {
      expect(declared(configSchema)).toContain(key);
    }
    expect(config.courier.smtp.connection_uri).toBe('smtp://mail.example.com:587/');
    expect(config.courier.smtp.from_address).toBe('realm@example.com');
    expect(config.courier.worker.batch_size).toBe(7);
  });

  it('declares each leaf key in exactly one part; only courier, courier.smtp and courier.sms are shared objects', () => {
    const p = new Set(declared(processConfigSchema));
    const shared = declared(realmConfigSchema).filter((k) => p.has(k));
    expect(shared.sort()).toEqual(['courier', 'courier.sms', 'courier.smtp']);
  });

  it('puts process keys in the process half and realm keys (plus the host facts) in the realm half', () => {
    expect(Object.keys(process).sort()).toEqual(['admin', 'cache', 'courier', 'database', 'dev', 'dsn', 'hashers', 'log', 'realms', 'secrets', 'serve']);
    const processKeys = new Set(declared(processConfigSchema));
    for (const path of present(process as unknown as Record<string, unknown>, processConfigSchema)) expect(processKeys).toContain(path);
    const realmKeys = new Set([...declared(realmConfigSchema), ...HOST_FACTS]);
    for (const path of present(realm as unknown as Record<string, unknown>, configSchema)) expect(realmKeys).toContain(path);
    expect(process.courier.smtp.connection_uri).toBe('smtp://mail.example.com:587/');
    expect(process.courier.worker.batch_size).toBe(7);
    expect(process.hashers.bcrypt.cost).toBe(10);
    expect(realm.courier.smtp.from_address).toBe('realm@example.com');
    expect(realm.courier.sms).toEqual({ from: 'Acme', enabled: false });
    expect(realm.session.lifespan).toBe(7_200_000);
    expect(realm.urls.self.issuer).toBe('https://issuer.example.com/');
    expect(realm.serve).toEqual({ public: { base_url: config.serve.public.base_url }, admin: { base_url: config.serve.admin.base_url } });
    expect(realm.dev).toBe(config.dev);
    expect(realm).not.toHaveProperty('secrets');
    expect(realm).not.toHaveProperty('dsn');
    expect(realm).not.toHaveProperty('hashers');
    expect(realm.courier).not.toHaveProperty('worker');
    expect(realm.courier.smtp).not.toHaveProperty('connection_uri');
  });

  it('loses nothing: the two halves merged are the file configuration', () => {
    expect(merge(process, realm)).toEqual(config);
  });

  it('freezes both halves', () => {
    expect(Object.isFrozen(process)).toBe(true);
    expect(Object.isFrozen(process.courier.smtp)).toBe(true);
    expect(Object.isFrozen(realm)).toBe(true);
    expect(Object.isFrozen(realm.courier.sms)).toBe(true);
  });
});

describe('composeSchemas', () => {
  const obj = (properties: Record<string, SchemaObject>, extra: SchemaObject = {}): SchemaObject => ({ type: 'object', additionalProperties: false, properties, ...extra });

  it('merges properties recursively and keeps the first part’s other keywords', () => {
    const a = obj({ x: { type: 'string' }, c: obj({ p: { type: 'integer' } }, { description: 'from a' }) });
    const b = obj({ y: { type: 'boolean' }, c: obj({ q: { type: 'string' } }, { description: 'from b', default: {} }) });
    expect(composeSchemas(a, b)).toEqual(
      obj({ x: { type: 'string' }, y: { type: 'boolean' }, c: obj({ p: { type: 'integer' }, q: { type: 'string' } }, { description: 'from a', default: {} }) }),
    );
    expect(a.properties.c.properties).toEqual({ p: { type: 'integer' } });
  });

  it('refuses a key both parts declare unless it is an object in both', () => {
    expect(() => composeSchemas(obj({ x: { type: 'string' } }), obj({ x: { type: 'string' } }))).toThrow('"x" is declared by both parts');
  });
});
