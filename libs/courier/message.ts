import type { TemplateType } from './courier';

/** Kratos's message states: `queued` → `processing` → `sent`, or `abandoned` after too many failed sends. */
export const MESSAGE_STATUSES = ['queued', 'processing', 'sent', 'abandoned'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** The channel a message goes out on (`sms` is `phone` on the Kratos wire). */
export type MessageType = 'email' | 'sms';

/** True for one of Kratos's four message states. */
export function isMessageStatus(value: unknown): value is MessageStatus {
  return typeof value === 'string' && (MESSAGE_STATUSES as readonly string[]).includes(value);
}

/**
 * A queued courier message with its delivery bookkeeping.
 *
 * Invariants: `sendCount` counts send attempts started (it is raised when a dispatcher claims the
 * message); `claimedBy`/`claimedUntil` are set while `status` is `processing`, and a `processing`
 * message whose `claimedUntil` has passed belongs to a crashed dispatcher and may be claimed again.
 * `claimedBy` stays on a `sent` message (the dispatcher that delivered it).
 */
export interface CourierMessage {
  readonly id: string;
  readonly type: MessageType;
  readonly status: MessageStatus;
  /** Email address or phone number. */
  readonly recipient: string;
  /** Empty for SMS. */
  readonly subject: string;
  /** The plain-text body (email) or the SMS text. */
  readonly body: string;
  /** The HTML body (email only). */
  readonly htmlBody?: string;
  readonly templateType: TemplateType;
  readonly sendCount: number;
  /** Not sent before this instant (exponential backoff after a failed send). */
  readonly nextAttemptAt: Date;
  readonly claimedBy?: string;
  readonly claimedUntil?: Date;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /**
   * The realm that queued it, as stores report it on `claim` (the dispatcher claims every realm's
   * messages and sends each with its realm's sender). Ignored by `create`, which stores `ctx.realm`.
   */
  readonly realm?: string;
}
