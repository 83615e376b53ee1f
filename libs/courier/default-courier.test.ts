import { loadConfig } from '../config';
import { FixedClock, type Transaction, type Ctx, withTx } from '../x';
import type { CourierMessageStore } from './courier-message-store';
import { DefaultCourier } from './default-courier';
import { MemoryCourierMessageStore } from './memory-courier-message-store';
import type { CourierMessage } from './message';
import { CourierTemplates } from './templates/courier-templates';
import { REDACTED_BODY, toWire } from './wire';
import { testCtx } from '../x/testing';

const ctx = testCtx();

function setup(overrides: Record<string, unknown> = {}, courierMessageStore: CourierMessageStore = new MemoryCourierMessageStore()) {
  const config = loadConfig({ env: {}, overrides });
  const clock = new FixedClock(new Date('2026-02-03T04:05:06.789Z'));
  const courier = new DefaultCourier({ config, clock, courierMessageStore, courierTemplates: CourierTemplates.load(config.courier) });
  return { courier, store: courierMessageStore, clock };
}

describe('DefaultCourier', () => {
  it('renders and queues an email, due at once', async () => {
    const { courier, store, clock } = setup();
    const id = await courier.queueEmail(ctx, 'verification_code_valid', { to: 'ann@example.com', verification_code: '48151623' });
    const message = await store.get(ctx, id);
    expect(message).toMatchObject({
      type: 'email',
      status: 'queued',
      recipient: 'ann@example.com',
      subject: 'Please verify your email address',
      templateType: 'verification_code_valid',
      sendCount: 0,
      nextAttemptAt: clock.now(),
      createdAt: clock.now(),
    });
    expect(message?.body).toContain('48151623');
    expect(message?.htmlBody).toContain('<strong>48151623</strong>');
    expect(message?.body).not.toContain('or clicking the following link');
  });

  it('passes the caller’s transaction to the store', async () => {
    const seen: (Transaction | undefined)[] = [];
    class RecordingStore extends MemoryCourierMessageStore {
      override async create(ctx: Ctx, message: CourierMessage): Promise<void> {
        seen.push(ctx.tx);
        await super.create(ctx, message);
      }
    }
    const tx = {} as Transaction;
    await setup({}, new RecordingStore()).courier.queueEmail(withTx(ctx, tx), 'login_code_valid', { to: 'a@b.co', login_code: '1' });
    expect(seen).toEqual([tx]);
  });

  it('queues an SMS only when the SMS channel is enabled', async () => {
    await expect(setup().courier.queueSms(ctx, 'login_code_valid', { to: '+15550100', login_code: '1' })).rejects.toThrow(/courier\.sms\.enabled/);
    const { courier, store } = setup({ courier: { sms: { enabled: true, request_config: { url: 'https://sms.example.com/' } } } });
    const id = await courier.queueSms(ctx, 'login_code_valid', { to: '+15550100', login_code: '123456' });
    expect(await store.get(ctx, id)).toMatchObject({ type: 'sms', recipient: '+15550100', subject: '', body: 'Your login code is: 123456' });
  });
});

describe('toWire', () => {
  it('gives Kratos’s Message JSON, redacting the body unless dev', async () => {
    const { courier, store } = setup();
    const message = (await store.get(ctx, await courier.queueEmail(ctx, 'recovery_code_valid', { to: 'a@b.co', recovery_code: '1' }))) as CourierMessage;
    const wire = toWire(message, false);
    expect(Object.keys(wire).sort()).toEqual(['body', 'created_at', 'id', 'recipient', 'send_count', 'status', 'subject', 'template_type', 'type', 'updated_at']);
    expect(wire).toMatchObject({ status: 'queued', type: 'email', body: REDACTED_BODY, template_type: 'recovery_code_valid', send_count: 0, created_at: '2026-02-03T04:05:06.789Z' });
    expect(toWire(message, true).body).toBe(message.body);
    expect(toWire({ ...message, type: 'sms' }, false).type).toBe('phone');
  });
});
