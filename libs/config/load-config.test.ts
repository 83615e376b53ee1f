import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { configSchema, realmConfigSchema } from './config.schema';
import { CONFIG_AJV_OPTIONS, ConfigError, loadConfig } from './load-config';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'tessera-config-'));

describe('loadConfig', () => {
  it('fills documented defaults when nothing is set', () => {
    const config = loadConfig({ env: {} });
    expect(config.serve.public.port).toBe(4433);
    expect(config.serve.admin.port).toBe(4434);
    expect(config.serve.public.base_url).toBe('http://127.0.0.1:4433/');
    expect(config.serve.shutdown_timeout).toBe(10_000);
    expect(config.dsn).toBe('sqlite://./data/tessera.db');
    expect(config.database.auto_migrate).toBe(true);
    expect(config.serve.public.cors.enabled).toBe(false);
    expect(config.secrets.default).toEqual([]);
    expect(config.hashers.bcrypt.cost).toBe(12);
  });

  it('applies UPPER_SNAKE environment overrides with type coercion', () => {
    const config = loadConfig({
      env: {
        SERVE_PUBLIC_PORT: '5000',
        SERVE_PUBLIC_BASE_URL: 'https://auth.example.com',
        DSN: 'memory',
        LOG_LEVEL: 'debug',
        SECRETS_COOKIE: 'aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb',
        SERVE_SHUTDOWN_TIMEOUT: '1m',
        SERVE_ADMIN_CORS_ENABLED: 'true',
      },
    });
    expect(config.serve.public.port).toBe(5000);
    expect(config.serve.public.base_url).toBe('https://auth.example.com/');
    expect(config.dsn).toBe('memory');
    expect(config.log.level).toBe('debug');
    expect(config.secrets.cookie).toEqual(['aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbb']);
    expect(config.serve.shutdown_timeout).toBe(60_000);
    expect(config.serve.admin.cors.enabled).toBe(true);
  });

  it('accepts JSON arrays from the environment', () => {
    const config = loadConfig({ env: { SECRETS_SYSTEM: '["cccccccccccccccccccc"]' } });
    expect(config.secrets.system).toEqual(['cccccccccccccccccccc']);
  });

  it('reads operator keys from ADMIN_API_KEYS (comma list or JSON array), none by default, 16+ characters each', () => {
    expect(loadConfig({ env: {} }).admin.api_keys).toEqual([]);
    expect(loadConfig({ env: { ADMIN_API_KEYS: 'first-operator-key-0001, second-operator-key-02' } }).admin.api_keys).toEqual(['first-operator-key-0001', 'second-operator-key-02']);
    expect(loadConfig({ env: { ADMIN_API_KEYS: '["json-operator-key-00001"]' } }).admin.api_keys).toEqual(['json-operator-key-00001']);
    expect(() => loadConfig({ env: { ADMIN_API_KEYS: 'short' } })).toThrow(/admin\.api_keys\.0: must NOT have fewer than 16 characters/);
  });

  it('names the key and the rule when a value is invalid', () => {
    expect(() => loadConfig({ env: { SERVE_PUBLIC_PORT: 'abc' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { SERVE_PUBLIC_PORT: 'abc' } })).toThrow(/serve\.public\.port: must be integer/);
    expect(() => loadConfig({ env: { SERVE_PUBLIC_PORT: '70000' } })).toThrow(/serve\.public\.port: must be <= 65535/);
    expect(() => loadConfig({ env: { SERVE_SHUTDOWN_TIMEOUT: 'soon' } })).toThrow(/serve\.shutdown_timeout: must be a duration/);
    expect(() => loadConfig({ env: { SERVE_PUBLIC_BASE_URL: 'not a url' } })).toThrow(/serve\.public\.base_url: must match format "uri"/);
    expect(() => loadConfig({ env: { LOG_LEVEL: 'loud' } })).toThrow(/log\.level: must be equal to one of the allowed values/);
    expect(() => loadConfig({ env: { SECRETS_DEFAULT: 'short' } })).toThrow(/secrets\.default\.0: must NOT have fewer than 16 characters/);
  });

  it('requires a pairwise salt of 8+ characters once pairwise subjects are enabled', () => {
    const pairwise = { OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,pairwise' };
    expect(() => loadConfig({ env: pairwise })).toThrow(/oidc\.subject_identifiers\.pairwise\.salt: is required when supported_types contains pairwise/);
    expect(() => loadConfig({ env: { ...pairwise, OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: 'short' } })).toThrow(/pairwise\.salt: must NOT have fewer than 8 characters/);
    expect(loadConfig({ env: { ...pairwise, OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: 'salty-salt' } }).oidc.subject_identifiers).toEqual({ supported_types: ['public', 'pairwise'], pairwise: { salt: 'salty-salt' } });
    expect(() => loadConfig({ env: { OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'ppid' } })).toThrow(/supported_types\.0: must be equal to one of the allowed values/);
  });

  it('rejects unknown keys in a config file, naming them', () => {
    const dir = tmp();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'serve:\n  public:\n    prot: 1\n');
    expect(() => loadConfig({ files: [file], env: {} })).toThrow(/serve\.public: must NOT have additional properties \(prot\)/);
  });

  it('reports unreadable and malformed files by name', () => {
    expect(() => loadConfig({ files: ['/nonexistent/x.yaml'], env: {} })).toThrow(/\/nonexistent\/x\.yaml: cannot read/);
    const file = join(tmp(), 'broken.yaml');
    writeFileSync(file, 'serve: [\n');
    expect(() => loadConfig({ files: [file], env: {} })).toThrow(/broken\.yaml: not valid YAML/);
  });

  it('layers files, then env, and resolves relative file:// URLs against the file that names them', () => {
    const dir = tmp();
    const file = join(dir, 'my.yaml');
    writeFileSync(file, 'dsn: memory\nidentity:\n  schemas:\n    - id: custom\n      url: file://./s.json\nserve:\n  admin:\n    port: 9999\n');
    const config = loadConfig({ files: [file], env: { SERVE_ADMIN_PORT: '9000' } });
    expect(config.dsn).toBe('memory');
    expect(config.serve.admin.port).toBe(9000);
    expect(config.identity.schemas).toEqual([{ id: 'custom', url: `file://${join(dir, 's.json')}` }]);
  });

  it('resolves the default schema against config/', () => {
    const config = loadConfig({ env: {} });
    expect(config.identity.schemas[0].url).toBe(`file://${resolve(__dirname, '../../schemas/identity.default.schema.json')}`);
  });

  it('returns a deep-frozen object', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config.serve.public)).toBe(true);
  });

  it.each(readdirSync(resolve(__dirname, '../../config')).filter((f) => f.endsWith('.yaml')))(
    'validates the shipped config/%s',
    (name) => {
      expect(() => loadConfig({ files: [resolve(__dirname, '../../config', name)], env: {} })).not.toThrow();
    },
  );
});

describe('configuration schemas', () => {
  // Boot skips the meta-schema check (CONFIG_AJV_OPTIONS.validateSchema is false): it happens here.
  const metaChecker = (): Ajv => {
    const ajv = new Ajv({ ...CONFIG_AJV_OPTIONS, validateSchema: true });
    addFormats(ajv);
    ajv.addKeyword({ keyword: 'duration', type: 'string', schemaType: 'boolean' });
    return ajv;
  };

  it.each([
    ['the whole file', configSchema],
    ['the realm part', realmConfigSchema],
  ])('%s is a valid JSON Schema (draft-07 meta-schema)', (_name, schema) => {
    const ajv = metaChecker();
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(ajv.errors ?? null).toBeNull();
  });

  it('the meta-schema check refuses a misspelt type', () => {
    expect(metaChecker().validateSchema({ type: 'object', properties: { port: { type: 'integr' } } })).toBe(false);
  });
});
