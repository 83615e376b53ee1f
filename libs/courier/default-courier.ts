import type { RealmConfigProvider } from '../config';
import { type ClockProvider, type Ctx, newId } from '../x';
import type { Courier, TemplateModel, TemplateType } from './courier';
import type { CourierMessageStoreProvider } from './courier-message-store';
import type { CourierMessage, MessageType } from './message';
import type { CourierTemplates } from './templates/courier-templates';

export interface CourierTemplatesProvider {
  readonly courierTemplates: CourierTemplates;
}

export type DefaultCourierDeps = RealmConfigProvider & ClockProvider & CourierMessageStoreProvider & CourierTemplatesProvider;

/**
 * The `Courier`: renders a template and stores the result as a `queued` message, due at once. With `tx`
 * the insert joins the caller's transaction, so a flow that rolls back sends nothing.
 */
export class DefaultCourier implements Courier {
  constructor(private readonly deps: DefaultCourierDeps) {}

  async queueEmail(ctx: Ctx, type: TemplateType, model: TemplateModel): Promise<string> {
    const mail = this.deps.courierTemplates.renderEmail(type, model);
    return this.queue(ctx, 'email', type, model.to, { subject: mail.subject, body: mail.plaintext, htmlBody: mail.html });
  }

  /** @throws Error when `courier.sms.enabled` is false (nothing could ever send it). */
  async queueSms(ctx: Ctx, type: TemplateType, model: TemplateModel): Promise<string> {
    if (!this.deps.config.courier.sms.enabled) throw new Error('courier.sms.enabled is false: cannot queue an SMS');
    return this.queue(ctx, 'sms', type, model.to, { subject: '', body: this.deps.courierTemplates.renderSms(type, model) });
  }

  private async queue(
    ctx: Ctx,
    type: MessageType,
    templateType: TemplateType,
    recipient: string,
    content: Pick<CourierMessage, 'subject' | 'body' | 'htmlBody'>,
  ): Promise<string> {
    const now = this.deps.clock.now();
    const message: CourierMessage = {
      id: newId(),
      type,
      status: 'queued',
      recipient,
      ...content,
      templateType,
      sendCount: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.courierMessageStore.create(ctx, message);
    return message.id;
  }
}
