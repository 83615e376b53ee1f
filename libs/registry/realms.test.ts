import type { RealmConfig } from '../config';
import { FixedClock } from '../x';
import { type RealmSource, Realms, type RealmsOptions } from './realms';

/** A stand-in realm: which config it was built from, and how often it was disposed. */
class FakeRealm {
  disposed = 0;
  constructor(
    readonly name: string,
    readonly config: RealmConfig,
  ) {}
  dispose(): void {
    this.disposed += 1;
  }
}

const configOf = (label: string): RealmConfig => ({ label }) as unknown as RealmConfig;

/** A realm source backed by a map the test edits, and a factory that records what it built. */
function setup(options: Partial<RealmsOptions<FakeRealm>> = {}) {
  const clock = new FixedClock();
  const sources = new Map<string, RealmSource>();
  const built: FakeRealm[] = [];
  const loads: string[] = [];
  const realms = new Realms<FakeRealm>({
    load: (name) => {
      loads.push(name);
      return sources.get(name);
    },
    build: (name, config) => {
      const realm = new FakeRealm(name, config);
      built.push(realm);
      return realm;
    },
    clock,
    refreshInterval: 0,
    ...options,
  });
  const put = (name: string, revision = '1'): void => void sources.set(name, { config: configOf(`${name}@${revision}`), revision });
  return { realms, clock, sources, built, loads, put };
}

describe('Realms', () => {
  it('builds a realm on first use from its source and serves the same instance after', async () => {
    const { realms, built, put } = setup();
    put('acme');
    expect(built).toHaveLength(0);
    const first = await realms.get('acme');
    expect(first?.config).toEqual(configOf('acme@1'));
    expect(await realms.get('acme')).toBe(first);
    expect(built).toHaveLength(1);
  });

  it('answers undefined for a name no source knows, building nothing', async () => {
    const { realms, built } = setup();
    expect(await realms.get('nope')).toBeUndefined();
    expect(built).toHaveLength(0);
    expect(realms.cached()).toEqual([]);
  });

  it('shares one load and one build between concurrent gets of the same name', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const built: FakeRealm[] = [];
    const realms = new Realms<FakeRealm>({
      load: async () => {
        await gate;
        return { config: configOf('slow'), revision: '1' };
      },
      build: (name, config) => {
        const realm = new FakeRealm(name, config);
        built.push(realm);
        return realm;
      },
    });
    const gets = Array.from({ length: 20 }, () => realms.get('slow'));
    release();
    const results = await Promise.all(gets);
    expect(built).toHaveLength(1);
    expect(new Set(results).size).toBe(1);
  });

  it('evicts the least recently used realm beyond capacity, disposing it, and rebuilds it when asked again', async () => {
    const { realms, built, put } = setup({ capacity: 2 });
    ['a', 'b', 'c'].forEach((n) => put(n));
    const a = await realms.get('a');
    const b = await realms.get('b');
    await realms.get('a'); // a is now the most recently used
    await realms.get('c');
    expect(realms.cached()).toEqual(['a', 'c']);
    expect(b?.disposed).toBe(1);
    expect(a?.disposed).toBe(0);
    const b2 = await realms.get('b');
    expect(b2).not.toBe(b);
    expect(realms.cached()).toEqual(['c', 'b']);
    expect(a?.disposed).toBe(1);
    expect(built.map((r) => r.name)).toEqual(['a', 'b', 'c', 'b']);
  });

  it('evicts realms idle for idleTimeout on the next get, keeping recently used ones', async () => {
    const { realms, clock, put } = setup({ idleTimeout: 60_000 });
    ['a', 'b', 'c'].forEach((n) => put(n));
    const a = await realms.get('a');
    clock.advance(30_000);
    const b = await realms.get('b');
    clock.advance(30_000);
    const c = await realms.get('c');
    expect(a?.disposed).toBe(1);
    expect(b?.disposed).toBe(0);
    expect(realms.cached()).toEqual(['b', 'c']);
    expect(c?.disposed).toBe(0);
  });

  it('rebuilds a realm whose source reports another revision, disposing the old one once', async () => {
    const { realms, clock, put, built } = setup({ refreshInterval: 5_000 });
    put('acme', '1');
    const v1 = await realms.get('acme');
    put('acme', '2');
    expect(await realms.get('acme')).toBe(v1); // within refreshInterval: the source is not asked
    clock.advance(5_000);
    const v2 = await realms.get('acme');
    expect(v2).not.toBe(v1);
    expect(v2?.config).toEqual(configOf('acme@2'));
    expect(v1?.disposed).toBe(1);
    clock.advance(5_000);
    expect(await realms.get('acme')).toBe(v2); // same revision: kept
    expect(built).toHaveLength(2);
    expect(v1?.disposed).toBe(1);
  });

  it('drops and disposes a cached realm its source no longer knows', async () => {
    const { realms, sources, put } = setup();
    put('gone');
    const realm = await realms.get('gone');
    sources.delete('gone');
    expect(await realms.get('gone')).toBeUndefined();
    expect(realm?.disposed).toBe(1);
    expect(realms.cached()).toEqual([]);
  });

  it('serves pinned realms as given: never loaded, evicted or disposed', async () => {
    const pinned = new FakeRealm('default', configOf('file'));
    const { realms, loads, clock, put } = setup({ pinned: { default: pinned }, capacity: 1, idleTimeout: 1 });
    put('other');
    expect(await realms.get('default')).toBe(pinned);
    const other = await realms.get('other');
    clock.advance(10);
    expect(await realms.get('default')).toBe(pinned);
    realms.close();
    expect(loads).toEqual(['other']);
    expect(pinned.disposed).toBe(0);
    expect(other?.disposed).toBe(1);
    expect(realms.cached()).toEqual([]);
  });
});
