import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { RunningServer } from '../../../../apps/cli/src/server';
import { type Config, loadConfig } from '../../../../libs/config';
import { SmtpChannel } from '../../../../libs/courier';
import { makeMessage } from '../../../../libs/courier/testing/courier-message-store.contract';
import { bootApps } from '../../../helpers/boot-apps';
import { type SmtpSink, startSmtpSink } from '../../../helpers/smtp-sink';
import { testCtx } from '../../../../libs/x/testing';

const ctx = testCtx();

describe('courier: email through tessera serve to a real SMTP server', () => {
  let sink: SmtpSink;
  let server: RunningServer;
  beforeAll(async () => {
    sink = await startSmtpSink();
    const dir = mkdtempSync(join(tmpdir(), 'tessera-tpl-'));
    mkdirSync(join(dir, 'verification', 'valid'), { recursive: true });
    writeFileSync(join(dir, 'verification', 'valid', 'email.body.gotmpl'), '<p>Hello {{ .Identity.traits.name }}</p>\n<a href="{{ .VerificationURL }}">verify</a>\n');
    server = await bootApps({
      COURIER_SMTP_CONNECTION_URI: sink.uri(),
      COURIER_SMTP_HEADERS: '{"X-Tessera-Test":"yes"}',
      COURIER_TEMPLATE_OVERRIDE_PATH: dir,
      COURIER_WORKER_POLL_INTERVAL: '50ms',
    });
  });
  afterAll(async () => {
    await server?.close();
    await sink?.close();
  });

  it('delivers the recovery code mail with the code in both bodies', async () => {
    const before = sink.mails.length;
    await server.registry.courier.queueEmail(ctx, 'recovery_code_valid', { to: 'ann@example.com', recovery_code: '76453943' });
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail.envelopeTo).toEqual(['ann@example.com']);
    expect(mail.to).toBe('ann@example.com');
    expect(mail.from).toBe('no-reply@ory.kratos.sh');
    expect(mail.subject).toBe('Recover access to your account');
    expect(mail.text).toBe('Hi,\n\nplease recover access to your account by entering the following code:\n\n76453943\n');
    expect(mail.html).toContain('<strong>76453943</strong>');
    expect(mail.headers['x-tessera-test']).toBe('yes');
  });

  it('HTML-escapes hostile fields in the HTML body (and keeps the plain text literal)', async () => {
    const before = sink.mails.length;
    const url = 'https://auth.example.com/self-service/verification?flow=f&token="><script>alert(1)</script>';
    await server.registry.courier.queueEmail(ctx, 'verification_valid', {
      to: 'eve@example.com',
      verification_url: url,
      identity: { traits: { email: 'eve@example.com', name: '<img src=x onerror=alert(2)>' } },
    });
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail.subject).toBe('Please verify your email address');
    expect(mail.html).toBe(
      '<p>Hello &lt;img src=x onerror=alert(2)&gt;</p>\n<a href="https://auth.example.com/self-service/verification?flow=f&amp;token=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">verify</a>\n',
    );
    expect(mail.html).not.toMatch(/<script|<img/);
    expect(mail.text).toContain(url);
  });

  it('shows the delivered messages as sent in the admin API', async () => {
    const res = await request(server.adminUrl).get('/admin/courier/messages?status=sent');
    expect(res.body.map((m: { recipient: string }) => m.recipient).sort()).toEqual(['ann@example.com', 'eve@example.com']);
  });
});

describe('SmtpChannel TLS and authentication', () => {
  let sink: SmtpSink;
  const smtp = (uri: string): Config['courier']['smtp'] => ({ ...loadConfig({ env: {} }).courier.smtp, connection_uri: uri });
  beforeAll(async () => {
    sink = await startSmtpSink({ starttls: true, auth: { user: 'u', pass: 'right-pw' } });
  });
  afterAll(() => sink.close());

  it('upgrades with STARTTLS and authenticates when certificate checks are skipped', async () => {
    await new SmtpChannel(smtp(sink.uri('?skip_ssl_verify=true', 'u:right-pw'))).send(makeMessage({ recipient: 'tls@example.com' }));
    expect(sink.mails.at(-1)).toMatchObject({ envelopeTo: ['tls@example.com'], secure: true, user: 'u' });
  });

  it('verifies the server certificate by default (the sink’s is self-signed)', async () => {
    await expect(new SmtpChannel(smtp(sink.uri('', 'u:right-pw'))).send(makeMessage())).rejects.toThrow(/certificate/i);
  });

  it('fails on a wrong password without putting it in the error', async () => {
    const error = await new SmtpChannel(smtp(sink.uri('?skip_ssl_verify=true', 'u:wrong-pw'))).send(makeMessage()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).not.toContain('wrong-pw');
  });

  it('insists on TLS with ?requireTLS=true when the server offers no STARTTLS', async () => {
    const plain = await startSmtpSink();
    try {
      await expect(new SmtpChannel(smtp(plain.uri('?requireTLS=true'))).send(makeMessage())).rejects.toThrow(/STARTTLS/i);
      await new SmtpChannel(smtp(plain.uri())).send(makeMessage({ recipient: 'plain@example.com' }));
      expect(plain.mails.map((m) => m.secure)).toEqual([false]);
    } finally {
      await plain.close();
    }
  });
});
