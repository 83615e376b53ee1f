import type { V0alpha2Api } from '@ory/client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser, urlParams } from '../../helpers/browser';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

jest.setTimeout(90_000);

const RP = 'https://rp.example';
const BASE = {
  redirect_uris: [`${RP}/cb`],
  post_logout_redirect_uris: [`${RP}/bye`],
  grant_types: ['implicit'],
  response_types: ['id_token'],
  scope: 'openid',
};

type Json = Record<string, unknown>;

/**
 * Hydra's `skip_logout_consent` (client/client.go, a nullable column since migration 20240129174410):
 * only the admin API sets it, the client JSON shows it (`null` when never set), and Hydra forwards it
 * to the logout app in the logout request's `client`. Hydra itself still sends every RP-initiated logout
 * to `urls.logout` (consent/strategy_default.go `issueLogoutVerifier` never reads the field); the logout
 * app is the one that accepts without asking, as it does for `skip_consent`.
 */
describe.each(databaseFactories())('skip_logout_consent ($label)', (factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let admin: V0alpha2Api;

  beforeAll(async () => {
    db = await factory.create();
    server = await bootOAuth2({ DSN: db.dsn, OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true' });
    admin = oryClient(server.adminUrl);
  }, 90_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const create = async (extra: Json = {}) => {
    const res = await fetch(`${server.adminUrl}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...BASE, ...extra }) });
    expect(res.status).toBe(201);
    return (await res.json()) as Json & { client_id: string };
  };
  const read = async (id: string) => (await admin.adminGetOAuth2Client(id)).data as unknown as Json;
  const column = async (id: string) => {
    const [row] = await server.registry.persistence.read('SELECT skip_logout_consent FROM oauth2_clients WHERE id = ?', [id]);
    return row.skip_logout_consent === null ? null : Boolean(Number(row.skip_logout_consent));
  };

  describe('admin clients API', () => {
    it('stores true in its column and returns it on create, GET and list', async () => {
      const created = await create({ skip_logout_consent: true });
      expect(created.skip_logout_consent).toBe(true);
      expect(await column(created.client_id)).toBe(true);
      expect(await read(created.client_id)).toMatchObject({ skip_logout_consent: true });
      const listed = (await admin.adminListOAuth2Clients(500)).data as unknown as Json[];
      expect(listed.find((c) => c.client_id === created.client_id)).toMatchObject({ skip_logout_consent: true });
    });

    it('returns null when never set, as Hydra (and false when set false)', async () => {
      const unset = await create();
      expect(unset).toHaveProperty('skip_logout_consent', null);
      expect(await read(unset.client_id)).toHaveProperty('skip_logout_consent', null);
      expect(await column(unset.client_id)).toBeNull();
      const off = await create({ skip_logout_consent: false });
      expect(await read(off.client_id)).toHaveProperty('skip_logout_consent', false);
      expect(await column(off.client_id)).toBe(false);
    });

    it('PUT and PATCH set, change and clear it', async () => {
      const { client_id: id } = await create();
      const put = await admin.adminUpdateOAuth2Client(id, { ...BASE, skip_logout_consent: true } as never);
      expect(put.data).toMatchObject({ skip_logout_consent: true });
      expect(await column(id)).toBe(true);
      await admin.adminPatchOAuth2Client(id, [{ op: 'replace', path: '/skip_logout_consent', value: false }]);
      expect(await read(id)).toHaveProperty('skip_logout_consent', false);
      await admin.adminPatchOAuth2Client(id, [{ op: 'replace', path: '/skip_logout_consent', value: true }]);
      expect(await read(id)).toHaveProperty('skip_logout_consent', true);
      // A PUT without the field replaces the client: the flag is gone, as in Hydra.
      await admin.adminUpdateOAuth2Client(id, { ...BASE } as never);
      expect(await read(id)).toHaveProperty('skip_logout_consent', null);
      expect(await column(id)).toBeNull();
    });

    it('a registered client cannot set it, and its own update keeps the value the admin set', async () => {
      const register = (body: Json, init: { method?: string; id?: string; token?: string } = {}) =>
        fetch(`${server.publicUrl}/oauth2/register${init.id ? `/${init.id}` : ''}`, {
          method: init.method ?? 'POST',
          headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
          body: JSON.stringify(body),
        });
      const refused = await register({ redirect_uris: [`${RP}/cb`], skip_logout_consent: true });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: 'invalid_client_metadata', error_description: expect.stringContaining('"skip_logout_consent" cannot be set') });

      const registered = (await (await register({ redirect_uris: [`${RP}/cb`] })).json()) as { client_id: string; registration_access_token: string };
      expect(await read(registered.client_id)).toHaveProperty('skip_logout_consent', null);
      await admin.adminPatchOAuth2Client(registered.client_id, [{ op: 'replace', path: '/skip_logout_consent', value: true }]);
      const self = await register({ redirect_uris: [`${RP}/cb`], client_name: 'self-update' }, { method: 'PUT', id: registered.client_id, token: registered.registration_access_token });
      expect(self.status).toBe(200);
      expect(await self.json()).toMatchObject({ client_name: 'self-update', skip_logout_consent: true });
      expect(await column(registered.client_id)).toBe(true);
    });
  });

  describe('RP-initiated logout', () => {
    /** Logs `subject` in (remembered) and returns the browser and the client's ID token. */
    async function signIn(clientId: string, subject: string) {
      const browser = new Browser();
      const q = new URLSearchParams({ client_id: clientId, response_type: 'id_token', redirect_uri: `${RP}/cb`, scope: 'openid', state: 'state-abcdefgh', nonce: 'nonce-abcdefgh' });
      const landing = await browser.navigate(`${server.publicUrl}/oauth2/auth?${q}`, isExternal(server));
      const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject, remember: true, remember_for: 0 });
      const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(server))).url;
      const consent = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), { grant_scope: ['openid'] });
      const done = await browser.navigate(consent.data.redirect_to, isExternal(server));
      const idToken = urlParams(done.url).id_token;
      expect(idToken).toBeTruthy();
      return { browser, idToken };
    }

    /** Whether the browser's next authorization request finds a remembered login (`skip`). */
    async function loginSkipped(browser: Browser, clientId: string): Promise<boolean> {
      const q = new URLSearchParams({ client_id: clientId, response_type: 'id_token', redirect_uri: `${RP}/cb`, scope: 'openid', state: 'state-abcdefgh', nonce: 'nonce-abcdefgh' });
      const landing = await browser.navigate(`${server.publicUrl}/oauth2/auth?${q}`, isExternal(server));
      return (await admin.adminGetOAuth2LoginRequest(challengeIn(landing.url, 'login'))).data.skip;
    }

    /** The browser at the logout app after `/oauth2/sessions/logout?id_token_hint=…`, and the logout request it reads. */
    async function startLogout(browser: Browser, idToken: string) {
      const q = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${RP}/bye`, state: 'st-1' });
      const landing = await browser.navigate(`${server.publicUrl}/oauth2/sessions/logout?${q}`, isExternal(server));
      const challenge = challengeIn(landing.url, 'logout');
      const request = (await admin.adminGetOAuth2LogoutRequest(challenge)).data as unknown as Json & { client: Json | null };
      return { challenge, request };
    }

    it('the logout request carries client.skip_logout_consent: true; accepted on it, the browser reaches post_logout_redirect_uri and the session ends', async () => {
      const { client_id: clientId } = await create({ skip_logout_consent: true });
      const { browser, idToken } = await signIn(clientId, 'skip-logout-user');
      expect(await loginSkipped(browser, clientId)).toBe(true);

      const { challenge, request } = await startLogout(browser, idToken);
      expect(request).toMatchObject({ rp_initiated: true, subject: 'skip-logout-user' });
      expect(request.client).toMatchObject({ client_id: clientId, skip_logout_consent: true });
      expect(request.client).not.toHaveProperty('client_secret');

      // What the logout app does for such a client: accept at once, without asking the user.
      const accepted = await admin.adminAcceptOAuth2LogoutRequest(challenge);
      const done = await browser.navigate(accepted.data.redirect_to, isExternal(server));
      expect(done.url).toBe(`${RP}/bye?state=st-1`);
      expect(await loginSkipped(browser, clientId)).toBe(false);
    });

    it('a client that never set it shows null there, and one set to false shows false', async () => {
      for (const [extra, expected] of [[{}, null], [{ skip_logout_consent: false }, false]] as const) {
        const { client_id: clientId } = await create(extra);
        const { browser, idToken } = await signIn(clientId, `asked-user-${String(expected)}`);
        const { request } = await startLogout(browser, idToken);
        expect(request.client).toMatchObject({ client_id: clientId });
        expect(request.client).toHaveProperty('skip_logout_consent', expected);
        // The session is still there until the logout app answers.
        expect(await loginSkipped(browser, clientId)).toBe(true);
      }
    });
  });
});
