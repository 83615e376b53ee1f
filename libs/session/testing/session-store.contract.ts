import { newId } from '../../x';
import type { Session } from '../session';
import type { SessionStore } from '../session-store';
import { hashToken, randomAlphanumeric } from '../session-tokens';
import { testCtx } from '../../x/testing';

const ctx = testCtx();

/** What a contract run needs: the store, and identity rows its sessions can reference. */
export interface SessionStoreFixture {
  readonly store: SessionStore;
  /** Creates an identity that sessions may belong to; returns its id. */
  createIdentity(): Promise<string>;
  /**
   * Deletes an identity, whose sessions must go with it. Stores without an identities table (the memory
   * store) leave it out and pass `{ identityReferences: false }`, which leaves out the foreign-key cases.
   */
  deleteIdentity?(id: string): Promise<void>;
}

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 0, 1, 12, 0, 0, 123);

/** A valid aal1 session of `identityId` issued at a fixed instant, with its own token hash. */
export function makeSession(identityId: string, overrides: Partial<Session> = {}): Session {
  const issuedAt = new Date(BASE);
  return {
    id: newId(),
    identityId,
    tokenHash: hashToken(randomAlphanumeric(32)),
    active: true,
    aal: 'aal1',
    authenticatedAt: issuedAt,
    issuedAt,
    expiresAt: new Date(BASE + 24 * HOUR),
    authenticationMethods: [{ method: 'password', aal: 'aal1', completedAt: issuedAt }],
    devices: [{ id: newId(), ipAddress: '203.0.113.7', userAgent: 'jest', location: '' }],
    ...overrides,
  };
}

/** The behaviour every `SessionStore` must have (architecture B13.9), one `describe` per method. */
export function describeSessionStoreContract(label: string, setup: () => Promise<SessionStoreFixture>, { identityReferences = true } = {}): void {
  describe(`SessionStore contract (${label})`, () => {
    let fixture: SessionStoreFixture;
    let store: SessionStore;
    beforeAll(async () => {
      fixture = await setup();
      store = fixture.store;
    });

    /** Creates sessions one after another, a few ms apart, so "newest first" is well defined. */
    const createInOrder = async (...sessions: Session[]): Promise<Session[]> => {
      for (const s of sessions) {
        await store.create(ctx, s);
        await new Promise((r) => setTimeout(r, 5));
      }
      return sessions;
    };
    const ids = (sessions: readonly Session[]): string[] => sessions.map((s) => s.id);
    const at = (offsetHours: number): Date => new Date(BASE + offsetHours * HOUR);

    describe('create / get', () => {
      it('round-trips every field', async () => {
        const identityId = await fixture.createIdentity();
        const session = makeSession(identityId, {
          aal: 'aal2',
          authenticationMethods: [
            { method: 'password', aal: 'aal1', completedAt: at(0) },
            { method: 'totp', aal: 'aal2', completedAt: new Date(BASE + 61_001) },
          ],
          devices: [
            { id: newId(), ipAddress: '198.51.100.1', userAgent: 'Mozilla/5.0 (X11)', location: 'Berlin, DE' },
            { id: newId(), ipAddress: '2001:db8::1', userAgent: '', location: '' },
          ],
          authenticatedAt: new Date(BASE + 61_001),
        });
        await store.create(ctx, session);
        expect(await store.get(ctx, session.id)).toEqual(session);
      });

      it('returns undefined for an unknown id', async () => {
        expect(await store.get(ctx, newId())).toBeUndefined();
      });

      it('refuses a second session with the same token hash', async () => {
        const identityId = await fixture.createIdentity();
        const first = makeSession(identityId);
        await store.create(ctx, first);
        await expect(store.create(ctx, makeSession(identityId, { tokenHash: first.tokenHash }))).rejects.toThrow();
      });
    });

    describe('getByTokenHash', () => {
      it('finds the session by its token hash, and nothing for another hash', async () => {
        const session = makeSession(await fixture.createIdentity());
        await store.create(ctx, session);
        expect(await store.getByTokenHash(ctx, session.tokenHash)).toEqual(session);
        expect(await store.getByTokenHash(ctx, hashToken('not-a-token'))).toBeUndefined();
      });
    });

    describe('update', () => {
      it('persists changed fields of that session only', async () => {
        const identityId = await fixture.createIdentity();
        const [a, b] = await createInOrder(makeSession(identityId), makeSession(identityId));
        const changed: Session = {
          ...a,
          active: false,
          aal: 'aal2',
          expiresAt: at(48),
          authenticatedAt: at(1),
          authenticationMethods: [...a.authenticationMethods, { method: 'webauthn', aal: 'aal2', completedAt: at(1) }],
        };
        await store.update(ctx, changed);
        expect(await store.get(ctx, a.id)).toEqual(changed);
        expect(await store.get(ctx, b.id)).toEqual(b);
      });
    });

    describe('list', () => {
      it("pages the identity's sessions newest first, by keyset and by offset", async () => {
        const identityId = await fixture.createIdentity();
        await store.create(ctx, makeSession(await fixture.createIdentity()));
        const made = await createInOrder(makeSession(identityId), makeSession(identityId), makeSession(identityId));
        const newestFirst = ids(made).reverse();
        const first = await store.list(ctx, { identityId, size: 2 });
        expect(ids(first.items)).toEqual(newestFirst.slice(0, 2));
        const byKey = await store.list(ctx, { identityId, size: 2, after: first.next });
        expect(ids(byKey.items)).toEqual(newestFirst.slice(2));
        expect(byKey.next).toBeUndefined();
        const second = await store.list(ctx, { identityId, size: 2, offset: 2 });
        expect(ids(second.items)).toEqual(newestFirst.slice(2));
        expect((await store.list(ctx, { identityId, size: 2, offset: 10 })).items).toEqual([]);
      });

      it('leaves out exceptId', async () => {
        const identityId = await fixture.createIdentity();
        const [a, b] = await createInOrder(makeSession(identityId), makeSession(identityId));
        const result = await store.list(ctx, { identityId, size: 10, exceptId: a.id });
        expect(ids(result.items)).toEqual([b.id]);
        expect(result.items).toHaveLength(1);
      });

      it('filters on the active flag alone without validAt, and on flag and expiry with it', async () => {
        const identityId = await fixture.createIdentity();
        const [valid, revoked, expired] = await createInOrder(
          makeSession(identityId, { expiresAt: at(24) }),
          makeSession(identityId, { active: false }),
          makeSession(identityId, { expiresAt: at(1) }),
        );
        const now = at(2);
        const list = async (active?: boolean, validAt?: Date): Promise<string[]> =>
          ids((await store.list(ctx, { identityId, size: 10, active, validAt })).items).sort();
        expect(await list(true)).toEqual([valid.id, expired.id].sort());
        expect(await list(false)).toEqual([revoked.id]);
        expect(await list(true, now)).toEqual([valid.id]);
        expect(await list(false, now)).toEqual([revoked.id, expired.id].sort());
        expect(await list(undefined, now)).toEqual([valid.id, revoked.id, expired.id].sort());
        const counted = await store.list(ctx, { identityId, size: 1, active: false, validAt: now });
        expect(counted.items).toHaveLength(1);
        const rest = await store.list(ctx, { identityId, size: 1, active: false, validAt: now, after: counted.next });
        expect(rest.items).toHaveLength(1);
        expect(rest.next).toBeUndefined();
      });
    });

    describe('listAll', () => {
      it('pages the sessions of every identity newest first, with the active filter', async () => {
        const before = await store.listAll(ctx, { size: 1000 });
        const beforeActive = await store.listAll(ctx, { size: 1000, active: true, validAt: at(2) });
        const made = await createInOrder(
          makeSession(await fixture.createIdentity()),
          makeSession(await fixture.createIdentity(), { active: false }),
          makeSession(await fixture.createIdentity(), { expiresAt: at(1) }),
        );
        const all = await store.listAll(ctx, { size: 1000 });
        expect(all.items).toHaveLength(before.items.length + 3);
        expect(ids(all.items).slice(0, 3)).toEqual(ids(made).reverse());
        const active = await store.listAll(ctx, { size: 1000, active: true, validAt: at(2) });
        expect(active.items).toHaveLength(beforeActive.items.length + 1);
        expect(ids(active.items)).toContain(made[0].id);
        const inactive = await store.listAll(ctx, { size: 1000, active: false, validAt: at(2) });
        expect(ids(inactive.items)).toEqual(expect.arrayContaining([made[1].id, made[2].id]));
        expect(ids(inactive.items)).not.toContain(made[0].id);
        const page = await store.listAll(ctx, { size: 1, offset: 1 });
        expect(ids(page.items)).toEqual([made[1].id]);
      });
    });

    describe('revokeAllExcept', () => {
      it("revokes the identity's other active sessions, counts them, and keeps the rows", async () => {
        const identityId = await fixture.createIdentity();
        const other = makeSession(await fixture.createIdentity());
        await store.create(ctx, other);
        const [current, a, b, already] = await createInOrder(
          makeSession(identityId),
          makeSession(identityId),
          makeSession(identityId),
          makeSession(identityId, { active: false }),
        );
        expect(await store.revokeAllExcept(ctx, identityId, current.id)).toBe(2);
        expect((await store.get(ctx, current.id))?.active).toBe(true);
        expect((await store.get(ctx, a.id))?.active).toBe(false);
        expect((await store.get(ctx, b.id))?.active).toBe(false);
        expect(await store.get(ctx, already.id)).toEqual(already);
        expect((await store.get(ctx, other.id))?.active).toBe(true);
        expect(await store.revokeAllExcept(ctx, identityId, current.id)).toBe(0);
      });

      it('revokes all of them without exceptId', async () => {
        const identityId = await fixture.createIdentity();
        const [a, b] = await createInOrder(makeSession(identityId), makeSession(identityId));
        expect(await store.revokeAllExcept(ctx, identityId, undefined)).toBe(2);
        expect((await store.get(ctx, a.id))?.active).toBe(false);
        expect((await store.get(ctx, b.id))?.active).toBe(false);
      });
    });

    describe('deleteForIdentity', () => {
      it("deletes every session of the identity, active or not, and counts them", async () => {
        const identityId = await fixture.createIdentity();
        const other = makeSession(await fixture.createIdentity());
        await store.create(ctx, other);
        const [a, b] = await createInOrder(makeSession(identityId), makeSession(identityId, { active: false }));
        expect(await store.deleteForIdentity(ctx, identityId)).toBe(2);
        expect(await store.get(ctx, a.id)).toBeUndefined();
        expect(await store.get(ctx, b.id)).toBeUndefined();
        expect(await store.get(ctx, other.id)).toEqual(other);
        expect(await store.deleteForIdentity(ctx, identityId)).toBe(0);
      });
    });

    describe('delete', () => {
      it('deletes one session and says whether it existed', async () => {
        const identityId = await fixture.createIdentity();
        const [a, b] = await createInOrder(makeSession(identityId), makeSession(identityId));
        expect(await store.delete(ctx, a.id)).toBe(true);
        expect(await store.get(ctx, a.id)).toBeUndefined();
        expect(await store.getByTokenHash(ctx, a.tokenHash)).toBeUndefined();
        expect(await store.get(ctx, b.id)).toEqual(b);
        expect(await store.delete(ctx, a.id)).toBe(false);
      });
    });

    if (identityReferences) describe('identity reference', () => {
      it('deletes the sessions with their identity', async () => {
        const identityId = await fixture.createIdentity();
        const session = makeSession(identityId);
        await store.create(ctx, session);
        await fixture.deleteIdentity!(identityId);
        expect(await store.get(ctx, session.id)).toBeUndefined();
      });

      it('refuses a session of an unknown identity', async () => {
        await expect(store.create(ctx, makeSession(newId()))).rejects.toThrow();
      });
    });
  });
}
