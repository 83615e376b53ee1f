import { DEFAULT_REALM, newId } from '../../x';
import type { CourierMessageStore } from '../courier-message-store';
import type { CourierMessage } from '../message';
import { testCtx } from '../../x/testing';

const ctx = testCtx();

/** What a contract run needs. */
export interface CourierMessageStoreFixture {
  readonly store: CourierMessageStore;
  /**
   * A second store on its own connection to the same database (another process, as far as the
   * database can tell). Stores without one (memory) pass `store` again.
   */
  readonly peer: CourierMessageStore;
  /** Deletes every message, so each case starts from an empty queue. */
  reset(): Promise<void>;
}

const BASE = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
const at = (offsetMs: number): Date => new Date(BASE + offsetMs);

/** A queued email of the default realm (stores report `realm` on reads) due at `BASE`, with overrides. */
export function makeMessage(overrides: Partial<CourierMessage> = {}): CourierMessage {
  return {
    realm: DEFAULT_REALM,
    id: newId(),
    type: 'email',
    status: 'queued',
    recipient: `r-${newId().slice(0, 8)}@example.com`,
    subject: 'Recover access to your account',
    body: 'Hi,\n\nplease recover access to your account by entering the following code:\n\n12345678\n',
    htmlBody: '<p>Hi,</p>\n<p><strong>12345678</strong></p>\n',
    templateType: 'recovery_code_valid',
    sendCount: 0,
    nextAttemptAt: at(0),
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

/** The behaviour every `CourierMessageStore` must have (architecture B13.9), one `describe` per method. */
export function describeCourierMessageStoreContract(label: string, setup: () => Promise<CourierMessageStoreFixture>): void {
  describe(`CourierMessageStore contract (${label})`, () => {
    let fixture: CourierMessageStoreFixture;
    let store: CourierMessageStore;
    beforeAll(async () => {
      fixture = await setup();
      store = fixture.store;
    });
    beforeEach(async () => fixture.reset());

    const claim = (workerId: string, nowMs: number, overrides: { limit?: number; leaseMs?: number; types?: ('email' | 'sms')[] } = {}) =>
      store.claim(ctx, { workerId, now: at(nowMs), leaseUntil: at(nowMs + (overrides.leaseMs ?? 60_000)), limit: overrides.limit ?? 10, types: overrides.types ?? ['email', 'sms'] });

    describe('create / get', () => {
      it('round-trips every field with millisecond precision', async () => {
        const message = makeMessage({ subject: 'Ünïcødé ✓ subject', body: 'x'.repeat(70_000), sendCount: 2, claimedBy: 'w1', claimedUntil: at(5), status: 'processing' });
        await store.create(ctx, message);
        expect(await store.get(ctx, message.id)).toEqual(message);
      });

      it('stores an SMS without subject or HTML body', async () => {
        const { htmlBody: _html, ...rest } = makeMessage();
        const sms: CourierMessage = { ...rest, type: 'sms', recipient: '+4915112345678', subject: '' };
        await store.create(ctx, sms);
        const stored = await store.get(ctx, sms.id);
        expect(stored).toEqual(sms);
        expect(stored?.htmlBody).toBeUndefined();
      });

      it('returns undefined for an unknown id and refuses a duplicate id', async () => {
        expect(await store.get(ctx, newId())).toBeUndefined();
        const message = makeMessage();
        await store.create(ctx, message);
        await expect(store.create(ctx, message)).rejects.toThrow();
      });
    });

    describe('list', () => {
      it('lists newest first in keyset pages (and by offset)', async () => {
        const messages = [0, 1, 2, 3, 4].map((i) => makeMessage({ createdAt: at(i * 1000) }));
        for (const m of messages) await store.create(ctx, m);
        const first = await store.list(ctx, { size: 2 });
        expect(first.items.map((m) => m.id)).toEqual([messages[4].id, messages[3].id]);
        expect(first.next).toEqual([at(3000).toISOString(), messages[3].id]);
        const second = await store.list(ctx, { size: 2, after: first.next });
        expect(second.items.map((m) => m.id)).toEqual([messages[2].id, messages[1].id]);
        const last = await store.list(ctx, { size: 2, after: second.next });
        expect(last.items.map((m) => m.id)).toEqual([messages[0].id]);
        expect(last.next).toBeUndefined();
        expect((await store.list(ctx, { size: 2, offset: 4 })).items.map((m) => m.id)).toEqual([messages[0].id]);
        expect((await store.list(ctx, { size: 2, offset: 6 })).items).toEqual([]);
      });

      it('orders messages created in the same millisecond by id, none missed or repeated', async () => {
        const messages = [0, 1, 2, 3, 4].map(() => makeMessage({ createdAt: at(7) }));
        for (const m of messages) await store.create(ctx, m);
        const seen: string[] = [];
        let after: readonly string[] | undefined;
        do {
          const page = await store.list(ctx, { size: 2, ...(after ? { after } : {}) });
          seen.push(...page.items.map((m) => m.id));
          after = page.next;
        } while (after);
        expect(seen).toEqual(messages.map((m) => m.id).sort().reverse());
      });

      it('filters by status and by exact recipient', async () => {
        const a = makeMessage({ recipient: 'a@example.com' });
        const b = makeMessage({ recipient: 'b@example.com', status: 'sent', createdAt: at(1) });
        const c = makeMessage({ recipient: 'a@example.com', status: 'abandoned', createdAt: at(2) });
        for (const m of [a, b, c]) await store.create(ctx, m);
        expect((await store.list(ctx, { size: 10, status: 'sent' })).items.map((m) => m.id)).toEqual([b.id]);
        const forA = await store.list(ctx, { size: 10, recipient: 'a@example.com' });
        expect(forA.items).toHaveLength(2);
        expect(forA.items.map((m) => m.id)).toEqual([c.id, a.id]);
        expect((await store.list(ctx, { size: 10, recipient: 'a@example.com', status: 'queued' })).items.map((m) => m.id)).toEqual([a.id]);
        expect((await store.list(ctx, { size: 10, recipient: 'c@example.com' })).items).toHaveLength(0);
      });
    });

    describe('claim', () => {
      it('claims due queued messages oldest due first, marking them processing with the lease and one more send', async () => {
        const later = makeMessage({ nextAttemptAt: at(500) });
        const earlier = makeMessage({ nextAttemptAt: at(100), createdAt: at(1) });
        const future = makeMessage({ nextAttemptAt: at(10_000) });
        for (const m of [later, earlier, future]) await store.create(ctx, m);
        const claimed = await claim('w1', 1000, { leaseMs: 30_000 });
        expect(claimed.map((m) => m.id)).toEqual([earlier.id, later.id]);
        expect(claimed[0]).toEqual({ ...earlier, status: 'processing', claimedBy: 'w1', claimedUntil: at(31_000), sendCount: 1, updatedAt: at(1000) });
        expect(await store.get(ctx, earlier.id)).toEqual(claimed[0]);
        expect((await store.get(ctx, future.id))?.status).toBe('queued');
      });

      it('claims a message due exactly now, and honours the limit', async () => {
        for (let i = 0; i < 3; i++) await store.create(ctx, makeMessage({ nextAttemptAt: at(0), createdAt: at(i) }));
        expect(await claim('w1', 0, { limit: 2 })).toHaveLength(2);
        expect(await claim('w1', 0, { limit: 2 })).toHaveLength(1);
        expect(await claim('w1', 0)).toEqual([]);
      });

      it('never gives a claimed message to another worker while the lease holds', async () => {
        const m = makeMessage();
        await store.create(ctx, m);
        expect(await claim('w1', 0, { leaseMs: 1000 })).toHaveLength(1);
        expect(await claim('w2', 999)).toEqual([]);
        expect(await claim('w2', 1000)).toEqual([]);
      });

      it('lets another worker reclaim a message whose lease expired (a crashed dispatcher), counting the attempt', async () => {
        const m = makeMessage();
        await store.create(ctx, m);
        await claim('crashed', 0, { leaseMs: 1000 });
        const [reclaimed] = await claim('w2', 1001);
        expect(reclaimed).toMatchObject({ id: m.id, status: 'processing', claimedBy: 'w2', sendCount: 2 });
        expect(await store.markSent(ctx, m.id, 'crashed', at(1002))).toBe(false);
        expect(await store.markSent(ctx, m.id, 'w2', at(1002))).toBe(true);
      });

      it('skips sent and abandoned messages and types it was not asked for', async () => {
        await store.create(ctx, makeMessage({ status: 'sent' }));
        await store.create(ctx, makeMessage({ status: 'abandoned' }));
        const sms = makeMessage({ type: 'sms', recipient: '+15550100', subject: '' });
        await store.create(ctx, sms);
        expect(await claim('w1', 0, { types: ['email'] })).toEqual([]);
        expect(await claim('w1', 0, { types: [] })).toEqual([]);
        expect((await claim('w1', 0, { types: ['sms'] })).map((m) => m.id)).toEqual([sms.id]);
      });

      it("claims every realm's messages, each naming its realm, or only the realm a claim names", async () => {
        const other = testCtx({ realm: 'other-realm' });
        const mine = makeMessage({ nextAttemptAt: at(0) });
        const theirs = makeMessage({ nextAttemptAt: at(1) });
        await store.create(ctx, mine);
        await store.create(other, theirs);
        expect((await store.claim(ctx, { workerId: 'w1', now: at(5), leaseUntil: at(60_000), limit: 10, types: ['email'], realm: 'other-realm' })).map((m) => [m.id, m.realm])).toEqual([
          [theirs.id, 'other-realm'],
        ]);
        expect((await claim('w2', 5)).map((m) => [m.id, m.realm])).toEqual([[mine.id, DEFAULT_REALM]]);
      });

      it('hands each message to exactly one of several concurrent workers (also across connections)', async () => {
        const n = 20;
        for (let i = 0; i < n; i++) await store.create(ctx, makeMessage({ createdAt: at(i) }));
        const stores = [store, fixture.peer, store, fixture.peer];
        const claimedIds: string[] = [];
        for (let round = 0; round < n; round++) {
          const results = await Promise.all(
            stores.map((s, i) => s.claim(ctx, { workerId: `w${i}`, now: at(0), leaseUntil: at(60_000), limit: 2, types: ['email'] })),
          );
          const ids = results.flat().map((m) => m.id);
          claimedIds.push(...ids);
          if (ids.length === 0) break;
        }
        expect(claimedIds).toHaveLength(n);
        expect(new Set(claimedIds).size).toBe(n);
        const all = await store.list(ctx, { size: 100, status: 'processing' });
        expect(all.items).toHaveLength(n);
        expect(all.items.every((m) => m.sendCount === 1)).toBe(true);
      });
    });

    describe('markSent', () => {
      it('marks the claimer’s message sent, keeps who sent it and ends the lease', async () => {
        const m = makeMessage();
        await store.create(ctx, m);
        await claim('w1', 0);
        expect(await store.markSent(ctx, m.id, 'w2', at(10))).toBe(false);
        expect(await store.markSent(ctx, m.id, 'w1', at(10))).toBe(true);
        const stored = await store.get(ctx, m.id);
        expect(stored).toMatchObject({ status: 'sent', claimedBy: 'w1', sendCount: 1, updatedAt: at(10) });
        expect(stored?.claimedUntil).toBeUndefined();
        expect(await store.markSent(ctx, m.id, 'w1', at(11))).toBe(false);
        expect(await claim('w1', 100_000)).toEqual([]);
      });

      it('refuses a message that was never claimed', async () => {
        const m = makeMessage();
        await store.create(ctx, m);
        expect(await store.markSent(ctx, m.id, 'w1', at(1))).toBe(false);
        expect(await store.markSent(ctx, newId(), 'w1', at(1))).toBe(false);
        expect((await store.get(ctx, m.id))?.status).toBe('queued');
      });
    });

    describe('markFailed', () => {
      it('queues the message again for the next attempt and releases the claim', async () => {
        const m = makeMessage();
        await store.create(ctx, m);
        await claim('w1', 0);
        expect(await store.markFailed(ctx, m.id, 'w2', { status: 'queued', nextAttemptAt: at(2000) }, at(5))).toBe(false);
        expect(await store.markFailed(ctx, m.id, 'w1', { status: 'queued', nextAttemptAt: at(2000) }, at(5))).toBe(true);
        const stored = await store.get(ctx, m.id);
        expect(stored).toMatchObject({ status: 'queued', sendCount: 1, nextAttemptAt: at(2000), updatedAt: at(5) });
        expect(stored?.claimedBy).toBeUndefined();
        expect(stored?.claimedUntil).toBeUndefined();
        expect(await claim('w2', 1999)).toEqual([]);
        expect((await claim('w2', 2000)).map((x) => x.sendCount)).toEqual([2]);
      });

      it('abandons the message for good', async () => {
        const m = makeMessage();
        await store.create(ctx, m);
        await claim('w1', 0);
        expect(await store.markFailed(ctx, m.id, 'w1', { status: 'abandoned' }, at(5))).toBe(true);
        expect(await store.get(ctx, m.id)).toMatchObject({ status: 'abandoned', sendCount: 1 });
        expect(await claim('w1', 10_000_000)).toEqual([]);
        expect((await store.list(ctx, { size: 10, status: 'abandoned' })).items).toHaveLength(1);
      });
    });
  });
}
