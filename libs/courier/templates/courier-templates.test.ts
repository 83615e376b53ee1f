import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CourierConfig } from '../../config';
import type { TemplateType } from '../courier';
import { CourierConfigError } from '../courier-config-error';
import { BUILTIN_TEMPLATES } from './builtin-templates';
import { CourierTemplates } from './courier-templates';

const b64 = (text: string): string => `base64://${Buffer.from(text).toString('base64')}`;
const load = (config: Partial<Pick<CourierConfig, 'template_override_path' | 'templates'>> = {}): CourierTemplates =>
  CourierTemplates.load({ templates: {}, ...config });
const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

describe('CourierTemplates', () => {
  it('renders every built-in template with Kratos wording and the code or link in both bodies', () => {
    const templates = load();
    const model = {
      to: 'ann@example.com',
      recovery_url: 'https://auth.example.com/self-service/recovery?flow=f&token=t',
      recovery_code: '11111111',
      verification_url: 'https://auth.example.com/self-service/verification?flow=f&token=v',
      verification_code: '22222222',
      login_code: '33333333',
      registration_code: '44444444',
    };
    const expected: Record<TemplateType, string | undefined> = {
      recovery_valid: 'https://auth.example.com/self-service/recovery?flow=f&token=t',
      recovery_invalid: undefined,
      recovery_code_valid: '11111111',
      recovery_code_invalid: undefined,
      verification_valid: 'https://auth.example.com/self-service/verification?flow=f&token=v',
      verification_invalid: undefined,
      verification_code_valid: '22222222',
      verification_code_invalid: undefined,
      login_code_valid: '33333333',
      registration_code_valid: '44444444',
    };
    for (const type of Object.keys(BUILTIN_TEMPLATES) as TemplateType[]) {
      const mail = templates.renderEmail(type, model);
      expect(mail.subject).toBe(BUILTIN_TEMPLATES[type].subject);
      const secret = expected[type];
      if (secret) {
        expect(mail.plaintext).toContain(secret);
        expect(mail.html).toContain(secret.replace(/&/g, '&amp;'));
        expect(templates.renderSms(type, model)).toContain(secret);
      } else {
        expect(mail.plaintext).toMatch(/please ignore this email/);
      }
    }
    expect(templates.renderEmail('recovery_code_valid', model).subject).toBe('Recover access to your account');
    expect(templates.renderEmail('verification_invalid', model).subject).toBe('Someone tried to verify this email address');
  });

  it('HTML-escapes fields in the HTML body only, and keeps subjects on one line', () => {
    const hostile = 'https://x.example/?a="><script>alert(1)</script>';
    const templates = load({ templates: { recovery_valid: { email: { subject: b64('Hi {{ .Identity.traits.name }}') } } } });
    const mail = templates.renderEmail('recovery_valid', { to: 'a@b.co', recovery_url: hostile, identity: { traits: { name: 'Eve\r\nBcc: x@evil.example' } } });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.plaintext).toContain(hostile);
    expect(mail.subject).toBe('Hi Eve Bcc: x@evil.example');
  });

  it('uses Kratos-layout and flat override directories, falling back to built-ins file by file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-tpl-'));
    mkdirSync(join(dir, 'recovery_code', 'valid'), { recursive: true });
    writeFileSync(join(dir, 'recovery_code', 'valid', 'email.subject.gotmpl'), 'Your code, {{ .To }}');
    writeFileSync(join(dir, 'recovery_code', 'valid', 'email.body.gotmpl'), '<h1>{{ .RecoveryCode }}</h1>');
    mkdirSync(join(dir, 'login_code_valid'));
    writeFileSync(join(dir, 'login_code_valid', 'email.body.plaintext.gotmpl'), 'Login code {{ .LoginCode }}');
    writeFileSync(join(dir, 'login_code_valid', 'sms.body.gotmpl'), 'SMS {{ .LoginCode }}');
    const templates = load({ template_override_path: dir });
    const recovery = templates.renderEmail('recovery_code_valid', { to: 'a@b.co', recovery_code: '<1>' });
    expect(recovery).toEqual({ subject: 'Your code, a@b.co', html: '<h1>&lt;1&gt;</h1>', plaintext: expect.stringContaining('<1>') });
    expect(templates.renderEmail('login_code_valid', { to: 'a@b.co', login_code: '9' }).plaintext).toBe('Login code 9');
    expect(templates.renderSms('login_code_valid', { to: '+1', login_code: '9' })).toBe('SMS 9');
    expect(templates.renderEmail('login_code_valid', { to: 'a@b.co', login_code: '9' }).subject).toBe('Login to your account');
  });

  it('prefers inline overrides (file:// and base64://) over the directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-tpl-'));
    writeFileSync(join(dir, 'plain.gotmpl'), 'Inline file {{ .VerificationCode }}');
    mkdirSync(join(dir, 'verification_code', 'valid'), { recursive: true });
    writeFileSync(join(dir, 'verification_code', 'valid', 'email.body.plaintext.gotmpl'), 'from dir');
    const templates = load({
      template_override_path: dir,
      templates: { verification_code_valid: { email: { subject: b64('Inline subject'), body: { plaintext: `file://${join(dir, 'plain.gotmpl')}` } } } },
    });
    expect(templates.renderEmail('verification_code_valid', { to: 'a@b.co', verification_code: '7' })).toMatchObject({ subject: 'Inline subject', plaintext: 'Inline file 7' });
  });

  it('stops boot naming the key of a missing or bad override', () => {
    const missingDir = errorOf(() => load({ template_override_path: '/nonexistent/tessera-templates' }));
    expect(missingDir).toBeInstanceOf(CourierConfigError);
    expect(missingDir.message).toMatch(/^courier\.template_override_path: \/nonexistent\/tessera-templates is not a directory/);
    expect(errorOf(() => load({ templates: { recovery_valid: { email: { body: { html: 'file:///nonexistent/body.gotmpl' } } } } })).message).toMatch(
      /^courier\.templates\.recovery_valid\.email\.body\.html: cannot read \/nonexistent\/body\.gotmpl \(ENOENT\)/,
    );
    expect(errorOf(() => load({ templates: { login_code_valid: { email: { subject: b64('{{ .LoginCod }}') } } } })).message).toMatch(
      /^courier\.templates\.login_code_valid\.email\.subject: unknown field \.LoginCod/,
    );
    expect(errorOf(() => load({ templates: { login_code_valid: { sms: { body: 'base64://%%%' } } } })).message).toMatch(/^courier\.templates\.login_code_valid\.sms\.body: base64/);
    const dir = mkdtempSync(join(tmpdir(), 'tessera-tpl-'));
    mkdirSync(join(dir, 'recovery', 'invalid'), { recursive: true });
    writeFileSync(join(dir, 'recovery', 'invalid', 'email.body.gotmpl'), '{{ if .To }}unclosed');
    expect(errorOf(() => load({ template_override_path: dir })).message).toMatch(/^courier\.template_override_path \(.*recovery\/invalid\/email\.body\.gotmpl\): \{\{ if \}\} without/);
  });
});
