import { newId } from '../../../x';
import type { ForcedSubjectStore } from '../forced-subject-store';
import { testCtx } from '../../../x/testing';

const ctx = testCtx();

/** What every {@link ForcedSubjectStore} guarantees. */
export function describeForcedSubjectStoreContract(label: string, makeStore: () => Promise<ForcedSubjectStore>): void {
  describe(`ForcedSubjectStore contract (${label})`, () => {
    let store: ForcedSubjectStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('keeps one forced subject per subject and client, replaced by a later put', async () => {
      const subject = `s-${newId()}`;
      expect(await store.get(ctx, subject, 'client-a')).toBeUndefined();
      await store.put(ctx, subject, 'client-a', 'forced-1');
      await store.put(ctx, subject, 'client-b', 'forced-b');
      expect(await store.get(ctx, subject, 'client-a')).toBe('forced-1');
      await store.put(ctx, subject, 'client-a', 'forced-2');
      expect(await store.get(ctx, subject, 'client-a')).toBe('forced-2');
      expect(await store.get(ctx, subject, 'client-b')).toBe('forced-b');
      expect(await store.get(ctx, `${subject}-other`, 'client-a')).toBeUndefined();
    });
  });
}
