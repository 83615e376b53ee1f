import { hostname } from 'node:os';
import type { CourierSenderConfig, ProcessConfigProvider } from '../config';
import { type ClockProvider, type Ctx, DEFAULT_REALM, type LoggerProvider, randomSecret, systemCtx } from '../x';
import type { CourierChannel, CourierChannelsProvider, CourierSendersProvider } from './channels/courier-channel';
import type { CourierMessageStoreProvider } from './courier-message-store';
import type { CourierMessage, MessageType } from './message';
import { retryDelay } from './retry-delay';

export type DispatcherDeps = ProcessConfigProvider &
  ClockProvider &
  LoggerProvider &
  CourierMessageStoreProvider &
  CourierChannelsProvider &
  Partial<CourierSendersProvider>;

/** What one pass did. */
export interface DispatchSummary {
  sent: number;
  retried: number;
  abandoned: number;
}

type Outcome = keyof DispatchSummary;

/**
 * Sends queued messages: claims one due message at a time (atomically, so several dispatchers in
 * several processes share the queue without sending anything twice), sends it on its channel and
 * records `sent`, a retry after exponential backoff, or `abandoned` once `courier.message_retries`
 * sends have failed. A failing message never stops the others.
 *
 * Realms: it claims every realm's messages and sends each with its realm's sender, asked at send time
 * (`courierSenderOf`, the realm cache: a sender changed meanwhile applies to queued messages and retries);
 * a message whose realm no longer exists is abandoned (deleting a realm deletes its messages, so only one
 * claimed in that instant can meet this), and a realm whose configuration cannot be read is retried.
 *
 * Invariants: passes of one dispatcher never overlap (`dispatchOnce` waits for the running pass);
 * `stop()` resolves only after the running pass has finished, so the database can be closed after it.
 * Delivery is at-least-once: a dispatcher that dies between sending and recording `sent` leaves the
 * message to be sent again once its lease (`courier.worker.lease`) expires.
 */
export class Dispatcher {
  /** Identifies this dispatcher in claims (host, pid and a random suffix). */
  readonly workerId = `${hostname().slice(0, 80)}:${process.pid}:${randomSecret(6)}`;
  private chain: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly deps: DispatcherDeps,
    /** `realm`: claim only that realm's messages (a dedicated worker, `tessera courier watch --realm`). */
    private readonly options: { readonly realm?: string } = {},
  ) {}

  /** Starts polling every `courier.worker.poll_interval` (the first pass runs at once). Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.deps.courierChannels.length === 0) {
      this.deps.logger.warn('courier: no channel is configured (courier.smtp.connection_uri, courier.sms.enabled); messages stay queued');
    }
    this.schedule(0);
  }

  /** Stops polling and waits for the running pass. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain.catch(() => undefined);
  }

  /** Runs one pass now (after any running one): sends up to `courier.worker.batch_size` due messages. */
  dispatchOnce(): Promise<DispatchSummary> {
    const pass = this.chain.then(
      () => this.pass(),
      () => this.pass(),
    );
    this.chain = pass.catch(() => undefined);
    return pass;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.dispatchOnce()
        .catch((err: unknown) => this.deps.logger.error({ err: describe(err) }, 'courier: dispatch pass failed'))
        .finally(() => {
          if (this.running) this.schedule(this.deps.config.courier.worker.poll_interval);
        });
    }, delay);
  }

  /** One pass is background work: it claims with a system ctx (claims are process-wide), and handles each message with a system ctx of its realm. */
  private async pass(): Promise<DispatchSummary> {
    const ctx = systemCtx(this.deps.logger);
    const summary: DispatchSummary = { sent: 0, retried: 0, abandoned: 0 };
    const channels = new Map<MessageType, CourierChannel>(this.deps.courierChannels.map((c) => [c.type, c]));
    if (channels.size === 0) return summary;
    const { batch_size: batchSize, lease } = this.deps.config.courier.worker;
    for (let handled = 0; handled < batchSize; handled++) {
      const now = this.deps.clock.now();
      const [message] = await this.deps.courierMessageStore.claim(ctx, {
        workerId: this.workerId,
        now,
        leaseUntil: new Date(now.getTime() + lease),
        limit: 1,
        types: [...channels.keys()],
        ...(this.options.realm !== undefined ? { realm: this.options.realm } : {}),
      });
      if (!message) break;
      // Settling is process-wide (by id and worker); the message's realm scopes its log lines.
      const messageCtx = systemCtx(this.deps.logger, message.realm ?? DEFAULT_REALM);
      summary[await this.deliver(messageCtx, message, channels.get(message.type) as CourierChannel)]++;
    }
    return summary;
  }

  /**
   * The sender of the message's realm; `undefined` (the channel's own) without a sender lookup, `null`
   * when the realm no longer exists. @throws Error when the realm's configuration cannot be read.
   */
  private async senderOf(message: CourierMessage): Promise<CourierSenderConfig | undefined | null> {
    if (!this.deps.courierSenderOf) return undefined;
    return (await this.deps.courierSenderOf(message.realm ?? DEFAULT_REALM)) ?? null;
  }

  /** Sends one claimed message and records the outcome. Store errors propagate (they end the pass). */
  private async deliver(ctx: Ctx, message: CourierMessage, channel: CourierChannel): Promise<Outcome> {
    const retries = this.deps.config.courier.message_retries;
    const store = this.deps.courierMessageStore;
    const log = { message_id: message.id, template_type: message.templateType, send_count: message.sendCount };
    // Attempts that never reported back (dispatchers that died mid-send) count as failures too.
    if (message.sendCount > retries) {
      await store.markFailed(ctx, message.id, this.workerId, { status: 'abandoned' }, this.deps.clock.now());
      ctx.logger.warn(log, 'courier: message abandoned: every send attempt was interrupted');
      return 'abandoned';
    }
    let sender: CourierSenderConfig | undefined | null;
    try {
      sender = await this.senderOf(message);
      if (sender !== null) await channel.send(message, sender);
    } catch (err) {
      const now = this.deps.clock.now();
      const abandoned = message.sendCount >= retries;
      const { backoff_base: base, backoff_max: max } = this.deps.config.courier.worker;
      await store.markFailed(
        ctx,
        message.id,
        this.workerId,
        abandoned ? { status: 'abandoned' } : { status: 'queued', nextAttemptAt: new Date(now.getTime() + retryDelay(message.sendCount, base, max)) },
        now,
      );
      ctx.logger.warn({ ...log, err: describe(err) }, abandoned ? `courier: message abandoned after ${retries} failed sends` : 'courier: send failed, will retry');
      return abandoned ? 'abandoned' : 'retried';
    }
    if (sender === null) {
      await store.markFailed(ctx, message.id, this.workerId, { status: 'abandoned' }, this.deps.clock.now());
      ctx.logger.warn(log, 'courier: message abandoned: its realm no longer exists');
      return 'abandoned';
    }
    if (!(await store.markSent(ctx, message.id, this.workerId, this.deps.clock.now()))) {
      ctx.logger.warn(log, 'courier: lease expired before the send was recorded; the message may be sent again');
    }
    return 'sent';
  }
}

/** Message and code only: SMTP errors can echo commands, never worth logging whole. */
function describe(err: unknown): { message: string; code?: string } {
  const e = err as { message?: unknown; code?: unknown };
  return { message: String(e?.message ?? err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
}
