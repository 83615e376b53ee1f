import { resolve } from 'node:path';
import { loadConfig } from '../../libs/config';
import { TypeormKeyStore, TypeormOidcPayloadStore } from '../../libs/persistence';
import { type Registry, RealmRegistry, createRegistry } from '../../libs/registry';
import { newId } from '../../libs/x';
import { testCtx } from '../../libs/x/testing';
import { type TestDatabase, databaseFactories } from '../helpers/databases';

jest.setTimeout(120_000);

const PAST = new Date('2020-01-01T00:00:00.000Z');

/**
 * A realm's OAuth2 engine does its background work in its own realm: it generates and reads the signing keys of
 * that realm, and its sweeper deletes expired rows of that realm only (before, both ran in `default`).
 */
describe.each(databaseFactories())('realm OAuth2 engine data on $label', (factory) => {
  let db: TestDatabase;
  let registry: Registry;
  let acme: RealmRegistry;
  beforeAll(async () => {
    db = await factory.create();
    registry = await createRegistry(loadConfig({ files: [resolve(__dirname, '../../config/test.yaml')], env: { DSN: db.dsn, LOG_LEVEL: 'silent' } })).init();
    acme = new RealmRegistry(registry.platform, 'acme', registry.defaultRealm.config);
  });
  afterAll(async () => {
    acme?.dispose();
    await registry?.close();
    await db?.drop();
  });

  it('builds its engine with the keys of its own realm', async () => {
    await acme.oauth2Provider.provider();
    await registry.oauth2Provider.provider();
    const keys = new TypeormKeyStore(registry.persistence);
    const kidsOf = async (realm: string): Promise<string[]> => (await keys.listKeys(testCtx({ realm }), 'hydra.openid.id-token')).map((k) => k.kid).sort();
    const [acmeKids, defaultKids] = [await kidsOf('acme'), await kidsOf('default')];
    expect(acmeKids.length).toBeGreaterThan(0);
    expect(defaultKids.length).toBeGreaterThan(0);
    expect(acmeKids.filter((kid) => defaultKids.includes(kid))).toEqual([]);
  });

  it('sweeps expired rows of its own realm only', async () => {
    const payloads = new TypeormOidcPayloadStore(registry.persistence);
    const id = newId();
    for (const realm of ['acme', 'default']) await payloads.upsert(testCtx({ realm }), { model: 'Session', id, payload: {}, expiresAt: PAST });
    await acme.oauth2Provider.sweep();
    const rows = await registry.persistence.read('SELECT nid FROM oauth2_oidc_payloads WHERE model = ? AND id = ?', ['Session', id]);
    expect(rows).toEqual([{ nid: 'default' }]);
  });
});
