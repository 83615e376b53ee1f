import { Writable } from 'node:stream';
import pino from 'pino';
import { DEFAULT_REALM, inRealm, newCtx, systemCtx, withActor, withTx } from './ctx';
import type { Transaction } from './transaction';

/** A pino logger writing JSON lines into `lines`. */
function capture(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('Ctx', () => {
  it('writes the request id and the realm on every domain log line', async () => {
    const { logger, lines } = capture();
    const ctx = newCtx(logger, 'req-1', { actor: { kind: 'admin' } });
    ctx.logger.info({ identity_id: 'i' }, 'something happened');
    await flush();
    expect(lines).toEqual([expect.objectContaining({ request_id: 'req-1', realm: DEFAULT_REALM, identity_id: 'i', msg: 'something happened' })]);
    expect(ctx.actor).toEqual({ kind: 'admin' });
    expect(ctx.tx).toBeUndefined();
  });

  it('keeps realm, request id, actor and logger inside a transaction, and carries the transaction', async () => {
    const { logger, lines } = capture();
    const ctx = newCtx(logger, 'req-2', { realm: 'acme', actor: { kind: 'identity', id: 'u1' } });
    const tx = {} as Transaction;
    const inTx = withTx(ctx, tx);
    expect(inTx.tx).toBe(tx);
    expect([inTx.realm, inTx.requestId, inTx.actor]).toEqual(['acme', 'req-2', { kind: 'identity', id: 'u1' }]);
    expect(ctx.tx).toBeUndefined();
    inTx.logger.warn('inside');
    await flush();
    expect(lines).toEqual([expect.objectContaining({ request_id: 'req-2', realm: 'acme', msg: 'inside' })]);
  });

  it('gives background work the system actor and the default realm', () => {
    const ctx = systemCtx(pino({ enabled: false }));
    expect([ctx.realm, ctx.requestId, ctx.actor]).toEqual([DEFAULT_REALM, 'system', { kind: 'system' }]);
    expect(systemCtx(pino({ enabled: false }), 'acme').realm).toBe('acme');
  });

  it('inRealm works in another realm for the same request: log lines carry the new realm, actor and tx kept', async () => {
    const { logger, lines } = capture();
    const tx = {} as Transaction;
    const ctx = withTx(newCtx(logger, 'req-3', { actor: { kind: 'admin', id: 'operator:1' } }), tx);
    const acme = inRealm(ctx, 'acme');
    expect(acme).toMatchObject({ realm: 'acme', requestId: 'req-3', actor: { kind: 'admin', id: 'operator:1' }, tx });
    expect(inRealm(ctx, DEFAULT_REALM)).toBe(ctx);
    acme.logger.info('in acme');
    await flush();
    expect(lines).toEqual([expect.objectContaining({ request_id: 'req-3', realm: 'acme', msg: 'in acme' })]);
  });

  it('withActor replaces the actor only', () => {
    const { logger } = capture();
    const ctx = withActor(newCtx(logger, 'req-4', { realm: 'acme', actor: { kind: 'admin' } }), { kind: 'admin', id: 'project_api_key:k' });
    expect(ctx).toMatchObject({ realm: 'acme', requestId: 'req-4', actor: { kind: 'admin', id: 'project_api_key:k' } });
  });
});
