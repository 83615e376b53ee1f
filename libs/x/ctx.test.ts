import { Writable } from 'node:stream';
import pino from 'pino';
import { DEFAULT_REALM, newCtx, systemCtx, withTx } from './ctx';
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
});
