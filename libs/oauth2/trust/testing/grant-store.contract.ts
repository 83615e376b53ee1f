import { newId } from '../../../x';
import { DuplicateTrustGrantError, type JtiStore, type TrustGrantStore } from '../grant-store';
import type { TrustGrant } from '../trust-grant';
import { testCtx } from '../../../x/testing';

const ctx = testCtx();

const grant = (issuer: string, overrides: Partial<TrustGrant> = {}): TrustGrant => ({
  id: newId(),
  issuer,
  subject: 'alice@example.com',
  allowAnySubject: false,
  scope: ['openid', 'api:read'],
  publicKey: { set: issuer, kid: 'k1' },
  createdAt: new Date('2026-01-01T00:00:00.000Z'),
  expiresAt: new Date('2030-01-01T00:00:00.000Z'),
  ...overrides,
});

/** The behaviour every `TrustGrantStore` must have. Each test uses its own issuer, so one store serves all. */
export function describeTrustGrantStoreContract(label: string, makeStore: () => Promise<TrustGrantStore>): void {
  describe(`TrustGrantStore contract (${label})`, () => {
    let store: TrustGrantStore;
    let iss: string;
    beforeAll(async () => {
      store = await makeStore();
    });
    beforeEach(() => {
      iss = `https://idp-${newId()}.example.com`;
    });

    describe('create / get', () => {
      it('stores a grant and reads it back unchanged', async () => {
        const g = grant(iss, { createdAt: new Date('2026-02-03T04:05:06.000Z'), scope: [] });
        await store.create(ctx, g);
        expect(await store.get(ctx, g.id)).toEqual(g);
        expect(await store.get(ctx, newId())).toBeUndefined();
      });

      it('rejects a second grant with the same issuer, subject and kid, but not with another subject or kid', async () => {
        await store.create(ctx, grant(iss));
        await expect(store.create(ctx, grant(iss))).rejects.toBeInstanceOf(DuplicateTrustGrantError);
        await store.create(ctx, grant(iss, { subject: 'bob@example.com' }));
        await store.create(ctx, grant(iss, { publicKey: { set: iss, kid: 'k2' } }));
        await store.create(ctx, grant(iss, { subject: '', allowAnySubject: true }));
        await expect(store.create(ctx, grant(iss, { subject: '', allowAnySubject: true }))).rejects.toBeInstanceOf(DuplicateTrustGrantError);
        expect((await store.list(ctx, { size: 10, issuer: iss })).items).toHaveLength(4);
      });
    });

    describe('list', () => {
      it('pages in creation order by keyset and filters by issuer', async () => {
        const t = Date.parse('2026-01-01T00:00:00.000Z');
        const a = grant(iss, { subject: 'a', createdAt: new Date(t + 2000) });
        const b = grant(iss, { subject: 'b', createdAt: new Date(t) });
        const c = grant(iss, { subject: 'c', createdAt: new Date(t + 1000) });
        for (const g of [a, b, c]) await store.create(ctx, g);
        await store.create(ctx, grant(`${iss}/other`));
        const first = await store.list(ctx, { size: 2, issuer: iss });
        expect(first.items.map((g) => g.subject)).toEqual(['b', 'c']);
        const rest = await store.list(ctx, { size: 2, issuer: iss, after: first.next });
        expect(rest.items.map((g) => g.subject)).toEqual(['a']);
        expect(rest.next).toBeUndefined();
        expect((await store.list(ctx, { size: 2, offset: 2, issuer: iss })).items.map((g) => g.subject)).toEqual(['a']);
        expect((await store.list(ctx, { size: 1000 })).items.length).toBeGreaterThanOrEqual(4);
      });
    });

    describe('findForAssertion / countByKey', () => {
      it('finds grants for the subject or any subject, optionally for one kid, expired ones included', async () => {
        const own = grant(iss, { subject: 'alice' });
        const any = grant(iss, { subject: '', allowAnySubject: true, publicKey: { set: iss, kid: 'k2' } });
        const expired = grant(iss, { subject: 'alice', publicKey: { set: iss, kid: 'k3' }, expiresAt: new Date('2020-01-01T00:00:00.000Z') });
        const other = grant(iss, { subject: 'bob', publicKey: { set: iss, kid: 'k4' } });
        for (const g of [own, any, expired, other]) await store.create(ctx, g);
        expect((await store.findForAssertion(ctx, iss, 'alice')).map((g) => g.id).sort()).toEqual([own.id, any.id, expired.id].sort());
        expect((await store.findForAssertion(ctx, iss, 'alice', 'k2')).map((g) => g.id)).toEqual([any.id]);
        expect((await store.findForAssertion(ctx, iss, 'carol')).map((g) => g.id)).toEqual([any.id]);
        expect(await store.findForAssertion(ctx, iss, 'alice', 'k4')).toEqual([]);
        expect(await store.findForAssertion(ctx, `${iss}/none`, 'alice')).toEqual([]);
        expect(await store.countByKey(ctx, iss, 'k1')).toBe(1);
        expect(await store.countByKey(ctx, iss, 'none')).toBe(0);
      });
    });

    describe('delete', () => {
      it('deletes once', async () => {
        const g = grant(iss);
        await store.create(ctx, g);
        expect(await store.delete(ctx, g.id)).toBe(true);
        expect(await store.delete(ctx, g.id)).toBe(false);
        expect(await store.get(ctx, g.id)).toBeUndefined();
      });
    });
  });
}

/** The behaviour every `JtiStore` must have. */
export function describeJtiStoreContract(label: string, makeStore: () => Promise<JtiStore>): void {
  describe(`JtiStore contract (${label})`, () => {
    let store: JtiStore;
    beforeAll(async () => {
      store = await makeStore();
    });
    const now = new Date('2026-01-01T00:00:00.000Z');
    const later = (ms: number) => new Date(now.getTime() + ms);

    it('accepts a jti once until it expires, per issuer', async () => {
      const jti = newId();
      expect(await store.markUsed(ctx, 'https://a.example', jti, later(60_000), now)).toBe(true);
      expect(await store.markUsed(ctx, 'https://a.example', jti, later(60_000), later(1000))).toBe(false);
      expect(await store.markUsed(ctx, 'https://b.example', jti, later(60_000), now)).toBe(true);
      expect(await store.markUsed(ctx, 'https://a.example', jti, later(120_000), later(60_000))).toBe(true);
      expect(await store.markUsed(ctx, 'https://a.example', jti, later(120_000), later(61_000))).toBe(false);
    });

    it('lets exactly one of concurrent uses win', async () => {
      const jti = newId();
      const results = await Promise.all(Array.from({ length: 5 }, () => store.markUsed(ctx, 'https://c.example', jti, later(60_000), now)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('sweeps expired ids', async () => {
      const jti = newId();
      await store.markUsed(ctx, 'https://d.example', jti, later(1000), now);
      expect(await store.deleteExpired(ctx, later(2000))).toBeGreaterThanOrEqual(1);
      expect(await store.markUsed(ctx, 'https://d.example', jti, later(60_000), now)).toBe(true);
    });
  });
}
