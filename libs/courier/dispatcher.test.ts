import { type Config, type CourierSenderConfig, loadConfig } from '../config';
import { FixedClock, createLogger } from '../x';
import type { CourierChannel } from './channels/courier-channel';
import { Dispatcher } from './dispatcher';
import type { CourierMessage } from './message';
import { MemoryCourierMessageStore } from './memory-courier-message-store';
import { makeMessage } from './testing/courier-message-store.contract';
import { testCtx } from '../x/testing';

const ctx = testCtx();

/** A channel that records deliveries and fails for recipients in `failing`. */
class RecordingChannel implements CourierChannel {
  readonly type = 'email' as const;
  readonly delivered: string[] = [];
  attempts = 0;
  constructor(private readonly failing = new Set<string>()) {}
  readonly senders: (CourierSenderConfig | undefined)[] = [];
  async send(message: CourierMessage, sender?: CourierSenderConfig): Promise<void> {
    this.attempts++;
    if (this.failing.has(message.recipient)) throw new Error('550 mailbox unavailable');
    this.delivered.push(message.recipient);
    this.senders.push(sender);
  }
}

function setup(failing: string[] = [], courier: Record<string, unknown> = {}) {
  const config: Config = loadConfig({ env: {}, overrides: { courier: { message_retries: 3, worker: { backoff_base: '1s', backoff_max: '1m', lease: '30s' }, ...courier } } });
  const clock = new FixedClock(new Date('2026-01-01T00:00:00.000Z'));
  const store = new MemoryCourierMessageStore();
  const channel = new RecordingChannel(new Set(failing));
  const deps = { config, clock, logger: createLogger('silent'), courierMessageStore: store, courierChannels: [channel] };
  return { config, clock, store, channel, dispatcher: new Dispatcher(deps), deps };
}

describe('Dispatcher', () => {
  it('sends every due message and marks it sent', async () => {
    const { store, channel, dispatcher, clock } = setup();
    const a = makeMessage({ recipient: 'a@example.com', nextAttemptAt: clock.now() });
    const b = makeMessage({ recipient: 'b@example.com', nextAttemptAt: clock.now() });
    await store.create(ctx, a);
    await store.create(ctx, b);
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 2, retried: 0, abandoned: 0 });
    expect(channel.delivered.sort()).toEqual(['a@example.com', 'b@example.com']);
    expect(await store.get(ctx, a.id)).toMatchObject({ status: 'sent', sendCount: 1, claimedBy: dispatcher.workerId });
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 0, retried: 0, abandoned: 0 });
  });

  it('keeps sending the others when one message fails, and retries it with exponential backoff until abandoned', async () => {
    const { store, channel, dispatcher, clock } = setup(['bad@example.com']);
    const bad = makeMessage({ recipient: 'bad@example.com', nextAttemptAt: clock.now() });
    const good = makeMessage({ recipient: 'good@example.com', nextAttemptAt: clock.now(), createdAt: new Date(clock.now().getTime() + 1) });
    await store.create(ctx, bad);
    await store.create(ctx, good);
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 1, retried: 1, abandoned: 0 });
    expect(channel.delivered).toEqual(['good@example.com']);
    expect(await store.get(ctx, bad.id)).toMatchObject({ status: 'queued', sendCount: 1, nextAttemptAt: new Date(clock.now().getTime() + 1000) });

    clock.advance(999);
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 0, retried: 0, abandoned: 0 });
    clock.advance(1);
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 0, retried: 1, abandoned: 0 });
    expect(await store.get(ctx, bad.id)).toMatchObject({ status: 'queued', sendCount: 2, nextAttemptAt: new Date(clock.now().getTime() + 2000) });
    clock.advance(2000);
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 0, retried: 0, abandoned: 1 });
    expect(await store.get(ctx, bad.id)).toMatchObject({ status: 'abandoned', sendCount: 3 });
    clock.advance(3_600_000);
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 0, retried: 0, abandoned: 0 });
    expect(channel.attempts).toBe(4);
  });

  it('retries a message whose dispatcher crashed once the lease expires, and abandons it when every attempt was interrupted', async () => {
    const { store, channel, dispatcher, clock } = setup();
    const m = makeMessage({ nextAttemptAt: clock.now() });
    await store.create(ctx, m);
    const crash = (): Promise<unknown> => store.claim(ctx, { workerId: 'crashed', now: clock.now(), leaseUntil: new Date(clock.now().getTime() + 30_000), limit: 1, types: ['email'] });
    await crash();
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 0, retried: 0, abandoned: 0 });
    clock.advance(30_001);
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 1, retried: 0, abandoned: 0 });
    expect(await store.get(ctx, m.id)).toMatchObject({ status: 'sent', sendCount: 2 });

    const doomed = makeMessage({ nextAttemptAt: clock.now() });
    await store.create(ctx, doomed);
    for (let i = 0; i < 3; i++) {
      await crash();
      clock.advance(30_001);
    }
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 0, retried: 0, abandoned: 1 });
    expect(await store.get(ctx, doomed.id)).toMatchObject({ status: 'abandoned', sendCount: 4 });
    expect(channel.delivered).toHaveLength(1);
  });

  it('leaves messages without a channel queued and sends at most batch_size per pass', async () => {
    const { store, dispatcher, clock } = setup([], { worker: { batch_size: 2 } });
    const sms = makeMessage({ type: 'sms', recipient: '+15550100', subject: '', nextAttemptAt: clock.now() });
    await store.create(ctx, sms);
    for (let i = 0; i < 3; i++) await store.create(ctx, makeMessage({ nextAttemptAt: clock.now() }));
    expect(await dispatcher.dispatchOnce()).toMatchObject({ sent: 2 });
    expect(await dispatcher.dispatchOnce()).toMatchObject({ sent: 1 });
    expect((await store.get(ctx, sms.id))?.status).toBe('queued');
  });

  it('never overlaps its own passes, and stop() waits for the running one', async () => {
    const { store, dispatcher, clock, channel } = setup();
    for (let i = 0; i < 5; i++) await store.create(ctx, makeMessage({ nextAttemptAt: clock.now() }));
    const results = await Promise.all([dispatcher.dispatchOnce(), dispatcher.dispatchOnce()]);
    expect(results.map((r) => r.sent)).toEqual([5, 0]);
    dispatcher.start();
    await dispatcher.stop();
    expect(channel.delivered).toHaveLength(5);
  });

  it("sends each message with its realm's sender; abandons one whose realm is gone; retries when the realm cannot be read", async () => {
    const { store, channel, clock, deps } = setup();
    const sender = (from: string): CourierSenderConfig => ({ smtp: { from_address: from }, sms: { from } });
    const asked: string[] = [];
    const dispatcher = new Dispatcher({
      ...deps,
      courierSenderOf: async (realm: string) => {
        asked.push(realm);
        if (realm === 'broken') throw new Error('database unavailable');
        return realm === 'gone' ? undefined : sender(`${realm}@example.com`);
      },
    });
    const now = clock.now();
    const a = makeMessage({ recipient: 'to-a@example.com', nextAttemptAt: now });
    const gone = makeMessage({ recipient: 'to-gone@example.com', nextAttemptAt: now, createdAt: new Date(now.getTime() + 1) });
    const broken = makeMessage({ recipient: 'to-broken@example.com', nextAttemptAt: now, createdAt: new Date(now.getTime() + 2) });
    await store.create(testCtx({ realm: 'a' }), a);
    await store.create(testCtx({ realm: 'gone' }), gone);
    await store.create(testCtx({ realm: 'broken' }), broken);
    expect(await dispatcher.dispatchOnce()).toEqual({ sent: 1, retried: 1, abandoned: 1 });
    expect(asked.sort()).toEqual(['a', 'broken', 'gone']);
    expect(channel.delivered).toEqual(['to-a@example.com']);
    expect(channel.senders).toEqual([sender('a@example.com')]);
    expect(await store.get(testCtx({ realm: 'gone' }), gone.id)).toMatchObject({ status: 'abandoned' });
    expect(await store.get(testCtx({ realm: 'broken' }), broken.id)).toMatchObject({ status: 'queued', sendCount: 1 });
  });
});
