import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type Server, type Socket, createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { runCli } from '../../apps/cli/src/cli';
import type { RunningServer } from '../../apps/cli/src/server';
import { migrations } from '../../libs/persistence/migrations';
import { freePort } from '../helpers/boot-apps';
import { type TestDatabase, databaseFactories, mysqlFactory } from '../helpers/databases';

jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../..');

/** `tessera serve` as its own OS process (TypeScript compiled on the fly), on loopback ports. */
interface ServeProcess {
  readonly child: ChildProcess;
  readonly publicUrl: string;
  readonly adminUrl: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

async function spawnServe(env: Record<string, string>): Promise<ServeProcess> {
  const [pub, adm] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/helpers/ts-register.cjs'), join(ROOT, 'apps/cli/src/main.ts'), 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'error',
      SERVE_PUBLIC_PORT: String(pub),
      SERVE_ADMIN_PORT: String(adm),
      SERVE_PUBLIC_HOST: '127.0.0.1',
      SERVE_ADMIN_HOST: '127.0.0.1',
      SERVE_PUBLIC_BASE_URL: `http://127.0.0.1:${pub}/`,
      HASHERS_BCRYPT_COST: '4',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, publicUrl: `http://127.0.0.1:${pub}`, adminUrl: `http://127.0.0.1:${adm}`, stderr: () => stderr, exited };
}

/** Polls /health/ready until 200; fails with the process's stderr as soon as it exits. */
async function waitReady(proc: ServeProcess): Promise<void> {
  let exitCode: number | null | undefined;
  void proc.exited.then((code) => (exitCode = code));
  for (let i = 0; i < 1200; i++) {
    if (exitCode !== undefined) throw new Error(`tessera serve exited with ${exitCode}: ${proc.stderr()}`);
    const ready = await fetch(`${proc.adminUrl}/health/ready`).catch(() => undefined);
    if (ready?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tessera serve did not become ready: ${proc.stderr()}`);
}

async function stop(proc: ServeProcess): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
  await proc.exited;
}

/** A session token for a fresh identity, by API login on `publicUrl`. */
async function sessionToken(publicUrl: string, adminUrl: string): Promise<string> {
  const email = `boot-${Date.now()}@example.com`;
  const password = 'a long enough passphrase';
  const created = await request(adminUrl).post('/admin/identities').send({ schema_id: 'default', traits: { email }, credentials: { password: { config: { password } } } });
  expect(created.status).toBe(201);
  const flow = await request(publicUrl).get('/self-service/login/api');
  const login = await request(publicUrl).post(`/self-service/login?flow=${flow.body.id}`).send({ method: 'password', identifier: email, password });
  expect(login.status).toBe(200);
  return login.body.session_token as string;
}

describe.each(databaseFactories())('boot: two processes at once on one empty database (%s)', (factory) => {
  let db: TestDatabase;
  const procs: ServeProcess[] = [];
  beforeAll(async () => {
    db = await factory.create();
  });
  afterAll(async () => {
    await Promise.all(procs.map(stop));
    await db.drop();
  });

  it('both come up and share the generated secrets', async () => {
    procs.push(...(await Promise.all([spawnServe({ DSN: db.dsn }), spawnServe({ DSN: db.dsn })])));
    await Promise.all(procs.map(waitReady));
    const [a, b] = procs;
    // A logout token is an HMAC under the cookie secret: one minted by A verifies on B only if both
    // processes ended with the same generated secret.
    const token = await sessionToken(a.publicUrl, a.adminUrl);
    const url = await request(a.publicUrl).get('/self-service/logout/browser').set('X-Session-Token', token).set('Accept', 'application/json');
    expect(url.status).toBe(200);
    const logout = await request(b.publicUrl)
      .get(`/self-service/logout?token=${encodeURIComponent(url.body.logout_token)}`)
      .set('X-Session-Token', token)
      .set('Accept', 'application/json');
    expect(logout.status).toBe(204);
  });
});

function cliIo(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const servers: RunningServer[] = [];
  return {
    out,
    err,
    servers,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: { LOG_LEVEL: 'silent', SERVE_PUBLIC_HOST: '127.0.0.1', SERVE_ADMIN_HOST: '127.0.0.1', SERVE_PUBLIC_PORT: '0', SERVE_ADMIN_PORT: '0', ...env }, onServe: (s: RunningServer) => servers.push(s) },
  };
}

describe('boot: waiting for the database', () => {
  it('retries until database.connect_timeout, then exits 1 naming the key', async () => {
    const port = await freePort();
    const t = cliIo({ DSN: `mysql://tessera:tessera@127.0.0.1:${port}/nothing`, DATABASE_CONNECT_TIMEOUT: '2s' });
    const started = Date.now();
    expect(await runCli(['serve'], t.io)).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(t.servers).toHaveLength(0);
    expect(t.err.join('\n')).toMatch(/cannot connect to the database within 2s: .*ECONNREFUSED.*\(database\.connect_timeout\)/);
  });

  const mysql = process.env.TEST_MYSQL_DSN;
  (mysql ? it : it.skip)('comes up once a database that answers late is reachable (mysql)', async () => {
    const target = new URL(mysql as string);
    const db = await mysqlFactory(mysql as string).create();
    const port = await freePort();
    const late = new URL(db.dsn);
    late.host = `127.0.0.1:${port}`;
    const t = cliIo({ DSN: late.toString(), DATABASE_CONNECT_TIMEOUT: '60s' });
    // Nothing listens on `port` for 3s; then a TCP proxy to the real server does.
    let proxy: Server | undefined;
    const sockets: Socket[] = [];
    const opening = new Promise<void>((done) =>
      setTimeout(() => {
        proxy = createServer((client) => {
          const upstream = createConnection(Number(target.port || 3306), target.hostname);
          sockets.push(client, upstream);
          client.pipe(upstream).pipe(client);
          client.on('error', () => upstream.destroy());
          upstream.on('error', () => client.destroy());
        }).listen(port, '127.0.0.1', () => done());
      }, 3_000),
    );
    try {
      const started = Date.now();
      expect(await runCli(['serve'], t.io)).toBe(0);
      await opening;
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
      expect((await request(t.servers[0].adminUrl).get('/health/ready')).status).toBe(200);
    } finally {
      await t.servers[0]?.close();
      sockets.forEach((s) => s.destroy());
      proxy?.close();
      await db.drop();
    }
  });
});

describe.each(databaseFactories())('boot: auto_migrate false with migrations pending (%s)', (factory) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await factory.create();
  });
  afterAll(() => db.drop());

  it('serves 503 on readiness naming the pending migrations, and 200 once someone ran migrate up', async () => {
    const t = cliIo({ DSN: db.dsn, DATABASE_AUTO_MIGRATE: 'false' });
    expect(await runCli(['serve'], t.io)).toBe(0);
    const [server] = t.servers;
    try {
      for (const url of [server.publicUrl, server.adminUrl]) {
        const ready = await request(url).get('/health/ready');
        expect(ready.status).toBe(503);
        expect(ready.body.errors.database).toBe(`pending migrations: ${migrations.map((m) => m.name).join(', ')} (run tessera migrate up)`);
        expect((await request(url).get('/health/alive')).status).toBe(200);
      }
      const other = await request(server.publicUrl).get('/self-service/login/api');
      expect(other.status).toBe(503);
      expect(other.body.error).toMatchObject({ code: 503, status: 'Service Unavailable' });

      const up = cliIo({ DSN: db.dsn });
      expect(await runCli(['migrate', 'up'], up.io)).toBe(0);
      expect(up.out[0]).toMatch(/^applied: /);

      expect((await request(server.adminUrl).get('/health/ready')).status).toBe(200);
      expect((await request(server.publicUrl).get('/health/ready')).status).toBe(200);
      const flow = await request(server.publicUrl).get('/self-service/login/api');
      expect(flow.status).toBe(200);
      expect(flow.body.id).toEqual(expect.any(String));
    } finally {
      await server.close();
    }
  });
});
