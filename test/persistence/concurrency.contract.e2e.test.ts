import { makeIdentity } from '../../libs/identity/testing/identity-pool.contract';
import { type Persistence, TRANSACTION_ATTEMPTS, TypeormFlowStore, TypeormIdentityPool, TypeormTokenStore, isTransientTransactionError } from '../../libs/persistence';
import { type RecoveryFlow, baseFlowFields } from '../../libs/selfservice/flow';
import { FixedClock, TransactionRetriesExhaustedError, newId } from '../../libs/x';
import { databaseFactories, sharedPersistence } from '../helpers/databases';

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

    it(`${PARALLEL} parallel locked read-modify-writes of one identity lose no change`, async () => {
      const identity = makeIdentity(`race-${newId().slice(0, 8)}@example.com`, { metadataAdmin: {} });
      await pool.create(identity);
      await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) =>
          persistence.withTransaction(async (tx) => {
            const fresh = (await pool.getForUpdate(identity.id, tx))!;
            await pool.update({ ...fresh, metadataAdmin: { ...(fresh.metadataAdmin as Record<string, unknown>), [`k${i}`]: i } }, tx);
          }),
        ),
      );
      const stored = await pool.get(identity.id);
      expect(stored?.metadataAdmin).toEqual(Object.fromEntries(Array.from({ length: PARALLEL }, (_, i) => [`k${i}`, i])));
      // The children were replaced twenty times, never duplicated or lost.
      expect(stored?.credentials.password?.identifiers).toEqual(identity.credentials.password?.identifiers);
      expect(stored?.verifiableAddresses.map((a) => a.value)).toEqual(identity.verifiableAddresses.map((a) => a.value));
    });

    it('getForUpdate of an unknown identity is undefined', async () => {
      await persistence.withTransaction(async (tx) => expect(await pool.getForUpdate(newId(), tx)).toBeUndefined());
    });

    it(`${PARALLEL} parallel counter increments on one locked flow count ${PARALLEL}`, async () => {
      const flow = recoveryFlow();
      await flows.create(flow);
      await Promise.all(
        Array.from({ length: PARALLEL }, () =>
          persistence.withTransaction(async (tx) => {
            const fresh = (await flows.getForUpdate('recovery', flow.id, tx))!;
            const n = Number(fresh.internalContext.failed_attempts ?? 0) + 1;
            await flows.update({ ...fresh, internalContext: { ...fresh.internalContext, failed_attempts: n } }, tx);
          }),
        ),
      );
      expect((await flows.get('recovery', flow.id))?.internalContext.failed_attempts).toBe(PARALLEL);
    });

    it('getForUpdate finds a flow only under its own kind', async () => {
      const flow = recoveryFlow();
      await flows.create(flow);
      await persistence.withTransaction(async (tx) => {
        expect((await flows.getForUpdate('recovery', flow.id, tx))?.id).toBe(flow.id);
        expect(await flows.getForUpdate('verification', flow.id, tx)).toBeUndefined();
      });
    });

    it(`${PARALLEL} parallel markUsed of one token: exactly one wins`, async () => {
      const tokens = new TypeormTokenStore(persistence);
      const identity = makeIdentity(`token-${newId().slice(0, 8)}@example.com`);
      await pool.create(identity);
      const flow = recoveryFlow();
      await flows.create(flow);
      const id = newId();
      await tokens.create({ id, kind: 'recovery_code', flowId: flow.id, identityId: identity.id, address: 'a@example.com', secretHash: 'h', expiresAt: new Date(Date.now() + 60_000), createdAt: new Date() });
      const wins = await Promise.all(Array.from({ length: PARALLEL }, () => persistence.withTransaction((tx) => tokens.markUsed(id, new Date(), tx))));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });

    it('withTransaction runs a deadlock victim again: both crossing transactions commit', async () => {
      const [a, b] = [makeIdentity(`dl-a-${newId().slice(0, 8)}@example.com`, { metadataAdmin: {} }), makeIdentity(`dl-b-${newId().slice(0, 8)}@example.com`, { metadataAdmin: {} })];
      await pool.create(a);
      await pool.create(b);
      let runs = 0;
      // Each locks one identity, waits until the other did too, then wants the other's: a real deadlock on MySQL.
      let bothLocked!: () => void;
      const locked = new Promise<void>((resolve) => (bothLocked = resolve));
      let firstLocks = 0;
      const cross = (first: typeof a, second: typeof a, key: string) =>
        persistence.withTransaction(async (tx) => {
          runs += 1;
          const one = (await pool.getForUpdate(first.id, tx))!;
          if (++firstLocks === 2) bothLocked();
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([locked, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
          clearTimeout(timer);
          const two = (await pool.getForUpdate(second.id, tx))!;
          await pool.update({ ...one, metadataAdmin: { ...(one.metadataAdmin as Record<string, unknown>), [key]: true } }, tx);
          await pool.update({ ...two, metadataAdmin: { ...(two.metadataAdmin as Record<string, unknown>), [key]: true } }, tx);
        });
      await Promise.all([cross(a, b, 'x'), cross(b, a, 'y')]);
      expect((await pool.get(a.id))?.metadataAdmin).toEqual({ x: true, y: true });
      expect((await pool.get(b.id))?.metadataAdmin).toEqual({ x: true, y: true });
      // SQLite queues the transactions (no deadlock, two runs); MySQL aborts one and runs it again.
      expect(runs).toBe(factory.label === 'mysql' ? 3 : 2);
    });

    it(`withTransaction gives up after ${TRANSACTION_ATTEMPTS} transient failures and never retries other errors`, async () => {
      let runs = 0;
      const deadlock = Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 });
      await expect(
        persistence.withTransaction(async () => {
          runs += 1;
          throw deadlock;
        }),
      ).rejects.toThrow(factory.label === 'mysql' ? TransactionRetriesExhaustedError : /^Deadlock found/);
      expect(runs).toBe(factory.label === 'mysql' ? TRANSACTION_ATTEMPTS : 1);
      runs = 0;
      await expect(
        persistence.withTransaction(async () => {
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
