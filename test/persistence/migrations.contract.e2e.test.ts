import { Persistence, TypeormClientStore, TypeormIdentityPool, TypeormOidcPayloadStore } from '../../libs/persistence';
import { REALM_TABLES } from '../../libs/persistence/migrations/1700000000015-realm-column';
import { rawTimeParam } from '../../libs/persistence/raw-values';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { testCtx } from '../../libs/x/testing';

const ctx = testCtx();
const REALM_MIGRATION = 'RealmColumn1700000000015';

describe.each(databaseFactories())('migrations on $label', (factory) => {
  let db: TestDatabase;
  let persistence: Persistence;
  beforeAll(async () => {
    db = await factory.create();
    persistence = new Persistence({ dsn: db.dsn });
    await persistence.connect();
  });
  afterAll(async () => {
    await persistence.close();
    await db.drop();
  });

  it('applies every migration, reverts them all, and applies them again', async () => {
    const total = persistence.dataSource.migrations.length;
    expect((await persistence.migrateUp()).length).toBe(total);
    expect((await persistence.migrationStatus()).every((m) => m.applied)).toBe(true);
    for (let i = 0; i < total; i++) await persistence.migrateDown();
    expect((await persistence.migrationStatus()).every((m) => !m.applied)).toBe(true);
    expect((await persistence.migrateUp()).length).toBe(total);
    expect(await persistence.migrateUp()).toEqual([]);
  });

  it('rolls a failed transaction back entirely', async () => {
    const repo = persistence.dataSource.getRepository('Secret');
    await expect(
      persistence.withTransaction(ctx, async (ctx) => {
        await persistence.manager(ctx.tx).getRepository('Secret').insert({ kind: 'rollback-test', value: ['x'], created_at: new Date() });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await repo.findOneBy({ kind: 'rollback-test' })).toBeNull();
  });

  /** Reverts migrations, newest first, until the realm migration is no longer applied. */
  async function revertRealmColumn(): Promise<void> {
    while ((await persistence.migrationStatus()).find((m) => m.name === REALM_MIGRATION)?.applied) await persistence.migrateDown();
  }

  async function hasRealmColumn(table: string): Promise<boolean> {
    const qr = persistence.dataSource.createQueryRunner();
    try {
      return (await qr.getTable(table))?.findColumnByName('nid') !== undefined;
    } finally {
      await qr.release();
    }
  }

  it('realm column: existing rows land in the default realm; reverting keeps them and drops other realms’ rows', async () => {
    await persistence.migrateUp();
    await revertRealmColumn();
    for (const table of REALM_TABLES) expect(await hasRealmColumn(table)).toBe(false);
    const at = rawTimeParam(persistence.dialect, new Date('2026-01-01T00:00:00.000Z'));
    const metadata = { client_name: 'legacy', owner: 'o', redirect_uris: ['https://rp.example/cb'], lifespans: {} };
    await persistence.execute(
      'INSERT INTO oauth2_clients (id, client_name, owner, secret_hash, registration_token_hash, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ['legacy-client', 'legacy', 'o', null, null, JSON.stringify(metadata), at, at],
    );
    await persistence.execute('INSERT INTO oauth2_oidc_payloads (model, id, payload) VALUES (?, ?, ?)', ['AccessToken', 'legacy-token', JSON.stringify({ jti: 'legacy-token' })]);
    await persistence.execute(
      'INSERT INTO identities (id, schema_id, state, traits, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ['00000000-0000-4000-8000-000000000001', 'default', 'active', JSON.stringify({ email: 'legacy@example.com' }), at, at],
    );

    expect(await persistence.migrateUp()).toContain(REALM_MIGRATION);
    for (const table of REALM_TABLES) expect(await hasRealmColumn(table)).toBe(true);
    expect(await hasRealmColumn('secrets')).toBe(false);
    for (const table of ['oauth2_clients', 'oauth2_oidc_payloads', 'identities']) {
      expect(await persistence.read(`SELECT nid FROM ${table}`, [])).toEqual([{ nid: 'default' }]);
    }
    const acme = testCtx({ realm: 'acme' });
    const clients = new TypeormClientStore(persistence);
    const payloads = new TypeormOidcPayloadStore(persistence);
    const identities = new TypeormIdentityPool(persistence);
    expect((await clients.get(ctx, 'legacy-client'))?.metadata.client_name).toBe('legacy');
    expect(await clients.get(acme, 'legacy-client')).toBeUndefined();
    expect((await payloads.find(ctx, 'AccessToken', 'legacy-token', new Date()))?.payload).toEqual({ jti: 'legacy-token' });
    expect((await identities.get(ctx, '00000000-0000-4000-8000-000000000001'))?.traits).toEqual({ email: 'legacy@example.com' });

    const legacy = (await clients.get(ctx, 'legacy-client'))!;
    await clients.create(acme, { ...legacy, metadata: { ...legacy.metadata, client_name: 'acme' } });
    await revertRealmColumn();
    expect(await hasRealmColumn('oauth2_clients')).toBe(false);
    expect(await persistence.read('SELECT id, client_name FROM oauth2_clients', [])).toEqual([{ id: 'legacy-client', client_name: 'legacy' }]);
    expect(await persistence.read('SELECT model, id FROM oauth2_oidc_payloads', [])).toEqual([{ model: 'AccessToken', id: 'legacy-token' }]);
    expect(await persistence.migrateUp()).toContain(REALM_MIGRATION);
  });
});
