import bcryptjs from 'bcryptjs';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { oryClient } from '../../helpers/ory-client';

jest.setTimeout(180_000);

const EMAILS = ['alice@example.com', 'alicia@example.com', 'al_ice@example.com', 'al%x@example.com', 'alxice@example.com', 'a!b@example.com', 'ALBERT@Example.com', 'bob@example.com'];

/**
 * `GET /admin/identities?preview_credentials_identifier_similar=` (Kratos v1 prefix search) and the exact
 * `credentials_identifier=` filter: case-insensitive, LIKE wildcards in the input match only themselves,
 * identities in the order of their first matching identifier, each once.
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('identifier search on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  const emailsOf = (body: { traits: { email: string } }[]): string[] => body.map((i) => i.traits.email.toLowerCase());
  const similar = async (prefix: string, extra: Record<string, string> = {}): Promise<string[]> => {
    const res = await request(server.adminUrl).get('/admin/identities').query({ preview_credentials_identifier_similar: prefix, ...extra });
    expect(res.status).toBe(200);
    return emailsOf(res.body);
  };

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({ DSN: db.dsn });
    const password = { config: { hashed_password: bcryptjs.hashSync('search secret', 4) } };
    const identities: unknown[] = EMAILS.map((email) => ({ traits: { email }, credentials: { password } }));
    // One identity whose two identifiers (email and a social sign-in) both start with "alpha".
    identities.push({ traits: { email: 'alpha@example.com' }, credentials: { password, oidc: { config: { providers: [{ provider: 'alpha', subject: 'x1' }] } } } });
    const res = await request(server.adminUrl).patch('/admin/identities').send({ identities });
    expect(res.body.identities.every((r: { action: string }) => r.action === 'create')).toBe(true);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  it('matches identifiers by prefix, case-insensitively (identities paged like the list, by creation)', async () => {
    expect((await similar('ali')).sort()).toEqual(['alice@example.com', 'alicia@example.com']);
    expect((await similar('AL')).sort()).toEqual(['al%x@example.com', 'al_ice@example.com', 'albert@example.com', 'alice@example.com', 'alicia@example.com', 'alpha@example.com', 'alxice@example.com']);
    expect(await similar('bob@example.com')).toEqual(['bob@example.com']);
    expect(await similar('carol')).toEqual([]);
  });

  it('treats %, _ and ! in the input as themselves, not as wildcards or escapes', async () => {
    expect(await similar('al_')).toEqual(['al_ice@example.com']);
    expect(await similar('al%')).toEqual(['al%x@example.com']);
    expect(await similar('%')).toEqual([]);
    expect(await similar('_')).toEqual([]);
    expect(await similar('a!')).toEqual(['a!b@example.com']);
    expect(await similar('a!!')).toEqual([]);
  });

  it('lists an identity with several matching identifiers once, and pages without gaps or repeats', async () => {
    expect(await similar('alpha')).toEqual(['alpha@example.com']);
    const pages = [await similar('al', { per_page: '3', page: '0' }), await similar('al', { per_page: '3', page: '1' }), await similar('al', { per_page: '3', page: '2' })];
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(await similar('al'));
  });

  it('is reachable through @ory/client as a query parameter and refuses both filters at once', async () => {
    const admin = oryClient(server.adminUrl);
    const res = await admin.adminListIdentities(250, 0, { params: { preview_credentials_identifier_similar: 'alic' } });
    expect(res.data.map((i) => (i.traits as { email: string }).email).sort()).toEqual(['alice@example.com', 'alicia@example.com']);
    const both = await request(server.adminUrl).get('/admin/identities').query({ credentials_identifier: 'alice@example.com', preview_credentials_identifier_similar: 'al' });
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ code: 400, status: 'Bad Request' });
  });

  it('keeps credentials_identifier exact: wildcards and prefixes match nothing', async () => {
    const exact = async (value: string): Promise<string[]> => emailsOf((await request(server.adminUrl).get('/admin/identities').query({ credentials_identifier: value })).body);
    expect(await exact('AL_ICE@example.com')).toEqual(['al_ice@example.com']);
    expect(await exact('al%')).toEqual([]);
    expect(await exact('alic')).toEqual([]);
    expect(await exact('alpha:x1')).toEqual(['alpha@example.com']);
  });
});
