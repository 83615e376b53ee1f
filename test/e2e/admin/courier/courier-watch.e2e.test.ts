import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../../apps/cli/src/cli';
import type { RunningCourier } from '../../../../apps/cli/src/courier-watch';
import type { RunningServer } from '../../../../apps/cli/src/server';
import { loadConfig } from '../../../../libs/config';
import { createRegistry } from '../../../../libs/registry';
import { freePort } from '../../../helpers/boot-apps';
import { startSmtpSink } from '../../../helpers/smtp-sink';
import { testCtx } from '../../../../libs/x/testing';

const ctx = testCtx();

function cli(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const running: { server?: RunningServer; watcher?: RunningCourier } = {};
  return {
    out,
    err,
    running,
    io: {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      env: { LOG_LEVEL: 'silent', ...env },
      onServe: (s: RunningServer) => (running.server = s),
      onCourierWatch: (w: RunningCourier) => (running.watcher = w),
    },
  };
}

describe('tessera courier watch', () => {
  it('runs the dispatcher alone and sends what another process queued', async () => {
    const sink = await startSmtpSink();
    const dsn = `sqlite://${join(mkdtempSync(join(tmpdir(), 'tessera-watch-')), 'tessera.db')}`;
    const t = cli({ DSN: dsn, COURIER_SMTP_CONNECTION_URI: sink.uri(), COURIER_WORKER_POLL_INTERVAL: '50ms' });
    expect(await runCli(['courier', 'watch'], t.io)).toBe(0);
    const producer = await createRegistry(loadConfig({ env: { DSN: dsn, LOG_LEVEL: 'silent' } })).init();
    try {
      await producer.courier.queueEmail(ctx, 'recovery_code_valid', { to: 'watch@example.com', recovery_code: '31415926' });
      const [mail] = await sink.waitFor(1);
      expect(mail.envelopeTo).toEqual(['watch@example.com']);
      expect(mail.text).toContain('31415926');
    } finally {
      await t.running.watcher?.close();
      await producer.close();
      await sink.close();
    }
  });

  it('prints its usage for another subcommand', async () => {
    const t = cli({ DSN: 'memory' });
    expect(await runCli(['courier', 'send'], t.io)).toBe(2);
    expect(t.err.join('\n')).toContain('tessera courier watch');
    expect(t.running.watcher).toBeUndefined();
  });
});

describe('courier settings stop boot, naming the key', () => {
  const boot = async (env: Record<string, string>, command = ['serve']): Promise<{ code: number; err: string; running: boolean }> => {
    const t = cli({ DSN: 'memory', SERVE_PUBLIC_PORT: String(await freePort()), SERVE_ADMIN_PORT: String(await freePort()), SERVE_PUBLIC_HOST: '127.0.0.1', SERVE_ADMIN_HOST: '127.0.0.1', ...env });
    const code = await runCli(command, t.io);
    const running = Boolean(t.running.server ?? t.running.watcher);
    await t.running.server?.close();
    await t.running.watcher?.close();
    return { code, err: t.err.join('\n'), running };
  };

  it('refuses a missing override directory or file and a template that does not parse', async () => {
    const dir = await boot({ COURIER_TEMPLATE_OVERRIDE_PATH: '/nonexistent/tessera-templates' });
    expect(dir).toMatchObject({ code: 1, running: false });
    expect(dir.err).toContain('courier.template_override_path: /nonexistent/tessera-templates is not a directory');
    const file = await boot({ COURIER_TEMPLATES_RECOVERY_CODE_VALID_EMAIL_BODY_PLAINTEXT: 'file:///nonexistent/body.gotmpl' }, ['courier', 'watch']);
    expect(file).toMatchObject({ code: 1, running: false });
    expect(file.err).toContain('courier.templates.recovery_code_valid.email.body.plaintext: cannot read /nonexistent/body.gotmpl');
    const syntax = await boot({ COURIER_TEMPLATES_LOGIN_CODE_VALID_EMAIL_SUBJECT: `base64://${Buffer.from('{{ .Code }}').toString('base64')}` });
    expect(syntax.err).toContain('courier.templates.login_code_valid.email.subject: unknown field .Code');
  });

  it('refuses an unusable SMTP URI without printing its password, and an SMS gateway without a URL', async () => {
    const smtp = await boot({ COURIER_SMTP_CONNECTION_URI: 'smtp://u:hunter2-secret@mail.example.com/?skip_ssl_verfy=true' });
    expect(smtp).toMatchObject({ code: 1, running: false });
    expect(smtp.err).toContain('courier.smtp.connection_uri: unknown option ?skip_ssl_verfy');
    expect(smtp.err).not.toContain('hunter2-secret');
    const sms = await boot({ COURIER_SMS_ENABLED: 'true' });
    expect(sms.err).toContain('courier.sms.request_config.url: required when courier.sms.enabled is true');
  });
});
