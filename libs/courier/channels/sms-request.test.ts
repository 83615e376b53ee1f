import type { SmsRequestConfig } from '../../config';
import { CourierConfigError } from '../courier-config-error';
import { SmsRequestBuilder } from './sms-request';

const base: SmsRequestConfig = {
  url: 'https://sms.example.com/send',
  method: 'POST',
  body: '{"to":"{{ .To }}","from":"{{ .From }}","body":"{{ .Body }}"}',
  headers: {},
};
const fields = { to: '+15550100', from: 'Tessera', body: 'Your code is: "1234"\n<b>&' };

describe('SmsRequestBuilder', () => {
  it('builds a JSON body with JSON-escaped fields and a default Content-Type', () => {
    const req = new SmsRequestBuilder(base).build(fields);
    expect(req).toMatchObject({ url: 'https://sms.example.com/send', method: 'POST', headers: { 'Content-Type': 'application/json' } });
    expect(JSON.parse(req.body as string)).toEqual({ to: '+15550100', from: 'Tessera', body: 'Your code is: "1234"\n<b>&' });
  });

  it('URL-encodes fields for a form body', () => {
    const req = new SmsRequestBuilder({ ...base, body: 'To={{ .To }}&From={{ .From }}&Body={{ .Body }}', headers: { 'content-type': 'application/x-www-form-urlencoded' } }).build(fields);
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ To: '+15550100', From: 'Tessera', Body: 'Your code is: "1234"\n<b>&' });
    expect(req.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
  });

  it('adds basic auth, an API key header or an API key cookie', () => {
    expect(new SmsRequestBuilder({ ...base, auth: { type: 'basic_auth', config: { user: 'ACx', password: 'p:w' } } }).build(fields).headers.Authorization).toBe(
      `Basic ${Buffer.from('ACx:p:w').toString('base64')}`,
    );
    expect(new SmsRequestBuilder({ ...base, auth: { type: 'api_key', config: { name: 'X-Api-Key', value: 'k1', in: 'header' } } }).build(fields).headers['X-Api-Key']).toBe('k1');
    expect(
      new SmsRequestBuilder({ ...base, headers: { Cookie: 'a=b' }, auth: { type: 'api_key', config: { name: 'key', value: 'k2', in: 'cookie' } } }).build(fields).headers.Cookie,
    ).toBe('a=b; key=k2');
  });

  it('reads the body template from a base64:// URL and sends no body for GET', () => {
    const body = `base64://${Buffer.from('{{ .Body }} to {{ .To }}').toString('base64')}`;
    expect(new SmsRequestBuilder({ ...base, body, headers: { 'Content-Type': 'text/plain' } }).build(fields).body).toBe(`${fields.body} to +15550100`);
    expect(new SmsRequestBuilder({ ...base, method: 'GET' }).build(fields).body).toBeUndefined();
  });

  it('refuses incomplete settings at construction, naming the key', () => {
    expect(() => new SmsRequestBuilder({ ...base, url: undefined })).toThrow(/^courier\.sms\.request_config\.url: required/);
    expect(() => new SmsRequestBuilder({ ...base, auth: { type: 'basic_auth', config: { user: 'u' } } })).toThrow(/auth\.config: basic_auth needs user and password/);
    expect(() => new SmsRequestBuilder({ ...base, auth: { type: 'api_key', config: { value: 'v' } } })).toThrow(CourierConfigError);
    expect(() => new SmsRequestBuilder({ ...base, body: '{{ .Text }}' })).toThrow(/^courier\.sms\.request_config\.body: unknown field \.Text/);
    expect(() => new SmsRequestBuilder({ ...base, body: 'file:///nonexistent/sms.jsonnet' })).toThrow(/^courier\.sms\.request_config\.body: cannot read/);
  });
});
