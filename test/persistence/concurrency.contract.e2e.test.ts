import { makeIdentity } from '../../libs/identity/testing/identity-pool.contract';
import { type Persistence, TRANSACTION_ATTEMPTS, TypeormFlowStore, TypeormIdentityPool, TypeormSessionStore, TypeormTokenStore, isTransientTransactionError } from '../../libs/persistence';
import { type RecoveryFlow, baseFlowFields } from '../../libs/selfservice/flow';
import { FixedClock, TransactionRetriesExhaustedError, newId } from '../../libs/x';
import { databaseFactories, sharedPersistence } from '../helpers/databases';
import { testCtx } from '../../libs/x/testing';

const ctx = testCtx();

jest.setTimeout(120_000);

const PARALLEL = 20;

/**
 * Read-check-write under parallel transactions on every database: a locking read (`getForUpdate`)
 * serialises writers of one identity or flow, so no update is lost and no counter undercounts;
 * conditional single-use writes have one winner; deadlocks are retried by `withTransaction`.
 */
for (const factory of databaseFactories()) {
  describe(`concurrency contract (${factory.label})`, () => {
    const open = sharedPersistence(factory);
    let persistence: Persistence;
    let pool: TypeormIdentityPool;
    let flows: TypeormFlowStore;
    const clock = new FixedClock();

    beforeAll(async () => {
      persistence = await open();
      pool = new TypeormIdentityPool(persistence);
      flows = new TypeormFlowStore(persistence);
    });

    const recoveryFlow = (): RecoveryFlow =>
      ({
        ...baseFlowFields('recovery', 'api', { url: 'https://auth.example.com/self-service/recovery/api', query: {}, hasOrigin: false, hasBrowserCookies: false, device: {} } as never, clock, 3_600_000, (id) => `https://auth.example.com/self-service/recovery?flow=${id}`, undefined),
        kind: 'recovery',
        state: 'sent_email',
      }) as RecoveryFlow;

    it('a locking read outside a transaction is refused (its lock would protect nothing)', async () => {
      const sessions = new TypeormSessionStore(persistence);
      await expect(pool.getForUpdate(ctx, newId())).rejects.toThrow('IdentityPool.getForUpdate must run inside a transaction');
      await expect(flows.getForUpdate(ctx, 'recovery', newId())).rejects.toThrow('FlowStore.getForUpdate must run inside a transaction');
      await expect(sessions.getForUpdate(ctx, newId())).rejects.toThrow('SessionStore.getForUpdate must run inside a transaction');
      await expect(persistence.withTransaction(ctx, (inTx) => pool.getForUpdate(inTx, newId()))).resolves.toBeUndefined();
    });

    it(`${PARALLEL} parallel locked read-modify-writes of one identity lose no change`, async () => {
      const identity = makeIdentity(`race-${newId().slice(0, 8)}@example.com`, { metadataAdmin: {} });
      await pool.create(ctx, identity);
      await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          persistence.withTransaction(ctx, async (ctx) => {
            const fresh = (await pool.getForUpdate(ctx, identity.id))!;
            await pool.update(ctx, { ...fresh, metadataAdmin: { ...(fresh.metadataAdmin as Record<string, unknown>), [`k${i}`]: i } });
          }),
        ),
      );
      const stored = await pool.get(ctx, identity.id);
      expect(stored?.metadataAdmin).toEqual(Object.fromEntries(Array.from({ length: PARALLEL }, (_, i) => [`k${i}`, i])));
      // The children were replaced twenty times, never duplicated or lost.
      expect(stored?.credentials.password?.identifiers).toEqual(identity.credentials.password?.identifiers);
      expect(stored?.verifiableAddresses.map((a) => a.value)).toEqual(identity.verifiableAddresses.map((a) => a.value));
    });

    it('getForUpdate of an unknown identity is undefined', async () => {
      await persistence.withTransaction(ctx, async (ctx) => expect(await pool.getForUpdate(ctx, newId())).toBeUndefined());
    });

    it(`${PARALLEL} parallel counter increments on one locked flow count ${PARALLEL}`, async () => {
      const flow = recoveryFlow();
      await flows.create(ctx, flow);
      await Promise.all(
        Array.from({ length: PARALLEL }, () =>
          persistence.withTransaction(ctx, async (ctx) => {
            const fresh = (await flows.getForUpdate(ctx, 'recovery', flow.id))!;
            const n = Number(fresh.internalContext.failed_attempts ?? 0) + 1;
            await flows.update(ctx, { ...fresh, internalContext: { ...fresh.internalContext, failed_attempts: n } });
          }),
        ),
      );
      expect((await flows.get(ctx, 'recovery', flow.id))?.internalContext.failed_attempts).toBe(PARALLEL);
    });

    it('getForUpdate finds a flow only under its own kind', async () => {
      const flow = recoveryFlow();
      await flows.create(ctx, flow);
      await persistence.withTransaction(ctx, async (ctx) => {
        expect((await flows.getForUpdate(ctx, 'recovery', flow.id))?.id).toBe(flow.id);
        expect(await flows.getForUpdate(ctx, 'verification', flow.id)).toBeUndefined();
      });
    });

    it(`${PARALLEL} parallel markUsed of one token: exactly one wins`, async () => {
      const tokens = new TypeormTokenStore(persistence);
      const identity = makeIdentity(`token-${newId().slice(0, 8)}@example.com`);
      await pool.create(ctx, identity);
      const flow = recoveryFlow();
      await flows.create(ctx, flow);
      const id = newId();
      await tokens.create(ctx, { id, kind: 'recovery_code', flowId: flow.id, identityId: identity.id, address: 'a@example.com', secretHash: 'h', expiresAt: new Date(Date.now() + 60_000), createdAt: new Date() });
      const wins = await Promise.all(Array.from({ length: PARALLEL }, () => persistence.withTransaction(ctx, (ctx) => tokens.markUsed(ctx, id, new Date()))));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('withTransaction runs a deadlock victim again: both crossing transactions commit', async () => {
      const [a, b] = [makeIdentity(`dl-a-${newId().slice(0, 8)}@example.com`, { metadataAdmin: {} }), makeIdentity(`dl-b-${newId().slice(0, 8)}@example.com`, { metadataAdmin: {} })];
      await pool.create(ctx, a);
      await pool.create(ctx, b);
      let runs = 0;
      // Each locks one identity, waits until the other did too, then wants the other's: a real deadlock on MySQL.
      let bothLocked!: () => void;
      const locked = new Promise<void>((resolve) => (bothLocked = resolve));
      let firstLocks = 0;
      const cross = (first: typeof a, second: typeof a, key: string) =>
        persistence.withTransaction(ctx, async (ctx) => {
          runs += 1;
          const one = (await pool.getForUpdate(ctx, first.id))!;
          if (++firstLocks === 2) bothLocked();
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([locked, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
          clearTimeout(timer);
          const two = (await pool.getForUpdate(ctx, second.id))!;
          await pool.update(ctx, { ...one, metadataAdmin: { ...(one.metadataAdmin as Record<string, unknown>), [key]: true } });
          await pool.update(ctx, { ...two, metadataAdmin: { ...(two.metadataAdmin as Record<string, unknown>), [key]: true } });
        });
      await Promise.all([cross(a, b, 'x'), cross(b, a, 'y')]);
      expect((await pool.get(ctx, a.id))?.metadataAdmin).toEqual({ x: true, y: true });
      expect((await pool.get(ctx, b.id))?.metadataAdmin).toEqual({ x: true, y: true });
      // SQLite queues the transactions (no deadlock, two runs); MySQL aborts one and runs it again.
      expect(runs).toBe(factory.label === 'mysql' ? 3 : 2);
    });

    it(`withTransaction gives up after ${TRANSACTION_ATTEMPTS} transient failures and never retries other errors`, async () => {
      let runs = 0;
      const deadlock = Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });
      await expect(
        persistence.withTransaction(ctx, async () => {
          runs += 1;
          throw deadlock;
        }),
      ).rejects.toThrow(factory.label === 'mysql' ? TransactionRetriesExhaustedError : /^Deadlock found/);
      expect(runs).toBe(factory.label === 'mysql' ? TRANSACTION_ATTEMPTS : 1);
      runs = 0;
      await expect(
        persistence.withTransaction(ctx, async () => {
          runs += 1;
          throw new Error('not transient');
        }),
      ).rejects.toThrow('not transient');
      expect(runs).toBe(1);
      expect(isTransientTransactionError({ driverError: { errno: 1205 } })).toBe(true);
      expect(isTransientTransactionError({ sqlState: '40001' })).toBe(true);
      expect(isTransientTransactionError({ code: 'ER_DUP_ENTRY', errno: 1062 })).toBe(false);
    });
  });
}
