import { FILE_REALM, parseRealmConfig, realmConfigFileForm, realmConfigSchema } from '../config';
import { OryError } from '../http';
import { SERVICE_KEYS, WARNING_IGNORED_KEY, fileUrls, importServiceConfig, serverFileKeys, minimalOverrides, qualifyConfigMessage, splitByService, withoutService } from './project-config';

const host = { dev: false, serve: { public: { base_url: 'http://127.0.0.1:4433/' }, admin: { base_url: 'http://127.0.0.1:4434/' } }, courier: { sms: { enabled: false } } };

function reasonOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof OryError ? error.reason : String(error);
  }
  return undefined;
}

describe('the config split between the identity (Kratos) and oauth2 (Hydra) services', () => {
  it('gives every realm key to exactly one service', () => {
    const realmKeys = Object.keys(realmConfigSchema.properties as object).sort();
    expect([...SERVICE_KEYS.identity, ...SERVICE_KEYS.oauth2].sort()).toEqual(realmKeys);
    expect(SERVICE_KEYS.identity.filter((k) => SERVICE_KEYS.oauth2.includes(k))).toEqual([]);
  });

  it('splits an effective configuration by service, and drops one service from overrides', () => {
    const config = realmConfigFileForm(parseRealmConfig({}, host));
    const { identity, oauth2 } = splitByService(config);
    expect(Object.keys(identity).sort()).toEqual(['cookies', 'courier', 'identity', 'selfservice', 'session']);
    expect(Object.keys(oauth2).sort()).toEqual(['oauth2', 'oidc', 'strategies', 'ttl', 'urls', 'webfinger']);
    expect(withoutService({ session: {}, ttl: {}, urls: {} }, 'oauth2')).toEqual({ session: {} });
    expect(withoutService({ session: {}, ttl: {} }, 'identity')).toEqual({ ttl: {} });
  });

  it('takes Kratos keys for identity and Hydra keys for oauth2 as they are', () => {
    const identity = { selfservice: { methods: { totp: { enabled: true } } }, identity: { schemas: [{ id: 'a', url: 'base64://e30=' }] } };
    expect(importServiceConfig('identity', identity)).toEqual({ config: identity, warnings: [] });
    const oauth2 = { urls: { login: 'https://ui.example.com/login' }, ttl: { access_token: '2h' } };
    expect(importServiceConfig('oauth2', oauth2)).toEqual({ config: oauth2, warnings: [] });
  });

  it('drops operational keys with one warning per leaf, keeping the realm part of a mixed section (courier)', () => {
    const { config, warnings } = importServiceConfig('identity', {
      version: 'v0.11.0',
      serve: { public: { port: 4433, host: '0.0.0.0' } },
      dsn: 'memory',
      tracing: { provider: 'jaeger' },
      hashers: { algorithm: 'argon2' },
      courier: { smtp: { connection_uri: 'smtp://x/', from_address: 'a@example.com' }, message_retries: 3, templates: {} },
      session: { lifespan: '1h' },
    });
    expect(config).toEqual({ courier: { smtp: { from_address: 'a@example.com' }, templates: {} }, session: { lifespan: '1h' } });
    expect(warnings.every((w) => w.code === WARNING_IGNORED_KEY)).toBe(true);
    expect(warnings.map((w) => w.message.split(' ')[0])).toEqual([
      'services.identity.config.serve.public.port',
      'services.identity.config.serve.public.host',
      'services.identity.config.dsn',
      'services.identity.config.tracing.provider',
      'services.identity.config.hashers.algorithm',
      'services.identity.config.courier.smtp.connection_uri',
      'services.identity.config.courier.message_retries',
    ]);
    expect(importServiceConfig('oauth2', { serve: { admin: { port: 1 } }, log: { level: 'debug' } }).warnings).toHaveLength(2);
  });

  it('refuses a non-object config, a key of the other service and an unknown key (400 naming it)', () => {
    expect(reasonOf(() => importServiceConfig('identity', []))).toBe('services.identity.config: must be a JSON object');
    expect(reasonOf(() => importServiceConfig('identity', { ttl: {} }))).toMatch(/^services\.identity\.config\.ttl: is a key of the oauth2 service/);
    expect(reasonOf(() => importServiceConfig('oauth2', { selfservice: {} }))).toMatch(/^services\.oauth2\.config\.selfservice: is a key of the identity service/);
    expect(reasonOf(() => importServiceConfig('oauth2', { bogus: 1 }))).toMatch(/^services\.oauth2\.config\.bogus: is not a configuration key/);
  });

  it('names keys in configuration errors as the project API shows them', () => {
    expect(qualifyConfigMessage('invalid configuration: session.lifespan: must be a duration; ttl.access_token: must be a duration')).toBe(
      'services.identity.config.session.lifespan: must be a duration; services.oauth2.config.ttl.access_token: must be a duration',
    );
    expect(qualifyConfigMessage('invalid configuration: (root): must be object')).toBe('(root): must be object');
  });
});

describe('minimalOverrides', () => {
  it('keeps only what differs from the defaults (objects recursively, arrays whole)', () => {
    const defaults = { a: { b: 1, c: [1, 2] }, d: 'x' };
    expect(minimalOverrides({ a: { b: 1, c: [1, 2] }, d: 'x' }, defaults)).toEqual({});
    expect(minimalOverrides({ a: { b: 2, c: [1, 2] }, d: 'x' }, defaults)).toEqual({ a: { b: 2 } });
    expect(minimalOverrides({ a: { b: 1, c: [1, 2, 3] }, d: 'x', e: true }, defaults)).toEqual({ a: { c: [1, 2, 3] }, e: true });
  });

  it('stores nothing for the effective default configuration read back, and round-trips a change', () => {
    const defaults = realmConfigFileForm(parseRealmConfig({}, host));
    expect(minimalOverrides(defaults, defaults)).toEqual({});
    const changed = realmConfigFileForm(parseRealmConfig({ session: { lifespan: '90m' }, ttl: { access_token: '2h' } }, host));
    const stored = minimalOverrides(changed, defaults);
    expect(stored).toEqual({ session: { lifespan: '1h30m0s' }, ttl: { access_token: '2h0m0s' } });
    expect(parseRealmConfig(stored, host)).toEqual(parseRealmConfig({ session: { lifespan: '90m' }, ttl: { access_token: '2h' } }, host));
    expect(FILE_REALM).toBe('default');
  });
});

describe('serverFileKeys', () => {
  it("names file:// URLs and template_override_path, except the defaults' own URLs", () => {
    const overrides = {
      identity: { schemas: [{ id: 'a', url: 'file:///etc/passwd' }, { id: 'b', url: 'base64://e30=' }, { id: 'default', url: 'file:///app/schemas/default.json' }] },
      courier: { template_override_path: '/etc', templates: { recovery_code_valid: { email: { subject: 'FILE:///etc/shadow' } } } },
      session: { whoami: { tokenizer: { templates: { t: { jwks_url: 'file:///keys.json' } } } } },
      urls: { login: 'https://ui.example.com/login' },
    };
    const defaults = fileUrls({ identity: { schemas: [{ id: 'default', url: 'file:///app/schemas/default.json' }] } });
    expect(serverFileKeys(overrides, defaults)).toEqual([
      'services.identity.config.identity.schemas.0.url',
      'services.identity.config.courier.template_override_path',
      'services.identity.config.courier.templates.recovery_code_valid.email.subject',
      'services.identity.config.session.whoami.tokenizer.templates.t.jwks_url',
    ]);
    expect(serverFileKeys({ ttl: { access_token: '1h' } })).toEqual([]);
  });
});
