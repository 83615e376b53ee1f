import { newId } from '../../x';
import { DuplicateKeyIdError, type KeyStore, type StoredKey } from '../key-store';

const key = (set: string, kid: string, createdAt: Date, alg = 'ES256'): StoredKey => ({ set, kid, alg, use: 'sig', keyData: `cipher-${kid}`, createdAt });

/** The behaviour every `KeyStore` must have. Each test uses its own set names, so one store serves all. */
export function describeKeyStoreContract(label: string, makeStore: () => Promise<KeyStore>): void {
  describe(`KeyStore contract (${label})`, () => {
    let store: KeyStore;
    let set: string;
    beforeAll(async () => {
      store = await makeStore();
    });
    beforeEach(() => {
      set = `set-${newId()}`;
    });

    describe('addKey / getKey', () => {
      it('stores a key and reads it back unchanged', async () => {
        const k = key(set, 'k1', new Date('2026-01-01T00:00:00.123Z'));
        await store.addKey(k);
        expect(await store.getKey(set, 'k1')).toEqual(k);
        expect(await store.getKey(set, 'other')).toBeUndefined();
      });

      it('rejects a duplicate kid in the same set but allows it in another set', async () => {
        await store.addKey(key(set, 'dup', new Date()));
        await expect(store.addKey(key(set, 'dup', new Date()))).rejects.toBeInstanceOf(DuplicateKeyIdError);
        await store.addKey(key(`${set}-b`, 'dup', new Date()));
        expect((await store.getKey(`${set}-b`, 'dup'))?.kid).toBe('dup');
      });
    });

    describe('listKeys', () => {
      it('lists newest first, insertion order breaking ties, and [] for an unknown set', async () => {
        const t = new Date('2026-01-01T00:00:00.000Z');
        await store.addKey(key(set, 'old', t));
        await store.addKey(key(set, 'tie-a', new Date(t.getTime() + 1000), 'RS256'));
        await store.addKey(key(set, 'tie-b', new Date(t.getTime() + 1000)));
        expect((await store.listKeys(set)).map((k) => k.kid)).toEqual(['tie-b', 'tie-a', 'old']);
        expect(await store.listKeys(`${set}-none`)).toEqual([]);
      });
    });

    describe('deleteKey / deleteSet', () => {
      it('deletes one key, then the whole set', async () => {
        await store.addKey(key(set, 'a', new Date()));
        await store.addKey(key(set, 'b', new Date()));
        expect(await store.deleteKey(set, 'a')).toBe(true);
        expect(await store.deleteKey(set, 'a')).toBe(false);
        expect(await store.deleteSet(set)).toBe(1);
        expect(await store.listKeys(set)).toEqual([]);
      });
    });
  });
}
