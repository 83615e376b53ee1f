import { MemoryRealmStore, type RealmConfig, type RealmHostFacts } from '../config';
import { OryError } from '../http';
import { FixedClock } from '../x';
import { testCtx } from '../x/testing';
import { RealmConfigService } from './realm-config-service';
import { Realms } from './realms';

const ctx = testCtx();
const hostOf = (name: string): RealmHostFacts => ({
  dev: false,
  serve: { public: { base_url: `http://pub/realms/${name}/` }, admin: { base_url: `http://adm/realms/${name}/` } },
  courier: { sms: { enabled: false } },
});

/** What the promise rejected with, as an OryError (the test fails when it resolves or throws something else). */
async function oryError(promise: Promise<unknown>): Promise<OryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OryError);
  return error as OryError;
}

class BuiltRealm {
  disposed = 0;
  constructor(
    readonly name: string,
    readonly config: RealmConfig,
  ) {}
  dispose(): void {
    this.disposed += 1;
  }
}

function setup(refreshInterval = 5_000) {
  const clock = new FixedClock();
  const store = new MemoryRealmStore(clock);
  const changed: string[] = [];
  const built: BuiltRealm[] = [];
  const service: RealmConfigService = new RealmConfigService({
    realmStore: store,
    hostOf,
    onChange: (name) => {
      changed.push(name);
      realms.invalidate(name);
    },
  });
  const realms = new Realms<BuiltRealm>({
    load: (name) => service.source(ctx, name),
    build: (name, config) => {
      const realm = new BuiltRealm(name, config);
      built.push(realm);
      return realm;
    },
    clock,
    refreshInterval,
  });
  return { clock, store, service, realms, built, changed };
}

describe('RealmConfigService', () => {
  it('creates, lists, reads, updates (revision + 1) and deletes a realm, storing the overrides as given', async () => {
    const { service, changed } = setup();
    const created = await service.create(ctx, 'acme', { session: { lifespan: '1h' } });
    expect(created).toMatchObject({ name: 'acme', revision: 1, config: { session: { lifespan: '1h' } } });
    await service.create(ctx, 'beta');
    expect((await service.list(ctx)).map((r) => r.name)).toEqual(['acme', 'beta']);
    const updated = await service.update(ctx, 'acme', { session: { lifespan: '2h' } });
    expect(updated).toMatchObject({ revision: 2, config: { session: { lifespan: '2h' } } });
    expect((await service.get(ctx, 'acme')).revision).toBe(2);
    await service.delete(ctx, 'acme');
    expect((await oryError(service.get(ctx, 'acme'))).code).toBe(404);
    expect(changed).toEqual(['acme', 'beta', 'acme', 'acme']); // created, created, updated, deleted
  });

  it('refuses an invalid configuration with 400 naming the key, and writes nothing', async () => {
    const { service } = setup();
    const error = await oryError(service.create(ctx, 'acme', { session: { lifespan: 'soon' } }));
    expect(error.code).toBe(400);
    expect(error.reason).toMatch(/session\.lifespan: must be a duration/);
    expect(await service.list(ctx)).toEqual([]);
    await service.create(ctx, 'acme');
    expect((await oryError(service.update(ctx, 'acme', { dsn: 'memory' }))).reason).toMatch(/additional properties \(dsn\)/);
    expect((await service.get(ctx, 'acme')).revision).toBe(1);
  });

  it('refuses a configuration the realm cannot be built from (the check hook)', async () => {
    const store = new MemoryRealmStore();
    const service = new RealmConfigService({
      realmStore: store,
      hostOf,
      check: () => {
        throw new Error('identity schema "x": cannot read');
      },
    });
    expect((await oryError(service.create(ctx, 'acme', {}))).reason).toMatch(/identity schema "x": cannot read/);
    expect(await store.list(ctx)).toEqual([]);
  });

  it('refuses bad and reserved names with 400, a taken name with 409, unknown realms with 404', async () => {
    const { service } = setup();
    expect((await oryError(service.create(ctx, 'Acme'))).code).toBe(400);
    expect((await oryError(service.create(ctx, 'default'))).reason).toMatch(/configured by the configuration file/);
    await service.create(ctx, 'acme');
    expect((await oryError(service.create(ctx, 'acme'))).code).toBe(409);
    expect((await oryError(service.update(ctx, 'nope', {}))).code).toBe(404);
    expect((await oryError(service.delete(ctx, 'nope'))).code).toBe(404);
  });
});

describe('Realms loading stored realms', () => {
  it('builds a stored realm from the schema defaults plus its overrides; an unknown name resolves undefined', async () => {
    const { service, realms } = setup();
    await service.create(ctx, 'acme', { session: { lifespan: '1h' } });
    const acme = await realms.get('acme');
    expect(acme?.config.session.lifespan).toBe(3600_000);
    expect(acme?.config.serve.public.base_url).toBe('http://pub/realms/acme/');
    expect(await realms.get('nope')).toBeUndefined();
    expect(await realms.get('default')).toBeUndefined();
  });

  it('rebuilds a realm whose revision changed (written by another process) once the refresh interval has passed', async () => {
    const { clock, store, service, realms, built } = setup(5_000);
    await service.create(ctx, 'acme', {});
    const first = await realms.get('acme');
    expect(first?.config.selfservice.methods.totp.enabled).toBe(false);
    // Another process changes the row: this process's service is not told.
    await store.update(ctx, 'acme', { selfservice: { methods: { totp: { enabled: true } } } });
    clock.advance(4_000);
    expect(await realms.get('acme')).toBe(first);
    clock.advance(1_001);
    const second = await realms.get('acme');
    expect(second).not.toBe(first);
    expect(second?.config.selfservice.methods.totp.enabled).toBe(true);
    expect(first?.disposed).toBe(1);
    expect(built).toHaveLength(2);
  });

  it('keeps the realm while the revision is unchanged, and drops (disposes) it once deleted elsewhere', async () => {
    const { clock, store, service, realms, built } = setup(5_000);
    await service.create(ctx, 'acme', {});
    const first = await realms.get('acme');
    clock.advance(6_000);
    expect(await realms.get('acme')).toBe(first);
    await store.delete(ctx, 'acme');
    clock.advance(6_000);
    expect(await realms.get('acme')).toBeUndefined();
    expect(first?.disposed).toBe(1);
    expect(built).toHaveLength(1);
  });

  it('sees a change made through this process at once (invalidate)', async () => {
    const { service: invalidating, realms } = setup(60_000);
    await invalidating.create(ctx, 'acme', {});
    const first = await realms.get('acme');
    await invalidating.update(ctx, 'acme', { session: { lifespan: '1h' } });
    const second = await realms.get('acme');
    expect(second).not.toBe(first);
    expect(first?.disposed).toBe(1);
    expect(second?.config.session.lifespan).toBe(3600_000);
    await invalidating.delete(ctx, 'acme');
    expect(second?.disposed).toBe(1);
    expect(await realms.get('acme')).toBeUndefined();
  });
});
