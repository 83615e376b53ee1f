import { mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runCli } from '../../apps/cli/src/cli';
import type { RunningServer } from '../../apps/cli/src/server';
import { freePort } from '../helpers/boot-apps';

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let server: RunningServer | undefined;
  return {
    out,
    err,
    get server() {
      return server;
    },
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: { LOG_LEVEL: 'silent', ...env }, onServe: (s: RunningServer) => (server = s) },
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
