import { mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runCli } from '../../apps/cli/src/cli';
import type { RunningCourier } from '../../apps/cli/src/courier-watch';
import type { RunningServer } from '../../apps/cli/src/server';
import { loadConfig } from '../../libs/config';
import { createRegistry } from '../../libs/registry';
import { systemCtx } from '../../libs/x';
import { freePort } from '../helpers/boot-apps';
import { eventually } from '../helpers/eventually';
import { startSmtpSink } from '../helpers/smtp-sink';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let server: RunningServer | undefined;
  let watcher: RunningCourier | undefined;
  return {
    out,
    err,
    get server() {
      return server;
    },
    get watcher() {
      return watcher;
    },
    io: {
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      env: { LOG_LEVEL: 'silent', ...env },
      onServe: (s: RunningServer) => (server = s),
      onCourierWatch: (w: RunningCourier) => (watcher = w),
    },
  };
}

describe('tessera CLI', () => {
  it('prints the version', async () => {
    const t = io();
    expect(await runCli(['version'], t.io)).toBe(0);
    expect(t.out[0]).toMatch(/^tessera \d+\.\d+\.\d+/);
  });

  it('refuses a bad port naming the key, before listening', async () => {
    const t = io({ SERVE_PUBLIC_PORT: 'abc', DSN: 'memory' });
    expect(await runCli(['serve'], t.io)).toBe(1);
    expect(t.err.join('\n')).toContain('serve.public.port');
    expect(t.server).toBeUndefined();
  });

  it('refuses an unknown flag and an unknown command', async () => {
    expect(await runCli(['serve', '--nope'], io().io)).toBe(2);
    expect(await runCli(['explode'], io().io)).toBe(2);
  });

  it('serves with a SQLite file created under the configured path, from --config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
    const [pub, adm] = [await freePort(), await freePort()];
    const file = join(dir, 'my.yaml');
    writeFileSync(file, `dsn: sqlite://${join(dir, 'data', 'tessera.db')}\nserve:\n  public:\n    port: ${pub}\n    host: 127.0.0.1\n  admin:\n    port: ${adm}\n    host: 127.0.0.1\n`);
    const t = io();
    expect(await runCli(['serve', '--config', file], t.io)).toBe(0);
    try {
      expect(existsSync(join(dir, 'data', 'tessera.db'))).toBe(true);
      expect((await request(`http://127.0.0.1:${pub}`).get('/health/ready')).status).toBe(200);
      expect((await request(`http://127.0.0.1:${adm}`).get('/health/ready')).status).toBe(200);
    } finally {
      await t.server?.close();
    }
  });

  it('migrates up, reports status, and migrates down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
    const env = { DSN: `sqlite://${join(dir, 'm.db')}` };
    const status1 = io(env);
    expect(await runCli(['migrate', 'status'], status1.io)).toBe(0);
    expect(status1.out.every((l) => l.startsWith('pending'))).toBe(true);
    const up = io(env);
    expect(await runCli(['migrate', 'up'], up.io)).toBe(0);
    expect(up.out[0]).toMatch(/^applied: /);
    const status2 = io(env);
    await runCli(['migrate', 'status'], status2.io);
    expect(status2.out.every((l) => l.startsWith('applied'))).toBe(true);
    const down = io(env);
    expect(await runCli(['migrate', 'down'], down.io)).toBe(0);
    const status3 = io(env);
    await runCli(['migrate', 'status'], status3.io);
    expect(status3.out.at(-1)).toMatch(/^pending/);
    expect(await runCli(['migrate', 'sideways'], io(env).io)).toBe(2);
  });
});

describe('tessera … --realm', () => {
  const sqlite = (): string => `sqlite://${join(mkdtempSync(join(tmpdir(), 'tessera-cli-realm-')), 'tessera.db')}`;

  it('is refused (exit 2, saying why) by the commands that work on every realm, and without a name', async () => {
    for (const argv of [['serve', '--realm', 'a'], ['migrate', 'up', '--realm=a'], ['realms', 'list', '--realm', 'a']]) {
      const t = io({ DSN: 'memory' });
      expect(await runCli(argv, t.io)).toBe(2);
      expect(t.err.join('\n')).toMatch(/--realm applies to courier watch and cleanup only/);
      expect(t.server).toBeUndefined();
    }
    const bare = io();
    expect(await runCli(['courier', 'watch', '--realm'], bare.io)).toBe(2);
    expect(bare.err.join('\n')).toContain('--realm: needs a realm name');
  });

  it('courier watch --realm of an unknown realm exits 1 naming it, without watching', async () => {
    const t = io({ DSN: sqlite() });
    expect(await runCli(['courier', 'watch', '--realm', 'nope'], t.io)).toBe(1);
    expect(t.err).toEqual(['tessera: realm "nope" does not exist (tessera realms list shows the stored realms)']);
    expect(t.watcher).toBeUndefined();
  });

  it("courier watch --realm a sends realm a's messages only, with a's sender", async () => {
    const sink = await startSmtpSink();
    const dsn = sqlite();
    const producer = await createRegistry(loadConfig({ env: { DSN: dsn, LOG_LEVEL: 'silent' } })).init();
    const t = io({ DSN: dsn, COURIER_SMTP_CONNECTION_URI: sink.uri(), COURIER_WORKER_POLL_INTERVAL: '50ms' });
    try {
      await producer.realmConfigService.create(systemCtx(producer.logger), 'a', { courier: { smtp: { from_address: 'mail@a.example' } } });
      const ofDefault = await producer.courier.queueEmail(systemCtx(producer.logger), 'recovery_code_valid', { to: 'dora@default.example', recovery_code: '11111111' });
      const realmA = (await producer.realms.get('a'))!;
      await realmA.courier.queueEmail(systemCtx(producer.logger, 'a'), 'recovery_code_valid', { to: 'ada@a.example', recovery_code: '22222222' });

      expect(await runCli(['courier', 'watch', '--realm', 'a'], t.io)).toBe(0);
      const [mail] = await sink.waitFor(1);
      expect(mail).toMatchObject({ envelopeTo: ['ada@a.example'], from: 'mail@a.example' });
      // Another pass finds nothing of a; the default realm's message stays queued for the other dispatchers.
      expect(await t.watcher!.dispatcher.dispatchOnce()).toEqual({ sent: 0, retried: 0, abandoned: 0 });
      expect((await producer.courierMessageStore.get(systemCtx(producer.logger), ofDefault))?.status).toBe('queued');
      expect(sink.mails).toHaveLength(1);

      // Without --realm the dispatcher sends every realm's (here: the default's, from the file's sender).
      const all = io({ DSN: dsn, COURIER_SMTP_CONNECTION_URI: sink.uri(), COURIER_WORKER_POLL_INTERVAL: '50ms' });
      expect(await runCli(['courier', 'watch'], all.io)).toBe(0);
      await all.watcher!.dispatcher.dispatchOnce();
      await eventually(async () => ((await producer.courierMessageStore.get(systemCtx(producer.logger), ofDefault))?.status === 'sent' ? true : undefined));
      await all.watcher!.close();
    } finally {
      await t.watcher?.close();
      await producer.close();
      await sink.close();
    }
  });
});
