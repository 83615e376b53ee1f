import type { SchemaObject } from 'ajv';
import { composeSchemas } from './compose-schemas';
import { COURIER_TEMPLATE_TYPES } from './courier-config';

const object = (properties: Record<string, SchemaObject>, description?: string): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  properties,
  ...(description ? { description } : {}),
});
const duration = (def: string, description: string): SchemaObject => ({ type: 'string', duration: true, default: def, description });
const stringMap = (description: string): SchemaObject => ({ type: 'object', additionalProperties: { type: 'string' }, default: {}, description });
const templateUrl = (description: string): SchemaObject => ({ type: 'string', pattern: '^(file|base64)://', description });

const templateOverride: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    email: {
      type: 'object',
      additionalProperties: false,
      properties: {
        subject: templateUrl('Subject template (file:// or base64://).'),
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            html: templateUrl('HTML body template (file:// or base64://); fields are HTML-escaped.'),
            plaintext: templateUrl('Plain-text body template (file:// or base64://).'),
          },
        },
      },
    },
    sms: {
      type: 'object',
      additionalProperties: false,
      properties: { body: templateUrl('SMS text template (file:// or base64://).') },
    },
  },
};

/**
 * The process part of `courier` (Kratos §9e; `worker.*` is Tessera's): the SMTP and SMS transport and the
 * dispatcher. Templates use `{{ .Field }}` placeholders (Kratos's Go template names) with
 * `{{ if .Field }}…{{ else }}…{{ end }}`.
 */
export const courierProcessSchema: SchemaObject = object({
  message_retries: { type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'Failed sends after which a message is abandoned.' },
  smtp: object({
    connection_uri: {
      type: 'string',
      pattern: '^smtps?://',
      description:
        'smtp://user:pass@host:587/ (STARTTLS when offered; ?requireTLS=true insists, ?disable_starttls=true never) or smtps://…:465/ (implicit TLS); ?skip_ssl_verify=true, ?server_name=. Unset: email stays queued.',
    },
    headers: stringMap('Extra headers on every email.'),
    local_name: { type: 'string', minLength: 1, default: 'localhost', description: 'Name sent in EHLO/HELO.' },
  }),
  sms: object({
    enabled: { type: 'boolean', default: false, description: 'Send SMS through the HTTP gateway in request_config.' },
    request_config: object({
      url: { type: 'string', format: 'uri', description: 'Gateway URL (required when sms.enabled).' },
      method: { type: 'string', pattern: '^[A-Z]+$', default: 'POST', description: 'HTTP method.' },
      body: {
        type: 'string',
        default: '{"to":"{{ .To }}","from":"{{ .From }}","body":"{{ .Body }}"}',
        description:
          'Request body template with {{ .To }}, {{ .From }}, {{ .Body }}: inline text or a file:// / base64:// URL. Values are JSON-escaped, or URL-encoded for a form Content-Type.',
      },
      headers: stringMap('Request headers (Content-Type defaults to application/json).'),
      auth: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'config'],
        description: 'basic_auth {user, password} or api_key {name, value, in: header|cookie}.',
        properties: {
          type: { enum: ['basic_auth', 'api_key'] },
          config: {
            type: 'object',
            additionalProperties: false,
            properties: {
              user: { type: 'string' },
              password: { type: 'string' },
              name: { type: 'string' },
              value: { type: 'string' },
              in: { enum: ['header', 'cookie'] },
            },
          },
        },
      },
    }),
  }),
  worker: object({
    poll_interval: duration('1s', 'How often the dispatcher looks for due messages.'),
    backoff_base: duration('1s', 'Delay before the first retry; doubles per failed send.'),
    backoff_max: duration('10m', 'Longest delay between retries.'),
    lease: duration('1m', 'How long a claimed message stays with one dispatcher; a crashed dispatcher’s messages are retried after it.'),
    batch_size: { type: 'integer', minimum: 1, maximum: 10000, default: 100, description: 'Messages one dispatch pass sends at most.' },
  }),
});

/** The realm part of `courier`: template overrides and the sender (`smtp.from_*`, `sms.from`). */
export const courierRealmSchema: SchemaObject = object({
  template_override_path: {
    type: 'string',
    minLength: 1,
    description: 'Directory with Kratos-style overrides: <dir>/<flow>/<valid|invalid>/email.subject.gotmpl (or <dir>/<template_type>/...).',
  },
  templates: object(
    Object.fromEntries(COURIER_TEMPLATE_TYPES.map((t) => [t, templateOverride])),
    'Per-template overrides: courier.templates.<template_type>.email.{subject,body.html,body.plaintext} and .sms.body.',
  ),
  smtp: object({
    from_address: { type: 'string', format: 'email', default: 'no-reply@ory.kratos.sh', description: 'Sender address.' },
    from_name: { type: 'string', description: 'Sender display name.' },
  }),
  sms: object({
    from: { type: 'string', default: 'Tessera', description: 'Sender shown to recipients (the {{ .From }} field).' },
  }),
});

/** The whole `courier` section as the configuration file has it: both parts composed. */
export const courierSchema: SchemaObject = composeSchemas(courierProcessSchema, courierRealmSchema);
