import type { SecretStore } from '../secrets';
import { testCtx } from '../../x/testing';

const ctx = testCtx();

/** The behaviour every `SecretStore` implementation must have. */
export function describeSecretStoreContract(label: string, makeStore: () => Promise<SecretStore>): void {
  describe(`SecretStore contract (${label})`, () => {
    let store: SecretStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    describe('get', () => {
      it('returns undefined for a kind never stored', async () => {
        expect(await store.get(ctx, 'cookie')).toBeUndefined();
      });
    });

    describe('putIfAbsent', () => {
      it('stores values and returns them', async () => {
        expect(await store.putIfAbsent(ctx, 'system', ['s1-aaaaaaaaaaaaaaaa', 's0-bbbbbbbbbbbbbbbb'])).toEqual(['s1-aaaaaaaaaaaaaaaa', 's0-bbbbbbbbbbbbbbbb']);
        expect(await store.get(ctx, 'system')).toEqual(['s1-aaaaaaaaaaaaaaaa', 's0-bbbbbbbbbbbbbbbb']);
      });

      it('keeps the first value when called again (two processes booting at once agree)', async () => {
        const [a, b] = await Promise.all([store.putIfAbsent(ctx, 'default', ['first-secret-value']), store.putIfAbsent(ctx, 'default', ['second-secret-value'])]);
        expect(a).toEqual(b);
        expect(await store.get(ctx, 'default')).toEqual(a);
      });
    });
  });
}
