import { FixedClock, newId } from '../../../x';
import { OidcAdapter } from '../oidc-adapter';
import type { OidcPayloadStore } from '../oidc-payload-store';

/**
 * The adapter contract oidc-provider relies on (findings §6), run through {@link OidcAdapter} on a
 * real {@link OidcPayloadStore}. Ids are unique per test, so one store serves every test.
 */
export function describeOidcAdapterContract(label: string, makeStore: () => Promise<OidcPayloadStore>): void {
  describe(`OidcPayloadStore + OidcAdapter contract (${label})`, () => {
    let store: OidcPayloadStore;
    const clock = new FixedClock(new Date('2026-05-01T10:00:00.000Z'));
    const adapter = (model: string, graceSeconds = 0) =>
      new OidcAdapter(model, {
        store,
        clock,
        refreshGraceSeconds: graceSeconds,
        findClient: async (id) => (id === 'known' ? { client_id: 'known' } : undefined),
        replayError: () => new Error('replayed'),
      });
    beforeAll(async () => {
      store = await makeStore();
    });

    describe('upsert / find', () => {
      it('stores a payload, replaces it on upsert and hides it once expired', async () => {
        const id = newId();
        const a = adapter('AccessToken');
        await a.upsert(id, { jti: id, grantId: 'g', accountId: 'alice', clientId: 'c1', extra: { ext: { n: 1 } } }, 60);
        expect(await a.find(id)).toEqual({ jti: id, grantId: 'g', accountId: 'alice', clientId: 'c1', extra: { ext: { n: 1 } } });
        await a.upsert(id, { jti: id, grantId: 'g', changed: true }, 60);
        expect(await a.find(id)).toEqual({ jti: id, grantId: 'g', changed: true });
        clock.advance(61_000);
        expect(await a.find(id)).toBeUndefined();
        expect(await adapter('RefreshToken').find(id)).toBeUndefined();
      });

      it('tells which model holds a live id (findModel)', async () => {
        const id = newId();
        await adapter('ClientCredentials').upsert(id, { jti: id }, 60);
        expect(await store.findModel(['AccessToken', 'RefreshToken', 'ClientCredentials'], id, clock.now())).toBe('ClientCredentials');
        expect(await store.findModel(['AccessToken', 'RefreshToken'], id, clock.now())).toBeUndefined();
        expect(await store.findModel([], id, clock.now())).toBeUndefined();
        clock.advance(61_000);
        expect(await store.findModel(['ClientCredentials'], id, clock.now())).toBeUndefined();
      });

      it('keeps payloads without expiry', async () => {
        const id = newId();
        await adapter('Grant').upsert(id, { jti: id });
        clock.advance(3_600_000);
        expect(await adapter('Grant').find(id)).toEqual({ jti: id });
      });
    });

    describe('consume', () => {
      it('reports consumption as `consumed` (epoch seconds); a second consume is a replay that revokes the grant', async () => {
        const id = newId();
        const grantId = newId();
        const a = adapter('AuthorizationCode');
        await a.upsert(id, { jti: id, grantId }, 600);
        await adapter('AccessToken').upsert(`${id}-at`, { jti: `${id}-at`, grantId }, 600);
        await adapter('Grant').upsert(grantId, { jti: grantId }, 600);
        await a.consume(id);
        expect(await a.find(id)).toEqual({ jti: id, grantId, consumed: Math.floor(clock.now().getTime() / 1000) });
        clock.advance(5000);
        await expect(a.consume(id)).rejects.toThrow('replayed');
        expect(await a.find(id)).toBeUndefined();
        expect(await adapter('AccessToken').find(`${id}-at`)).toBeUndefined();
        expect(await adapter('Grant').find(grantId)).toBeUndefined();
      });

      it('lets exactly one of two concurrent consumes win', async () => {
        const id = newId();
        const a = adapter('RefreshToken');
        await a.upsert(id, { jti: id }, 600);
        const outcomes = await Promise.allSettled([a.consume(id), a.consume(id)]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect(await a.find(id)).toMatchObject({ jti: id, consumed: expect.any(Number) });
      });

      it('hides a refresh token consumption within the grace period only', async () => {
        const id = newId();
        const a = adapter('RefreshToken', 10);
        await a.upsert(id, { jti: id }, 600);
        const consumedAt = Math.floor(clock.now().getTime() / 1000);
        await a.consume(id);
        clock.advance(5000);
        expect(await a.find(id)).toEqual({ jti: id });
        await expect(a.consume(id)).resolves.toBeUndefined(); // redeemed again within the grace period: no replay
        clock.advance(6000);
        expect((await a.find(id))?.consumed).toBe(consumedAt);
        await expect(a.consume(id)).rejects.toThrow('replayed');
      });
    });

    describe('findByUid / findByUserCode', () => {
      it('finds sessions by uid and device codes by user code', async () => {
        const [id, uid, userCode] = [newId(), newId(), `UC-${newId().slice(0, 8)}`];
        await adapter('Session').upsert(id, { jti: id, uid, accountId: 'bob' }, 600);
        expect(await adapter('Session').findByUid(uid)).toEqual({ jti: id, uid, accountId: 'bob' });
        const dc = newId();
        await adapter('DeviceCode').upsert(dc, { jti: dc, userCode, grantId: 'g2' }, 600);
        expect(await adapter('DeviceCode').findByUserCode(userCode)).toEqual({ jti: dc, userCode, grantId: 'g2' });
        expect(await adapter('DeviceCode').findByUserCode('nope')).toBeUndefined();
      });
    });

    describe('destroy / revokeByGrantId', () => {
      it('destroys one record and revokes a grant per model', async () => {
        const grantId = newId();
        const [at1, at2, rt] = [newId(), newId(), newId()];
        await adapter('AccessToken').upsert(at1, { jti: at1, grantId }, 600);
        await adapter('AccessToken').upsert(at2, { jti: at2, grantId }, 600);
        await adapter('RefreshToken').upsert(rt, { jti: rt, grantId }, 600);
        await adapter('AccessToken').destroy(at1);
        expect(await adapter('AccessToken').find(at1)).toBeUndefined();
        await adapter('AccessToken').revokeByGrantId(grantId);
        expect(await adapter('AccessToken').find(at2)).toBeUndefined();
        expect(await adapter('RefreshToken').find(rt)).toEqual({ jti: rt, grantId });
      });
    });

    describe('admin queries', () => {
      it('lists and deletes by account and deletes by client', async () => {
        const account = `acct-${newId()}`;
        const client = `client-${newId()}`;
        const [s1, s2, at] = [newId(), newId(), newId()];
        await adapter('Session').upsert(s1, { jti: s1, uid: newId(), accountId: account }, 600);
        await adapter('Session').upsert(s2, { jti: s2, uid: newId(), accountId: account }, 600);
        await adapter('AccessToken').upsert(at, { jti: at, clientId: client, accountId: account }, 600);
        expect((await store.listByAccount('Session', account, clock.now())).map((r) => r.id).sort()).toEqual([s1, s2].sort());
        expect(await store.deleteByClient(['AccessToken', 'ClientCredentials'], client)).toBe(1);
        expect(await store.deleteByAccount(['Session'], account)).toBe(2);
        expect(await store.listByAccount('Session', account, clock.now())).toEqual([]);
      });

      it('sweeps expired rows in batches', async () => {
        const ids = [newId(), newId(), newId()];
        for (const id of ids) await adapter('Interaction').upsert(id, { jti: id }, 1);
        clock.advance(2000);
        let swept = 0;
        for (let i = 0; i < 10; i++) swept += await store.deleteExpired(clock.now(), 1000);
        expect(swept).toBeGreaterThanOrEqual(3);
        expect(await store.deleteExpired(clock.now(), 1000)).toBe(0);
      });
    });

    describe('Client', () => {
      it('reads clients from the client store and refuses writes', async () => {
        expect(await adapter('Client').find('known')).toEqual({ client_id: 'known' });
        expect(await adapter('Client').find('unknown')).toBeUndefined();
        await expect(adapter('Client').upsert('x', { client_id: 'x' })).rejects.toThrow(/admin API/);
        await expect(adapter('Client').destroy('x')).rejects.toThrow(/admin API/);
      });
    });
  });
}
