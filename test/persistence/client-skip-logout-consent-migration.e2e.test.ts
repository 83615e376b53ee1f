import { Persistence, TypeormClientStore } from '../../libs/persistence';
import { rawTimeParam } from '../../libs/persistence/raw-values';
import { databaseFactories, type TestDatabase } from '../helpers/databases';

const MIGRATION = 'AddOAuth2ClientSkipLogoutConsent1700000000014';

/** Clients stored before the `skip_logout_consent` column existed survive its migration, with the flag unset. */
describe.each(databaseFactories())('migration AddOAuth2ClientSkipLogoutConsent on $label', (factory) => {
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

  /** Reverts migrations, newest first, until this one is no longer applied. */
  async function revertThrough(): Promise<void> {
    while ((await persistence.migrationStatus()).find((m) => m.name === MIGRATION)?.applied) await persistence.migrateDown();
  }

  it('adds a nullable column, keeps existing clients (NULL: never set) and reverts cleanly', async () => {
    await persistence.migrateUp();
    await revertThrough();
    const metadata = { client_name: 'old', owner: 'o', redirect_uris: ['https://rp.example/cb'], skip_consent: true, metadata: { tier: 'gold' }, lifespans: {} };
    const at = rawTimeParam(persistence.dialect, new Date('2026-01-01T00:00:00.000Z'));
    await persistence.execute(
      'INSERT INTO oauth2_clients (id, client_name, owner, secret_hash, registration_token_hash, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ['old-client', 'old', 'o', 'hmac-sha256$abc', null, JSON.stringify(metadata), at, at],
    );

    expect(await persistence.migrateUp()).toContain(MIGRATION);
    const [row] = await persistence.read('SELECT skip_logout_consent FROM oauth2_clients WHERE id = ?', ['old-client']);
    expect(row.skip_logout_consent).toBeNull();
    const store = new TypeormClientStore(persistence);
    const client = await store.get('old-client');
    expect(client?.metadata).toEqual(metadata);
    expect(client?.secretHash).toBe('hmac-sha256$abc');

    await store.update({ ...client!, metadata: { ...client!.metadata, skip_logout_consent: true } });
    expect((await store.get('old-client'))?.metadata.skip_logout_consent).toBe(true);
    await revertThrough();
    const [reverted] = await persistence.read('SELECT id, metadata FROM oauth2_clients WHERE id = ?', ['old-client']);
    expect(reverted.id).toBe('old-client');
  });
});
