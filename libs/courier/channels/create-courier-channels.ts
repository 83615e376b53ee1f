import type { CourierConfig } from '../../config';
import type { CourierChannel } from './courier-channel';
import { SmsChannel } from './sms-channel';
import { SmtpChannel } from './smtp-channel';

/**
 * The channels `courier` configures: SMTP when `smtp.connection_uri` is set, SMS when `sms.enabled`.
 * Messages of a type without a channel stay queued.
 * @throws CourierConfigError naming the key of an unusable setting (called at boot).
 */
export function createCourierChannels(config: Pick<CourierConfig, 'smtp' | 'sms'>): CourierChannel[] {
  const channels: CourierChannel[] = [];
  if (config.smtp.connection_uri) channels.push(new SmtpChannel(config.smtp));
  if (config.sms.enabled) channels.push(new SmsChannel(config.sms));
  return channels;
}
