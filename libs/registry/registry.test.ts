import { loadConfig } from '../config';
import { FixedClock, systemCtx } from '../x';
import { RealmRegistry } from './realm-registry';
import { DEFAULT_REALM, createRegistry } from './registry';

describe('Registry (the facade over the platform and the default realm)', () => {
  const registry = createRegistry(loadConfig({ env: { DSN: 'memory', LOG_LEVEL: 'silent' } }));

  it('reads every realm member through from the default realm: the same instances, methods bound to it', () => {
    expect(registry.defaultRealm.name).toBe(DEFAULT_REALM);
    expect(registry.loginService).toBe(registry.defaultRealm.loginService);
    expect(registry.identityManager).toBe(registry.defaultRealm.identityManager);
    expect(registry.keyManager).toBe(registry.defaultRealm.keyManager);
    expect(registry.addressChallengeStrategy('code')).toBe(registry.defaultRealm.codeStrategy);
    expect(registry.loginStrategies).toEqual(registry.defaultRealm.loginStrategies);
  });

  it('shares the process parts between the facade, the platform and the realm', () => {
    expect(registry.persistence).toBe(registry.platform.persistence);
    expect(registry.defaultRealm.persistence).toBe(registry.platform.persistence);
    expect(registry.defaultRealm.passwordHasher).toBe(registry.platform.passwordHasher);
    expect(registry.defaultRealm.courierMessageStore).toBe(registry.platform.courierMessageStore);
    expect(registry.dispatcher).toBe(registry.platform.dispatcher);
  });

  it('gives the realm the realm half of the configuration and the platform the process half', () => {
    const realm = registry.defaultRealm.config;
    expect(realm).not.toHaveProperty('dsn');
    expect(realm).not.toHaveProperty('secrets');
    expect(realm).not.toHaveProperty('hashers');
    expect(realm.courier).not.toHaveProperty('worker');
    expect(realm.selfservice).toBe(registry.config.selfservice);
    expect(realm.serve.public.base_url).toBe(registry.config.serve.public.base_url);
    expect(registry.platform.config).not.toHaveProperty('selfservice');
    expect(registry.platform.config.dsn).toBe('memory');
    expect(registry.config.dsn).toBe('memory');
  });
});

describe('Registry.realms', () => {
  const registry = createRegistry(loadConfig({ env: { DSN: 'memory', LOG_LEVEL: 'silent' } }));
  beforeAll(() => registry.init());
  afterAll(() => registry.close());

  it('resolves the default realm to the registry the apps use, and a name no realm is stored under to undefined', async () => {
    expect(await registry.realms.get(DEFAULT_REALM)).toBe(registry.defaultRealm);
    expect(await registry.realms.get('acme')).toBeUndefined();
    expect(registry.realms.cached()).toEqual([]);
  });
});

describe('Registry.forRealm and unknown realm names', () => {
  const config = loadConfig({ env: { DSN: 'memory', LOG_LEVEL: 'silent', REALMS_REFRESH_INTERVAL: '5s' } });
  const clock = new FixedClock();
  const registry = createRegistry(config, { clock });
  const storeReads = jest.spyOn(registry.platform.realmStore, 'get');
  const reads = (name: string) => storeReads.mock.calls.filter(([, n]) => n === name).length;
  beforeAll(() => registry.init());
  afterAll(() => registry.close());

  it('reads the store once for an unknown name within realms.refresh_interval, again after it', async () => {
    expect(await registry.forRealm('ghost')).toBeUndefined();
    expect(await registry.forRealm('ghost')).toBeUndefined();
    expect(await Promise.all(Array.from({ length: 10 }, () => registry.forRealm('ghost')))).toEqual(Array(10).fill(undefined));
    expect(reads('ghost')).toBe(1);
    clock.advance(5_000);
    expect(await registry.forRealm('ghost')).toBeUndefined();
    expect(reads('ghost')).toBe(2);
  });

  it('serves a realm created in this process at once, even if its name was just looked up as unknown', async () => {
    expect(await registry.forRealm('newcomer')).toBeUndefined();
    await registry.realmConfigService.create(systemCtx(registry.logger, DEFAULT_REALM), 'newcomer');
    const view = await registry.forRealm('newcomer');
    expect(view?.defaultRealm.name).toBe('newcomer');
  });

  it('serves a realm created by another process once the interval has passed', async () => {
    expect(await registry.forRealm('elsewhere')).toBeUndefined();
    // Another process writes the row: this process's store sees it, its service is not told.
    await registry.platform.realmStore.create(systemCtx(registry.logger, DEFAULT_REALM), 'elsewhere', {});
    expect(await registry.forRealm('elsewhere')).toBeUndefined();
    clock.advance(5_000);
    expect((await registry.forRealm('elsewhere'))?.defaultRealm.name).toBe('elsewhere');
  });
});

describe('Registry.realms settings', () => {
  const registry = createRegistry(loadConfig({ env: { DSN: 'memory', LOG_LEVEL: 'silent', REALMS_CAPACITY: '2' } }));
  beforeAll(() => registry.init());
  afterAll(() => registry.close());

  it('keeps at most realms.capacity stored realms built, least recently used dropped', async () => {
    const ctx = systemCtx(registry.logger, DEFAULT_REALM);
    for (const name of ['one', 'two', 'three']) {
      await registry.realmConfigService.create(ctx, name);
      expect(await registry.realms.get(name)).toBeDefined();
    }
    expect(registry.realms.cached()).toEqual(['two', 'three']);
  });
});

describe('RealmRegistry', () => {
  const registry = createRegistry(loadConfig({ env: { DSN: 'memory', LOG_LEVEL: 'silent' } }));

  it('builds a realm of its own over the shared platform: its config, its services, its OAuth2 engine', () => {
    const config = { ...registry.defaultRealm.config, urls: { self: { issuer: 'https://acme.example.com/' } } };
    const acme = new RealmRegistry(registry.platform, 'acme', config);
    expect(acme.config.urls.self.issuer).toBe('https://acme.example.com/');
    expect(acme.oauth2Provider).not.toBe(registry.oauth2Provider);
    expect(acme.loginService).not.toBe(registry.loginService);
    expect(acme.keyManager).not.toBe(registry.keyManager);
    expect(acme.persistence).toBe(registry.persistence);
    expect(acme.passwordHasher).toBe(registry.passwordHasher);
    acme.dispose();
  });
});
