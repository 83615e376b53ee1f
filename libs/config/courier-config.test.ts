import { loadConfig } from './load-config';

describe('courier configuration', () => {
  it('has Kratos defaults plus the worker settings', () => {
    const { courier } = loadConfig({ env: {} });
    expect(courier.message_retries).toBe(5);
    expect(courier.smtp).toEqual({ from_address: 'no-reply@ory.kratos.sh', headers: {}, local_name: 'localhost' });
    expect(courier.sms).toMatchObject({ enabled: false, from: 'Tessera', request_config: { method: 'POST', headers: {} } });
    expect(courier.worker).toEqual({ poll_interval: 1000, backoff_base: 1000, backoff_max: 600_000, lease: 60_000, batch_size: 100 });
    expect(courier.templates).toEqual({});
  });

  it('reads UPPER_SNAKE environment overrides, including per-template overrides', () => {
    const { courier } = loadConfig({
      env: {
        COURIER_SMTP_CONNECTION_URI: 'smtps://u:p@mail.example.com:465/',
        COURIER_SMTP_FROM_NAME: 'Example',
        COURIER_MESSAGE_RETRIES: '3',
        COURIER_WORKER_BACKOFF_BASE: '10ms',
        COURIER_TEMPLATES_RECOVERY_CODE_VALID_EMAIL_BODY_HTML: 'base64://e3sgLlJlY292ZXJ5Q29kZSB9fQ==',
        COURIER_SMTP_HEADERS: '{"X-SES-CONFIGURATION-SET":"auth"}',
      },
    });
    expect(courier.smtp.headers).toEqual({ 'X-SES-CONFIGURATION-SET': 'auth' });
    expect(courier.smtp.connection_uri).toBe('smtps://u:p@mail.example.com:465/');
    expect(courier.smtp.from_name).toBe('Example');
    expect(courier.message_retries).toBe(3);
    expect(courier.worker.backoff_base).toBe(10);
    expect(courier.templates.recovery_code_valid?.email?.body?.html).toBe('base64://e3sgLlJlY292ZXJ5Q29kZSB9fQ==');
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ env: { COURIER_SMTP_CONNECTION_URI: 'http://mail.example.com' } })).toThrow(/courier\.smtp\.connection_uri: must match pattern/);
    expect(() => loadConfig({ env: { COURIER_TEMPLATES_LOGIN_CODE_VALID_EMAIL_SUBJECT: 'Hello' } })).toThrow(/courier\.templates\.login_code_valid\.email\.subject: must match pattern/);
    expect(() => loadConfig({ env: { COURIER_SMTP_HEADERS: 'X-A: b' } })).toThrow(/COURIER_SMTP_HEADERS: must be a JSON object/);
    expect(() => loadConfig({ env: { COURIER_SMTP_HEADERS: '{"X-A":{"b":1}}' } })).toThrow(/courier\.smtp\.headers\.X-A: must be string/);
    expect(() => loadConfig({ env: { COURIER_WORKER_POLL_INTERVAL: 'often' } })).toThrow(/courier\.worker\.poll_interval: must be a duration/);
    expect(() => loadConfig({ overrides: { courier: { templates: { recovery: {} } } } })).toThrow(/courier\.templates: must NOT have additional properties \(recovery\)/);
  });
});
