import type { SmsRequestConfig } from '../../config';
import { CourierConfigError } from '../courier-config-error';
import { readTemplateUrl } from '../templates/read-template-url';
import { type CompiledTemplate, type Escaper, TemplateSyntaxError, compileTemplate, noEscape } from '../templates/template-renderer';

/** One HTTP request to the SMS gateway. */
export interface SmsRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Absent for GET and HEAD. */
  readonly body?: string;
}

/** The fields of the body template. */
export interface SmsFields {
  readonly to: string;
  readonly from: string;
  readonly body: string;
}

const KEY = 'courier.sms.request_config';

/** Escapes text for a JSON string literal (the template supplies the quotes). */
export const escapeJson: Escaper = (value) => JSON.stringify(value).slice(1, -1);

/**
 * Builds requests to the SMS gateway from `courier.sms.request_config`, validated once at boot.
 * The body template's fields are escaped for the body's Content-Type: JSON string escaping for JSON
 * (the default Content-Type), URL encoding for `application/x-www-form-urlencoded`, none otherwise.
 * `basic_auth` adds `Authorization: Basic …`; `api_key` adds a header or a cookie.
 */
export class SmsRequestBuilder {
  private readonly url: string;
  private readonly template: CompiledTemplate;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly escape: Escaper;

  /** @throws CourierConfigError naming the key of a missing URL, incomplete auth or a body template that does not parse. */
  constructor(private readonly config: SmsRequestConfig) {
    if (!config.url) throw new CourierConfigError(`${KEY}.url: required when courier.sms.enabled is true`);
    this.url = config.url;
    const source = /^(file|base64):\/\//.test(config.body) ? readTemplateUrl(`${KEY}.body`, config.body) : config.body;
    try {
      this.template = compileTemplate(source, ['To', 'From', 'Body']);
    } catch (e) {
      if (e instanceof TemplateSyntaxError) throw new CourierConfigError(`${KEY}.body: ${e.message}`);
      throw e;
    }
    const headers: Record<string, string> = { ...config.headers };
    const contentTypeKey = Object.keys(headers).find((k) => k.toLowerCase() === 'content-type');
    if (!contentTypeKey) headers['Content-Type'] = 'application/json';
    const contentType = (headers[contentTypeKey ?? 'Content-Type'] ?? '').toLowerCase();
    this.escape = contentType.includes('x-www-form-urlencoded') ? encodeURIComponent : contentType.includes('json') ? escapeJson : noEscape;
    this.headers = withAuth(headers, config);
  }

  /** The request for one message. */
  build(fields: SmsFields): SmsRequest {
    const method = this.config.method.toUpperCase();
    const hasBody = method !== 'GET' && method !== 'HEAD';
    return {
      url: this.url,
      method,
      headers: this.headers,
      ...(hasBody ? { body: this.template.render({ To: fields.to, From: fields.from, Body: fields.body }, this.escape) } : {}),
    };
  }
}

function withAuth(headers: Record<string, string>, config: SmsRequestConfig): Record<string, string> {
  const auth = config.auth;
  if (!auth) return headers;
  const c = auth.config;
  if (auth.type === 'basic_auth') {
    if (c.user === undefined || c.password === undefined) throw new CourierConfigError(`${KEY}.auth.config: basic_auth needs user and password`);
    return { ...headers, Authorization: `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}` };
  }
  if (!c.name || c.value === undefined) throw new CourierConfigError(`${KEY}.auth.config: api_key needs name and value`);
  if (c.in === 'cookie') {
    const cookieKey = Object.keys(headers).find((k) => k.toLowerCase() === 'cookie') ?? 'Cookie';
    const existing = headers[cookieKey];
    return { ...headers, [cookieKey]: `${existing ? `${existing}; ` : ''}${c.name}=${c.value}` };
  }
  return { ...headers, [c.name]: c.value };
}
