import { FixedClock } from '../x';
import { UnknownRealmNames } from './unknown-realm-names';

function setup(ttl = 1_000, capacity = 3) {
  const clock = new FixedClock();
  return { clock, names: new UnknownRealmNames({ ttl, capacity, clock }) };
}

describe('UnknownRealmNames (the negative cache of realm names)', () => {
  it('remembers a name for ttl ms, then forgets it', () => {
    const { clock, names } = setup();
    expect(names.has('nope')).toBe(false);
    names.add('nope', names.epoch());
    expect(names.has('nope')).toBe(true);
    clock.advance(999);
    expect(names.has('nope')).toBe(true);
    clock.advance(1);
    expect(names.has('nope')).toBe(false);
    expect(names.size).toBe(0);
  });

  it('holds at most capacity names: random names evict the oldest', () => {
    const { names } = setup(60_000, 3);
    for (let i = 0; i < 1_000; i++) names.add(`random-${i}`, names.epoch());
    expect(names.size).toBe(3);
    expect(names.has('random-0')).toBe(false);
    expect(['random-997', 'random-998', 'random-999'].every((n) => names.has(n))).toBe(true);
  });

  it('prunes expired names when adding, so the map does not keep dead entries', () => {
    const { clock, names } = setup(1_000, 100);
    names.add('a', names.epoch());
    names.add('b', names.epoch());
    clock.advance(1_000);
    names.add('c', names.epoch());
    expect(names.size).toBe(1);
  });

  it('forgets a name at once (the realm was created in this process)', () => {
    const { names } = setup();
    names.add('acme', names.epoch());
    names.forget('acme');
    expect(names.has('acme')).toBe(false);
  });

  it('ignores an add from a lookup that started before a forget (a lookup racing a creation)', () => {
    const { names } = setup();
    const epoch = names.epoch(); // a lookup starts, finds no realm…
    names.forget('acme'); // …while this process creates it
    names.add('acme', epoch);
    expect(names.has('acme')).toBe(false);
    names.add('acme', names.epoch());
    expect(names.has('acme')).toBe(true);
  });

  it('remembers nothing with a ttl of 0 (realms.refresh_interval 0: every process reads every time)', () => {
    const { names } = setup(0);
    names.add('nope', names.epoch());
    expect(names.has('nope')).toBe(false);
  });
});
