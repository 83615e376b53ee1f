import type { CourierMessage } from './message';

/** What `body` says outside dev mode (Kratos's wording). */
export const REDACTED_BODY = '<redacted-unless-dev-mode>';

/**
 * The Kratos `Message` JSON: snake_case, `type` `email` or `phone` (our `sms`), `body` the plain text and
 * only in dev mode. Claims, backoff and the HTML body stay internal.
 */
export function toWire(message: CourierMessage, dev: boolean): Record<string, unknown> {
  return {
    id: message.id,
    status: message.status,
    type: message.type === 'sms' ? 'phone' : 'email',
    recipient: message.recipient,
    body: dev ? message.body : REDACTED_BODY,
    subject: message.subject,
    template_type: message.templateType,
    send_count: message.sendCount,
    created_at: message.createdAt.toISOString(),
    updated_at: message.updatedAt.toISOString(),
  };
}
