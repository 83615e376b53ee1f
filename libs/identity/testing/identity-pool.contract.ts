import { newId } from '../../x';
import type { Identity } from '../identity';
import { DuplicateIdentifierError, type PrivilegedIdentityPool } from '../identity-pool';
import { testCtx } from '../../x/testing';

const ctx = testCtx();

/** A valid identity with a password credential for `email` (already normalised). */
export function makeIdentity(email: string, overrides: Partial<Identity> = {}): Identity {
  const now = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, Math.floor(Math.random() * 1000)));
  return {
    id: newId(),
    schemaId: 'default',
    state: 'active',
    stateChangedAt: now,
    traits: { email },
    verifiableAddresses: [{ id: newId(), value: email, via: 'email', verified: false, status: 'pending', createdAt: now, updatedAt: now }],
    recoveryAddresses: [{ id: newId(), value: email, via: 'email', createdAt: now, updatedAt: now }],
    metadataPublic: { plan: 'free' },
    metadataAdmin: null,
    credentials: {
      password: { type: 'password', identifiers: [email], config: { hashed_password: '$2b$04$abcdefghijklmnopqrstuu' }, version: 0, createdAt: now, updatedAt: now },
    },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** The behaviour every `PrivilegedIdentityPool` must have (architecture B13.9). */
export function describeIdentityPoolContract(label: string, makePool: () => Promise<PrivilegedIdentityPool>): void {
  describe(`PrivilegedIdentityPool contract (${label})`, () => {
    let pool: PrivilegedIdentityPool;
    beforeAll(async () => {
      pool = await makePool();
    });
    const unique = (): string => `u-${newId().slice(0, 8)}@example.com`;

    describe('create / get', () => {
      it('round-trips every field', async () => {
        const identity = makeIdentity(unique(), { metadataAdmin: { crm: 1 }, traits: { email: 'x', nested: { a: [1, 2] } } });
        await pool.create(ctx, identity);
        const loaded = await pool.get(ctx, identity.id);
        expect(loaded).toEqual(identity);
      });

      it('returns undefined for an unknown id', async () => {
        expect(await pool.get(ctx, newId())).toBeUndefined();
      });

      it('getMany returns the known identities of a list of ids, each as get reads it', async () => {
        const made = [makeIdentity(unique()), makeIdentity(unique(), { metadataPublic: { n: 2 } })];
        await pool.createMany(ctx, made);
        const loaded = await pool.getMany(ctx, [made[1].id, newId(), made[0].id, made[1].id]);
        expect(loaded.sort((a, b) => a.id.localeCompare(b.id))).toEqual([await pool.get(ctx, made[0].id), await pool.get(ctx, made[1].id)].sort((a, b) => a!.id.localeCompare(b!.id)));
        expect(await pool.getMany(ctx, [])).toEqual([]);
      });

      it('refuses a taken identifier of the same type', async () => {
        const email = unique();
        await pool.create(ctx, makeIdentity(email));
        await expect(pool.create(ctx, makeIdentity(email))).rejects.toBeInstanceOf(DuplicateIdentifierError);
      });

      it('writes nothing of an identity whose identifier collides', async () => {
        const email = unique();
        await pool.create(ctx, makeIdentity(email));
        const clash = makeIdentity(email);
        await expect(pool.create(ctx, clash)).rejects.toThrow();
        expect(await pool.get(ctx, clash.id)).toBeUndefined();
      });
    });

    describe('findByCredentialsIdentifier', () => {
      it('finds by normalised identifier', async () => {
        const email = unique();
        const identity = makeIdentity(email);
        await pool.create(ctx, identity);
        expect((await pool.findByCredentialsIdentifier(ctx, 'password', email.toUpperCase()))?.id).toBe(identity.id);
        expect(await pool.findByCredentialsIdentifier(ctx, 'webauthn', email)).toBeUndefined();
      });
    });

    describe('list', () => {
      it('pages in creation order by keyset (and by offset), and filters by identifier', async () => {
        const made = [unique(), unique(), unique()].map((e) => makeIdentity(e));
        await pool.createMany(ctx, made);
        const seen: string[] = [];
        let after: readonly string[] | undefined;
        do {
          const page = await pool.list(ctx, { size: 2, ...(after ? { after } : {}) });
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items.map((i) => i.id));
          after = page.next;
        } while (after);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen).toEqual(expect.arrayContaining(made.map((m) => m.id)));
        expect((await pool.list(ctx, { size: 2, offset: 2 })).items.map((i) => i.id)).toEqual(seen.slice(2, 4));
        const filtered = await pool.list(ctx, { size: 10, credentialsIdentifier: made[1].traits.email as string });
        expect(filtered).toEqual({ items: [made[1]] });
      });
    });

    describe('findByAddress', () => {
      it('finds recovery and verifiable addresses by normalised value and via', async () => {
        const email = unique();
        const identity = makeIdentity(email);
        await pool.create(ctx, identity);
        expect((await pool.findByAddress(ctx, 'recovery', 'email', email.toUpperCase()))?.id).toBe(identity.id);
        expect((await pool.findByAddress(ctx, 'verifiable', 'email', email))?.id).toBe(identity.id);
        expect(await pool.findByAddress(ctx, 'verifiable', 'sms', email)).toBeUndefined();
        expect(await pool.findByAddress(ctx, 'recovery', 'email', unique())).toBeUndefined();
      });
    });

    describe('takenIdentifiers', () => {
      it('reports which identifiers exist', async () => {
        const email = unique();
        await pool.create(ctx, makeIdentity(email));
        expect(await pool.takenIdentifiers(ctx, 'password', [email, unique()])).toEqual(new Set([email]));
        expect(await pool.takenIdentifiers(ctx, 'password', [])).toEqual(new Set());
      });
    });

    describe('update', () => {
      it('replaces traits, credentials and addresses', async () => {
        const identity = makeIdentity(unique());
        await pool.create(ctx, identity);
        const email = unique();
        const next = makeIdentity(email, { id: identity.id, createdAt: identity.createdAt, state: 'inactive', metadataPublic: null });
        await pool.update(ctx, next);
        expect(await pool.get(ctx, identity.id)).toEqual(next);
        expect(await pool.findByCredentialsIdentifier(ctx, 'password', identity.traits.email as string)).toBeUndefined();
      });

      it('refuses to take another identity identifier', async () => {
        const a = makeIdentity(unique());
        const b = makeIdentity(unique());
        await pool.createMany(ctx, [a, b]);
        await expect(pool.update(ctx, makeIdentity(a.traits.email as string, { id: b.id }))).rejects.toBeInstanceOf(DuplicateIdentifierError);
      });
    });

    describe('delete', () => {
      it('deletes with credentials and frees the identifier', async () => {
        const email = unique();
        const identity = makeIdentity(email);
        await pool.create(ctx, identity);
        expect(await pool.delete(ctx, identity.id)).toBe(true);
        expect(await pool.get(ctx, identity.id)).toBeUndefined();
        expect(await pool.delete(ctx, identity.id)).toBe(false);
        await pool.create(ctx, makeIdentity(email));
      });
    });
  });
}
