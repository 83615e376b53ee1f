import type { CourierMessage, MessageType } from '../message';

/**
 * Delivers messages of one type. `send` resolves once the far end accepted the message and rejects
 * otherwise; the dispatcher turns a rejection into a retry or an abandonment. Error messages never
 * contain credentials.
 */
export interface CourierChannel {
  readonly type: MessageType;
  send(message: CourierMessage): Promise<void>;
}

export interface CourierChannelsProvider {
  /** The configured channels, at most one per message type. */
  readonly courierChannels: readonly CourierChannel[];
}
