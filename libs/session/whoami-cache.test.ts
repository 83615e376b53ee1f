import { makeIdentity } from '../identity/testing/identity-pool.contract';
import type { Session } from './session';
import { WhoamiCache, type WhoamiRecord } from './whoami-cache';

function record(identityId = 'identity-1', sessionId = 'session-1'): WhoamiRecord {
  const identity = { ...makeIdentity(`${identityId}@example.com`), id: identityId };
  const now = new Date();
  const session: Session = {
    id: sessionId,
    identityId,
    tokenHash: `hash-${sessionId}`,
    active: true,
    aal: 'aal1',
    authenticatedAt: now,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + 60_000),
    authenticationMethods: [],
    devices: [],
  };
  return { session, identity };
}

describe('WhoamiCache', () => {
  let now = 0;
  const cache = (ttlMs = 1_000, maxEntries = 100) => new WhoamiCache({ ttlMs, maxEntries, now: () => now });
  beforeEach(() => {
    now = 1_000;
  });

  it('serves a read until the TTL has passed since the read began, then misses', () => {
    const c = cache();
    const ticket = c.ticket();
    now += 200; // the read took 200 ms
    c.set('default', 'h1', record(), ticket);
    now += 799;
    expect(c.get('default', 'h1')?.session.id).toBe('session-1');
    now += 1;
    expect(c.get('default', 'h1')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('keys by realm: a token hash of one realm is unknown in another', () => {
    const c = cache();
    c.set('acme', 'h1', record(), c.ticket());
    expect(c.get('default', 'h1')).toBeUndefined();
    expect(c.get('acme', 'h1')).toBeDefined();
  });

  it('drops the entries of a changed session or identity at once, in that realm only', () => {
    const c = cache();
    c.set('default', 'a', record('i1', 's1'), c.ticket());
    c.set('default', 'b', record('i1', 's2'), c.ticket());
    c.set('default', 'c', record('i2', 's3'), c.ticket());
    c.set('acme', 'a', record('i1', 's1'), c.ticket());
    c.invalidate('default', { sessionId: 's1' });
    expect(c.get('default', 'a')).toBeUndefined();
    expect(c.get('default', 'b')).toBeDefined();
    c.invalidate('default', { identityId: 'i1' });
    expect(c.get('default', 'b')).toBeUndefined();
    expect(c.get('default', 'c')).toBeDefined();
    expect(c.get('acme', 'a')).toBeDefined();
    c.invalidateRealm('acme');
    expect(c.get('acme', 'a')).toBeUndefined();
    expect(c.get('default', 'c')).toBeDefined();
  });

  it('never stores a read that was in flight when a change was reported (it may hold the old row)', () => {
    const c = cache();
    const ticket = c.ticket();
    c.invalidate('default', { sessionId: 'unrelated' });
    c.set('default', 'h1', record(), ticket);
    expect(c.get('default', 'h1')).toBeUndefined();
    c.set('default', 'h1', record(), c.ticket());
    expect(c.get('default', 'h1')).toBeDefined();
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const c = cache(1_000, 2);
    c.set('default', 'a', record('i1', 's1'), c.ticket());
    c.set('default', 'b', record('i2', 's2'), c.ticket());
    c.set('default', 'c', record('i3', 's3'), c.ticket());
    expect(c.size).toBe(2);
    expect(c.get('default', 'a')).toBeUndefined();
    expect(c.get('default', 'b')).toBeDefined();
    expect(c.get('default', 'c')).toBeDefined();
  });

  it('stores nothing with a TTL of 0', () => {
    const c = cache(0);
    c.set('default', 'a', record(), c.ticket());
    expect(c.size).toBe(0);
  });
});
