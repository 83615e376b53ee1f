import { timingSafeEqual } from 'node:crypto';
import { testCtx } from '../x/testing';
import { AdminAuthenticator, OperatorKeys, actorOf, bearerToken } from './admin-authenticator';
import { hashProjectApiKey, newProjectApiKeyValue } from './project-api-key';
import type { ProjectApiKeyOwner, ProjectApiKeyStore } from './project-api-key-store';

const KEYS = ['operator-key-number-one', 'operator-key-number-two', 'operator-key-number-three'];

/** `timingSafeEqual` that records what it compared. */
function recordingEqual(): { equal: (a: Buffer, b: Buffer) => boolean; calls: { a: Buffer; b: Buffer }[] } {
  const calls: { a: Buffer; b: Buffer }[] = [];
  return { calls, equal: (a, b) => (calls.push({ a, b }), timingSafeEqual(a, b)) };
}

describe('OperatorKeys (constant-time comparison)', () => {
  it.each([
    ['the first key', KEYS[0], 0],
    ['the last key', KEYS[2], 2],
    ['a wrong key', 'operator-key-number-fou', -1],
    ['a prefix of a key', 'operator-key', -1],
    ['a key with a suffix', `${KEYS[1]}x`, -1],
    ['an empty token', '', -1],
  ])('compares %s with every key, always as 32-byte digests, with timingSafeEqual', (_what, token, expected) => {
    const { equal, calls } = recordingEqual();
    const keys = new OperatorKeys(KEYS, equal);
    expect(keys.match(token)).toBe(expected);
    // No early exit: as many comparisons whether the first, the last or no key matches.
    expect(calls).toHaveLength(KEYS.length);
    for (const { a, b } of calls) {
      expect(a).toHaveLength(32);
      expect(b).toHaveLength(32);
    }
    // The same presented digest each time, against each key's digest once.
    expect(new Set(calls.map((c) => c.a.toString('hex'))).size).toBe(1);
    expect(new Set(calls.map((c) => c.b.toString('hex'))).size).toBe(KEYS.length);
  });

  it('holds digests, never the keys themselves', () => {
    const keys = new OperatorKeys(KEYS);
    const dump = JSON.stringify(keys) + String(Object.values(keys));
    for (const key of KEYS) expect(dump).not.toContain(key);
  });

  it('is disabled without keys (the admin port stays open) and matches nothing then', () => {
    expect(new OperatorKeys([]).enabled).toBe(false);
    expect(new OperatorKeys([]).match('anything')).toBe(-1);
    expect(new OperatorKeys(KEYS).enabled).toBe(true);
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER   abc  ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['abc', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});

describe('AdminAuthenticator', () => {
  const value = newProjectApiKeyValue();
  const lookups: string[] = [];
  const store: ProjectApiKeyStore = {
    create: async () => undefined,
    list: async () => [],
    delete: async () => false,
    findByHash: async (_ctx, hash): Promise<ProjectApiKeyOwner | undefined> => {
      lookups.push(hash);
      return hash === hashProjectApiKey(value) ? { realm: 'acme', id: 'key-1' } : undefined;
    },
  };
  const authenticator = new AdminAuthenticator({ operatorKeys: new OperatorKeys(KEYS), projectApiKeyStore: store, operatorSessions: { identityOf: async (_ctx, token) => (token === 'session-token' ? 'identity-1' : undefined) } });
  const ctx = testCtx();

  beforeEach(() => lookups.splice(0));

  it('knows an operator key by position, without asking the database', async () => {
    expect(await authenticator.authenticate(ctx, KEYS[1])).toEqual({ kind: 'operator', id: 'operator:2' });
    expect(lookups).toEqual([]);
    expect(actorOf({ kind: 'operator', id: 'operator:2' })).toEqual({ kind: 'admin', id: 'operator:2' });
  });

  it('looks a project key up by its SHA-256, never by its value', async () => {
    expect(value).toMatch(/^ory_pat_[A-Za-z0-9]{43}$/);
    expect(await authenticator.authenticate(ctx, value)).toEqual({ kind: 'project_api_key', id: 'key-1', realm: 'acme' });
    expect(lookups).toEqual([hashProjectApiKey(value)]);
    expect(lookups[0]).not.toContain(value);
    expect(actorOf({ kind: 'project_api_key', id: 'key-1', realm: 'acme' })).toEqual({ kind: 'admin', id: 'project_api_key:key-1' });
  });

  it('answers undefined for a wrong key; only ory_pat_ tokens reach the database', async () => {
    expect(await authenticator.authenticate(ctx, 'not-a-key-at-all')).toBeUndefined();
    expect(await authenticator.authenticate(ctx, newProjectApiKeyValue())).toBeUndefined();
    expect(lookups).toHaveLength(1);
  });

  it("knows an operator's session as the identity, acting as that identity; a session token is never a key", async () => {
    expect(await authenticator.authenticateSession(ctx, 'session-token')).toEqual({ kind: 'operator_session', id: 'identity-1' });
    expect(await authenticator.authenticateSession(ctx, 'other-token')).toBeUndefined();
    expect(await authenticator.authenticate(ctx, 'session-token')).toBeUndefined();
    expect(actorOf({ kind: 'operator_session', id: 'identity-1' })).toEqual({ kind: 'identity', id: 'identity-1' });
  });

  it('gives every key a new value', () => {
    expect(new Set(Array.from({ length: 50 }, newProjectApiKeyValue)).size).toBe(50);
  });
});
