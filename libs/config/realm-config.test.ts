import { ConfigError } from './load-config';
import { type RealmHostFacts, parseRealmConfig, realmNameProblem } from './realm-config';

const host: RealmHostFacts = {
  dev: false,
  serve: { public: { base_url: 'https://auth.example.com/realms/acme/' }, admin: { base_url: 'http://admin.internal/realms/acme/' } },
  courier: { sms: { enabled: true } },
};

describe('realmNameProblem', () => {
  it.each(['acme', 'a', 'a-b-9', '0x', 'a'.repeat(63)])('accepts the DNS label %s', (name) => {
    expect(realmNameProblem(name)).toBeUndefined();
  });

  it.each(['', 'Acme', 'a_b', '-a', 'a-', 'a.b', 'a b', 'a'.repeat(64), 'é'])('refuses %j', (name) => {
    expect(realmNameProblem(name)).toMatch(/1 to 63 lowercase letters/);
  });

  it('refuses the file-configured realm and the reserved names', () => {
    expect(realmNameProblem('default')).toMatch(/configured by the configuration file/);
    expect(realmNameProblem('admin')).toMatch(/reserved/);
    expect(realmNameProblem('realms')).toMatch(/reserved/);
  });
});

describe('parseRealmConfig', () => {
  it('starts from the realm schema defaults, with the host facts', () => {
    const config = parseRealmConfig({}, host);
    expect(config.session.lifespan).toBe(24 * 3600_000);
    expect(config.session.cookie.name).toBe('ory_kratos_session');
    expect(config.serve.public.base_url).toBe('https://auth.example.com/realms/acme/');
    expect(config.courier.sms.enabled).toBe(true);
    expect(config.dev).toBe(false);
    // The default identity schema is resolved like config/default.yaml's: to the installation's schemas/ folder.
    expect(config.identity.schemas[0].url).toMatch(/^file:\/\/\/.*\/schemas\/identity\.default\.schema\.json$/);
    expect(Object.isFrozen(config.session)).toBe(true);
  });

  it('overlays the overrides (durations parsed) and leaves the input untouched', () => {
    const overrides = { session: { lifespan: '1h' }, selfservice: { methods: { totp: { enabled: true } } } };
    const config = parseRealmConfig(overrides, host);
    expect(config.session.lifespan).toBe(3600_000);
    expect(config.selfservice.methods.totp.enabled).toBe(true);
    expect(overrides).toEqual({ session: { lifespan: '1h' }, selfservice: { methods: { totp: { enabled: true } } } });
  });

  it('names the key of a bad value', () => {
    expect(() => parseRealmConfig({ session: { lifespan: 'soon' } }, host)).toThrow(ConfigError);
    expect(() => parseRealmConfig({ session: { lifespan: 'soon' } }, host)).toThrow(/session\.lifespan: must be a duration/);
  });

  it('refuses process keys and unknown keys', () => {
    expect(() => parseRealmConfig({ dsn: 'memory' }, host)).toThrow(/must NOT have additional properties \(dsn\)/);
    expect(() => parseRealmConfig({ serve: { public: { port: 1 } } }, host)).toThrow(/additional properties \(serve\)/);
  });

  it('holds stored realms to the cross-key rules (pairwise salt)', () => {
    expect(() => parseRealmConfig({ oidc: { subject_identifiers: { supported_types: ['pairwise'] } } }, host)).toThrow(/pairwise\.salt: is required/);
  });

  it('refuses a configuration that is not an object', () => {
    expect(() => parseRealmConfig([], host)).toThrow(/\(root\): must be object/);
    expect(() => parseRealmConfig('x', host)).toThrow(/\(root\): must be object/);
  });
});
