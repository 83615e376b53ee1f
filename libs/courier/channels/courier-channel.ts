import type { CourierSenderConfig } from '../../config';
import type { CourierMessage, MessageType } from '../message';

/**
 * Delivers messages of one type. `send` resolves once the far end accepted the message and rejects
 * otherwise; the dispatcher turns a rejection into a retry or an abandonment. Error messages never
 * contain credentials. `sender` is who the message comes from (its realm's `courier.smtp.from_address`
 * / `from_name`, `courier.sms.from`); without it the channel sends with the sender it was configured with.
 */
export interface CourierChannel {
  readonly type: MessageType;
  send(message: CourierMessage, sender?: CourierSenderConfig): Promise<void>;
}

export interface CourierChannelsProvider {
  /** The configured channels, at most one per message type. */
  readonly courierChannels: readonly CourierChannel[];
}

/** Who each realm's messages come from, for the dispatcher, which sends every realm's messages. */
export interface CourierSendersProvider {
  /**
   * The sender of realm `realm` as its configuration says now; `undefined` when the realm no longer exists.
   * @throws Error when the realm's configuration cannot be read (the send is retried later).
   */
  courierSenderOf(realm: string): Promise<CourierSenderConfig | undefined>;
}
