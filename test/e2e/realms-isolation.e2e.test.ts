import type { Identity, Message, UiNode, UiNodeInputAttributes, V0alpha2Api } from '@ory/client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import request from 'supertest';
import type { RunningServer } from '../../apps/cli/src/server';
import { bootApps } from '../helpers/boot-apps';
import { Browser } from '../helpers/browser';
import { databaseFactories, type TestDatabase } from '../helpers/databases';
import { eventually } from '../helpers/eventually';
import { UI, challengeIn, isExternal } from '../helpers/oauth2';
import { oryClient, oryFailure } from '../helpers/ory-client';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp-capture';

jest.setTimeout(180_000);

/** Short, so a stored config change reaches the other process within the test; README's default is 5 s. */
const REFRESH = '200ms';

/**
 * What realms `a` and `b` start with: verification and recovery by code (their mails go through the courier),
 * and OAuth2 login and consent apps that are never loaded (the test accepts the challenges on the admin API).
 */
const REALM_CONFIG = {
  selfservice: { flows: { verification: { enabled: true }, recovery: { enabled: true } } },
  urls: { login: UI.login, consent: UI.consent },
};

const totpNodes = (nodes: UiNode[]): string[] => nodes.filter((n) => n.group === 'totp').map((n) => (n.attributes as UiNodeInputAttributes).name ?? '');

/**
 * Two stored realms `a` and `b` besides the default, on one database, driven over HTTP like clients: the
 * Ory SDK with basePath `…/realms/{realm}`, supertest for the admin API, jose for the JWKS. A second
 * process (its own registry, pool and realm cache on the same database) checks that a config change
 * reaches it within `realms.refresh_interval`.
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('two realms on one %s database', (_label, factory) => {
  let db: TestDatabase;
  let smtp: SmtpCapture;
  let server: RunningServer;
  let second: RunningServer;
  let n = 0;
  const unique = (name: string): string => `${name}-${++n}-${Date.now().toString(36)}@example.com`;

  beforeAll(async () => {
    db = await factory.create();
    smtp = await startSmtpCapture();
    const env = { DSN: db.dsn, REALMS_REFRESH_INTERVAL: REFRESH, COURIER_SMTP_CONNECTION_URI: smtp.url, COURIER_WORKER_POLL_INTERVAL: '50ms' };
    server = await bootApps(env);
    second = await bootApps(env);
    for (const name of ['a', 'b']) await request(server.adminUrl).post('/admin/realms').send({ name, config: REALM_CONFIG }).expect(201);
  });
  afterAll(async () => {
    await second?.close();
    await server?.close();
    await smtp?.close();
    await db?.drop();
  });

  const pub = (realm: string, on: RunningServer = server): V0alpha2Api => oryClient(`${on.publicUrl}/realms/${realm}`);
  const adm = (realm: string): V0alpha2Api => oryClient(`${server.adminUrl}/realms/${realm}`);
  const admin = () => request(server.adminUrl);

  /** Registers `email` in `realm` through the API-mode flow; returns the identity and its session token. */
  async function register(realm: string, email: string, password = 'a long realm passphrase'): Promise<{ identity: Identity; token: string }> {
    const ory = pub(realm);
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const { data } = await ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password, traits: { email } });
    return { identity: data.identity, token: data.session_token! };
  }

  async function clientCredentials(realm: string, client: { client_id?: string; client_secret?: string }) {
    return request(server.publicUrl)
      .post(`/realms/${realm}/oauth2/token`)
      .auth(client.client_id!, client.client_secret!)
      .type('form')
      .send({ grant_type: 'client_credentials' });
  }

  it('registers the same email in a and b independently, each identity only in its own realm', async () => {
    const email = unique('same');
    const inA = await register('a', email);
    const inB = await register('b', email);
    expect(inA.identity.id).not.toBe(inB.identity.id);
    expect(inA.identity.traits).toEqual({ email });
    expect(inB.identity.traits).toEqual({ email });
    expect((await admin().get(`/realms/a/admin/identities/${inB.identity.id}`)).status).toBe(404);
    expect((await admin().get(`/realms/b/admin/identities/${inA.identity.id}`)).status).toBe(404);
    expect((await admin().get(`/admin/identities?credentials_identifier=${encodeURIComponent(email)}`)).body).toEqual([]);
  });

  it("a's session token is 401 at b's whoami and at the default realm's", async () => {
    const { token, identity } = await register('a', unique('token'));
    const whoami = (prefix: string) => request(server.publicUrl).get(`${prefix}/sessions/whoami`).set('X-Session-Token', token);
    const ok = await whoami('/realms/a');
    expect(ok.status).toBe(200);
    expect(ok.body.identity.id).toBe(identity.id);
    for (const prefix of ['/realms/b', '', '/realms/default']) {
      const res = await whoami(prefix);
      expect(res.status).toBe(401);
      expect(res.body.error.id).toBe('session_inactive');
    }
    expect((await oryFailure(pub('b').toSession(token))).status).toBe(401);
  });

  it("an OAuth2 client of a is unknown at b: admin GET 404, client_credentials at b's token endpoint 401 invalid_client", async () => {
    const created = await admin().post('/realms/a/admin/clients').send({ client_name: 'only-in-a', grant_types: ['client_credentials'] });
    expect(created.status).toBe(201);
    const client = created.body as { client_id: string; client_secret: string };
    expect((await admin().get(`/realms/a/admin/clients/${client.client_id}`)).status).toBe(200);
    const unknown = await admin().get(`/realms/b/admin/clients/${client.client_id}`);
    expect(unknown.status).toBe(404);
    expect((await admin().get(`/admin/clients/${client.client_id}`)).status).toBe(404);

    expect((await clientCredentials('a', client)).status).toBe(200);
    const atB = await clientCredentials('b', client);
    expect(atB.status).toBe(401);
    expect(atB.body.error).toBe('invalid_client');
  });

  it("a's JWT access token verifies against a's JWKS and not against b's (and b's not against a's)", async () => {
    const tokens: Record<string, string> = {};
    for (const realm of ['a', 'b']) {
      const { body: client } = await admin().post(`/realms/${realm}/admin/clients`).send({ grant_types: ['client_credentials'], access_token_strategy: 'jwt' }).expect(201);
      const res = await clientCredentials(realm, client);
      expect(res.status).toBe(200);
      tokens[realm] = res.body.access_token;
    }
    const jwks = (realm: string) => createRemoteJWKSet(new URL(`${server.publicUrl}/realms/${realm}/.well-known/jwks.json`));
    const base = server.registry.config.serve.public.base_url;
    const { payload } = await jwtVerify(tokens.a, jwks('a'), { issuer: `${base}realms/a` });
    expect(payload.iss).toBe(`${base}realms/a`);
    await expect(jwtVerify(tokens.a, jwks('b'))).rejects.toThrow();
    await expect(jwtVerify(tokens.a, jwks('default'))).rejects.toThrow();
    await jwtVerify(tokens.b, jwks('b'), { issuer: `${base}realms/b` });
    await expect(jwtVerify(tokens.b, jwks('a'))).rejects.toThrow();
  });

  it("a's ID token (openid-client: discovery, authorization code + PKCE at /realms/a) verifies against a's JWKS and not b's", async () => {
    const base = server.registry.config.serve.public.base_url;
    const redirectUri = 'http://rp.test/cb';
    const { body: client } = await admin()
      .post('/realms/a/admin/clients')
      .send({ redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid' })
      .expect(201);
    const config = await oidc.discovery(new URL(`${base}realms/a`), client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret), {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
    });
    const browser = new Browser();
    const follow = async (to: string) => (await browser.navigate(to, isExternal(server))).url;
    const loginUrl = await follow(url.href);
    /** Accepts the challenge in `uiUrl` on a's admin API; returns where the browser goes next. */
    const accept = async (kind: 'login' | 'consent', uiUrl: string, body: object): Promise<string> => {
      const res = await admin().put(`/realms/a/admin/oauth2/auth/requests/${kind}/accept?${kind}_challenge=${encodeURIComponent(challengeIn(uiUrl, kind))}`).send(body);
      expect(res.status).toBe(200);
      return res.body.redirect_to as string;
    };
    const consentUrl = await follow(await accept('login', loginUrl, { subject: 'subject-of-a' }));
    const callback = await follow(await accept('consent', consentUrl, { grant_scope: ['openid'] }));
    expect(callback.startsWith(`${redirectUri}?code=`)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: verifier, expectedNonce: nonce });
    expect(tokens.claims()).toMatchObject({ iss: `${base}realms/a`, sub: 'subject-of-a' });
    expect([tokens.claims()!.aud].flat()).toEqual([client.client_id]);

    const jwks = (realm: string) => createRemoteJWKSet(new URL(`${server.publicUrl}/realms/${realm}/.well-known/jwks.json`));
    await jwtVerify(tokens.id_token!, jwks('a'), { issuer: `${base}realms/a`, audience: client.client_id });
    await expect(jwtVerify(tokens.id_token!, jwks('b'))).rejects.toThrow();
    await expect(jwtVerify(tokens.id_token!, jwks('default'))).rejects.toThrow();
  });

  it("admin lists of a (identities, sessions, clients, courier messages) never show b's rows, and b's never a's", async () => {
    const rows: Record<string, { identity: string; session: string; client: string; message: string }> = {};
    for (const realm of ['a', 'b']) {
      const email = unique(`list-${realm}`);
      const { identity } = await register(realm, email);
      const { data: session } = await pub(realm).toSession((await register(realm, unique(`session-${realm}`))).token);
      const { body: client } = await admin().post(`/realms/${realm}/admin/clients`).send({ client_name: `list-${realm}` }).expect(201);
      const { data: flow } = await pub(realm).initializeSelfServiceVerificationFlowWithoutBrowser();
      await request(server.publicUrl).post(`/realms/${realm}/self-service/verification?flow=${flow.id}`).send({ method: 'code', email }).expect(200);
      const { data: messages } = await adm(realm).adminListCourierMessages(250, undefined, undefined, email);
      rows[realm] = { identity: identity.id, session: session.id, client: client.client_id, message: messages[0].id! };
    }
    for (const [realm, other] of [['a', 'b'], ['b', 'a']]) {
      const ids = async (path: string, key: string): Promise<string[]> => {
        const res = await admin().get(`/realms/${realm}/admin/${path}`);
        expect(res.status).toBe(200);
        return (res.body as Record<string, string>[]).map((row) => row[key]);
      };
      const identities = await ids('identities?per_page=1000', 'id');
      const sessions = await ids('sessions?page_size=1000', 'id');
      const clients = await ids('clients?page_size=500', 'client_id');
      const messages = await ids('courier/messages?per_page=1000', 'id');
      expect(identities).toContain(rows[realm].identity);
      expect(identities).not.toContain(rows[other].identity);
      expect(sessions).toContain(rows[realm].session);
      expect(sessions).not.toContain(rows[other].session);
      expect(clients).toContain(rows[realm].client);
      expect(clients).not.toContain(rows[other].client);
      expect(messages).toContain(rows[realm].message);
      expect(messages).not.toContain(rows[other].message);
      // Nothing of a stored realm shows in the default realm's lists.
      expect((await admin().get('/admin/identities?per_page=1000')).body.map((i: Identity) => i.id)).not.toContain(rows[realm].identity);
    }
  });

  it("courier messages are per realm: a's verification mail and b's recovery code mail are listed in their realm only", async () => {
    const inA = unique('verify-a');
    const { data: verification } = await pub('a').initializeSelfServiceVerificationFlowWithoutBrowser();
    await request(server.publicUrl).post(`/realms/a/self-service/verification?flow=${verification.id}`).send({ method: 'code', email: inA }).expect(200);

    const inB = unique('recover-b');
    await register('b', inB, 'the old b passphrase');
    const { data: recovery } = await pub('b').initializeSelfServiceRecoveryFlowWithoutBrowser();
    await pub('b').submitSelfServiceRecoveryFlow(recovery.id, { method: 'code', email: inB });

    // Registration mailed a verification code too: wait for the recovery mail.
    const mail = await eventually(async () => smtp.mails.find((m) => m.to.includes(inB) && /recover/i.test(m.subject)));
    const code = /\b(\d{8})\b/.exec(mail.text)?.[1];
    expect(code).toBeDefined();
    const recovered = await request(server.publicUrl).post(`/realms/b/self-service/recovery?flow=${recovery.id}`).send({ method: 'code', code });
    expect(recovered.status).toBe(200); // the code of b's mail recovers in b (an API flow hands over a settings flow)
    expect(recovered.body.continue_with).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'show_settings_ui' })]));
    await eventually(async () => smtp.last(inA));

    const listed = async (realm: string, recipient: string): Promise<Message[]> => (await adm(realm).adminListCourierMessages(250, undefined, undefined, recipient)).data;
    expect((await listed('a', inA)).map((m) => m.template_type)).toEqual(['verification_code_invalid']);
    expect(await listed('b', inA)).toEqual([]);
    expect((await listed('b', inB)).map((m) => m.template_type).sort()).toEqual(['recovery_code_valid', 'verification_code_valid']);
    expect(await listed('a', inB)).toEqual([]);
    expect((await request(server.adminUrl).get(`/admin/courier/messages?recipient=${encodeURIComponent(inB)}`)).body).toEqual([]);
  });

  it("enabling TOTP in b's stored config takes effect in b on both processes within the refresh interval, not in a", async () => {
    const signedIn: Record<string, string> = {};
    for (const realm of ['a', 'b']) signedIn[realm] = (await register(realm, unique(`totp-${realm}`))).token;
    const totpOffered = async (realm: string, on: RunningServer): Promise<boolean> => {
      const { data: flow } = await pub(realm, on).initializeSelfServiceSettingsFlowWithoutBrowser(signedIn[realm]);
      return totpNodes(flow.ui.nodes).length > 0;
    };
    for (const on of [server, second]) {
      expect(await totpOffered('a', on)).toBe(false);
      expect(await totpOffered('b', on)).toBe(false);
    }

    const config = { ...REALM_CONFIG, selfservice: { ...REALM_CONFIG.selfservice, methods: { totp: { enabled: true } } } };
    await admin().put('/admin/realms/b').send({ config }).expect(200);
    expect(await totpOffered('b', server)).toBe(true); // the process that made the change sees it at once
    await eventually(async () => ((await totpOffered('b', second)) ? true : undefined), 10_000);
    const { data: flow } = await pub('b', second).initializeSelfServiceSettingsFlowWithoutBrowser(signedIn.b);
    expect(totpNodes(flow.ui.nodes)).toEqual(expect.arrayContaining(['totp_code', 'method']));
    for (const on of [server, second]) expect(await totpOffered('a', on)).toBe(false);

    // Back off again (the other cases do not expect a second factor in b).
    await admin().put('/admin/realms/b').send({ config: REALM_CONFIG }).expect(200);
    await eventually(async () => ((await totpOffered('b', second)) ? undefined : true), 10_000);
  });

  it('@ory/client with basePath …/realms/b: registration, login, whoami and the admin identities API', async () => {
    const ory = pub('b');
    const email = unique('sdk');
    const password = 'an sdk passphrase for b';
    const { identity } = await register('b', email, password);

    const { data: loginFlow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    expect(loginFlow.ui.action).toContain('/realms/b/self-service/login?flow=');
    const { data: login } = await ory.submitSelfServiceLoginFlow(loginFlow.id, { method: 'password', identifier: email, password });
    const { data: session } = await ory.toSession(login.session_token);
    expect(session.identity.id).toBe(identity.id);
    // The same credentials do not exist in a.
    const { data: loginInA } = await pub('a').initializeSelfServiceLoginFlowWithoutBrowser();
    expect((await oryFailure(pub('a').submitSelfServiceLoginFlow(loginInA.id, { method: 'password', identifier: email, password }))).status).toBe(400);

    const identities = adm('b');
    const created = (await identities.adminCreateIdentity({ schema_id: 'default', traits: { email: unique('sdk-admin') } })).data;
    expect((await identities.adminListIdentities(1000)).data.map((i) => i.id)).toEqual(expect.arrayContaining([identity.id, created.id]));
    expect((await identities.adminGetIdentity(created.id)).data.id).toBe(created.id);
    expect((await oryFailure(adm('a').adminGetIdentity(created.id))).status).toBe(404);
    const patched = (await identities.adminPatchIdentity(created.id, [{ op: 'replace', path: '/metadata_public', value: { realm: 'b' } }])).data;
    expect(patched.metadata_public).toEqual({ realm: 'b' });
    expect((await oryFailure(adm('a').adminDeleteIdentity(created.id))).status).toBe(404);
    await identities.adminDeleteIdentity(created.id);
    expect((await oryFailure(identities.adminGetIdentity(created.id))).status).toBe(404);
  });
});
