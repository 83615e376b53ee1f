import type { CourierConfig, CourierSenderConfig } from '../../config';
import type { CourierMessage } from '../message';
import type { CourierChannel } from './courier-channel';
import { SmsRequestBuilder } from './sms-request';

/** How long one gateway call may take (well inside a dispatcher's lease). */
const TIMEOUT_MS = 10_000;

/**
 * Sends SMS through an HTTP gateway (`courier.sms.*`). Any non-2xx answer, network error or timeout
 * rejects, and the dispatcher retries with backoff. Errors name the HTTP status only: never the URL or
 * headers, which may carry credentials.
 */
export class SmsChannel implements CourierChannel {
  readonly type = 'sms' as const;
  private readonly builder: SmsRequestBuilder;

  /** @throws CourierConfigError (see `SmsRequestBuilder`). */
  constructor(private readonly sms: CourierConfig['sms']) {
    this.builder = new SmsRequestBuilder(sms.request_config);
  }

  /** `sender.sms.from` (the message's realm's `courier.sms.from`) fills `{{ .From }}`; the configured one without it. */
  async send(message: CourierMessage, sender?: CourierSenderConfig): Promise<void> {
    const request = this.builder.build({ to: message.recipient, from: sender?.sms.from ?? this.sms.from, body: message.body });
    let response: Response;
    try {
      response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      throw new Error(`SMS gateway unreachable (${(e as Error).name})`, { cause: e });
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`SMS gateway answered HTTP ${response.status}`);
  }
}
