import type * as Nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { CourierConfig, CourierSenderConfig } from '../../config';
import { lazy } from '../../x';
import { CourierConfigError } from '../courier-config-error';
import type { CourierMessage } from '../message';
import type { CourierChannel } from './courier-channel';
import { smtpTransportOptions } from './smtp-transport-options';

/** nodemailer, loaded when an SMTP channel is configured (a process without SMTP never loads it). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodemailer = lazy(() => require('nodemailer') as typeof Nodemailer);

/**
 * Sends email over SMTP with nodemailer (`courier.smtp.*`): from `from_name <from_address>` of the
 * message's realm (the configured one when no sender is given), with the configured extra headers,
 * plain-text and HTML bodies. One connection per message (no pool), so a
 * broken connection never poisons later sends.
 */
export class SmtpChannel implements CourierChannel {
  readonly type = 'email' as const;
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;

  /** @throws CourierConfigError when `connection_uri` is missing or unusable (the message never shows it). */
  constructor(private readonly smtp: CourierConfig['smtp']) {
    if (!smtp.connection_uri) throw new CourierConfigError('courier.smtp.connection_uri: required to send email');
    this.transport = nodemailer().createTransport(smtpTransportOptions(smtp.connection_uri, smtp.local_name));
  }

  /** @throws Error (nodemailer's, without credentials) when the server does not accept the message. */
  async send(message: CourierMessage, sender?: CourierSenderConfig): Promise<void> {
    const from = sender?.smtp ?? this.smtp;
    await this.transport.sendMail({
      from: from.from_name ? { name: from.from_name, address: from.from_address } : from.from_address,
      to: message.recipient,
      subject: message.subject,
      text: message.body,
      ...(message.htmlBody !== undefined ? { html: message.htmlBody } : {}),
      headers: { ...this.smtp.headers },
    });
  }
}
