import type { SecretStore } from '../secrets';

/** The behaviour every `SecretStore` implementation must have. */
export function describeSecretStoreContract(label: string, makeStore: () => Promise<SecretStore>): void {
  describe(`SecretStore contract (${label})`, () => {
    let store: SecretStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    describe('get', () => {
      it('returns undefined for a kind never stored', async () => {
        expect(await store.get('cookie')).toBeUndefined();
      });
    });

    describe('putIfAbsent', () => {
      it('stores values and returns them', async () => {
        expect(await store.putIfAbsent('system', ['s1-aaaaaaaaaaaaaaaa', 's0-bbbbbbbbbbbbbbbb'])).toEqual(['s1-aaaaaaaaaaaaaaaa', 's0-bbbbbbbbbbbbbbbb']);
        expect(await store.get('system')).toEqual(['s1-aaaaaaaaaaaaaaaa', 's0-bbbbbbbbbbbbbbbb']);
      });

      it('keeps the first value when called again (two processes booting at once agree)', async () => {
        const [a, b] = await Promise.all([store.putIfAbsent('default', ['first-secret-value']), store.putIfAbsent('default', ['second-secret-value'])]);
        expect(a).toEqual(b);
        expect(await store.get('default')).toEqual(a);
      });
    });
  });
}
