import { MemoryCourierMessageStore } from '../courier';
import { makeMessage } from '../courier/testing/courier-message-store.contract';
import { MemoryKeyStore } from '../keys';
import { MemoryClientStore } from '../oauth2/client';
import { clientFixture } from '../oauth2/client/testing/client-store.contract';
import { MemoryOidcPayloadStore } from '../oauth2/provider';
import { ByRealm } from './by-realm';
import { testCtx } from './testing';

const A = testCtx({ realm: 'acme' });
const B = testCtx({ realm: 'globex' });
const NOW = new Date('2026-01-01T00:00:00.000Z');

describe('ByRealm', () => {
  it('gives each realm its own state, created once on first use', () => {
    const maps = new ByRealm(() => new Map<string, number>());
    maps.of(A).set('x', 1);
    expect(maps.of(A).get('x')).toBe(1);
    expect(maps.of(B).get('x')).toBeUndefined();
    expect(maps.of(A)).toBe(maps.of(testCtx({ realm: 'acme' })));
    expect(maps.all()).toHaveLength(2);
  });
});

describe('memory stores keep realms apart, as the nid column does', () => {
  it('clients: the same id in two realms, each realm sees its own', async () => {
    const store = new MemoryClientStore();
    const client = clientFixture(NOW, { client_name: 'of-a' });
    await store.create(A, client);
    expect(await store.get(B, client.id)).toBeUndefined();
    await store.create(B, { ...client, metadata: { ...client.metadata, client_name: 'of-b' } });
    expect((await store.get(A, client.id))?.metadata.client_name).toBe('of-a');
    expect(await store.delete(B, client.id)).toBe(true);
    expect((await store.get(A, client.id))?.metadata.client_name).toBe('of-a');
  });

  it('keys and oidc payloads: the same set+kid and model+id in two realms', async () => {
    const keys = new MemoryKeyStore();
    await keys.addKey(A, { set: 's', kid: 'k', alg: 'ES256', use: 'sig', keyData: 'a', createdAt: NOW });
    await keys.addKey(B, { set: 's', kid: 'k', alg: 'ES256', use: 'sig', keyData: 'b', createdAt: NOW });
    expect((await keys.listKeys(A, 's')).map((k) => k.keyData)).toEqual(['a']);
    const payloads = new MemoryOidcPayloadStore();
    await payloads.upsert(A, { model: 'AccessToken', id: 't', payload: { realm: 'a' } });
    expect(await payloads.find(B, 'AccessToken', 't', NOW)).toBeUndefined();
    expect(await payloads.consume(B, 'AccessToken', 't', NOW)).toBe(false);
  });

  it('courier: get and list see their realm; claims are process-wide', async () => {
    const store = new MemoryCourierMessageStore();
    const message = makeMessage();
    await store.create(A, message);
    expect(await store.get(B, message.id)).toBeUndefined();
    expect((await store.list(B, { size: 10 })).items).toHaveLength(0);
    const claimed = await store.claim(B, { types: ['email'], limit: 10, workerId: 'w', now: message.nextAttemptAt, leaseUntil: new Date(message.nextAttemptAt.getTime() + 60_000) });
    expect(claimed.map((m) => m.id)).toEqual([message.id]);
  });
});
