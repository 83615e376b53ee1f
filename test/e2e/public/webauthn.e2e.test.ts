import type { SelfServiceLoginFlow, SelfServiceRegistrationFlow, SelfServiceSettingsFlow, UiNode, UiNodeInputAttributes, V0alpha2Api } from '@ory/client';
import { createHash } from 'node:crypto';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../helpers/ory-client';
import { type CreationOptions, type RequestOptions, SoftAuthenticator, onclickOptions } from '../../helpers/soft-authenticator';

/**
 * WebAuthn through the API flows, driven by a software authenticator that produces real attestation
 * and assertion objects (test/helpers/soft-authenticator.ts): passkeys (passwordless) and security
 * keys as a second factor, with the replay, origin and counter checks.
 */
const ORIGIN = 'http://localhost:4455';
const RP = {
  SELFSERVICE_METHODS_WEBAUTHN_ENABLED: 'true',
  SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ID: 'localhost',
  SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_DISPLAY_NAME: 'Tessera tests',
  SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ORIGINS: ORIGIN,
};

type AnyFlow = SelfServiceLoginFlow | SelfServiceRegistrationFlow | SelfServiceSettingsFlow;
const attrs = (n: UiNode): UiNodeInputAttributes => n.attributes as UiNodeInputAttributes;
const node = (flow: AnyFlow, name: string): UiNode | undefined => flow.ui.nodes.find((n) => attrs(n).name === name);
const nodes = (flow: AnyFlow, name: string): UiNode[] => flow.ui.nodes.filter((n) => attrs(n).name === name);
const messageIds = (flow: { ui: { messages?: { id: number }[] } }): number[] => (flow.ui.messages ?? []).map((m) => m.id);
const creation = (flow: AnyFlow): CreationOptions => onclickOptions<CreationOptions>(attrs(node(flow, 'webauthn_register_trigger')!).onclick);
const request_ = (flow: AnyFlow): RequestOptions => onclickOptions<RequestOptions>(attrs(node(flow, 'webauthn_login_trigger')!).onclick);

describe('WebAuthn passkeys (selfservice.methods.webauthn.config.passwordless: true)', () => {
  let server: RunningServer;
  let ory: V0alpha2Api;
  let admin: V0alpha2Api;
  const phone = new SoftAuthenticator({ origin: ORIGIN, attestation: 'packed' });
  const email = 'passkey@example.com';
  let identityId: string;

  beforeAll(async () => {
    server = await bootApps({ ...RP, SELFSERVICE_METHODS_WEBAUTHN_CONFIG_PASSWORDLESS: 'true' });
    ory = oryClient(server.publicUrl);
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  async function passkeyLogin(authenticator: SoftAuthenticator) {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const assertion = authenticator.get(request_(flow));
    return { flow, assertion, response: await ory.submitSelfServiceLoginFlow(flow.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(assertion) }) };
  }

  it('serves webauthn.js with the bytes the script nodes hash (sha512 SRI) and CORS for anonymous loading', async () => {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const script = flow.ui.nodes.find((n) => n.type === 'script')!;
    const a = script.attributes as unknown as Record<string, unknown>;
    expect(a).toMatchObject({ id: 'webauthn_script', async: true, crossorigin: 'anonymous', referrerpolicy: 'no-referrer', type: 'text/javascript', node_type: 'script' });
    expect(a.src).toBe(`${server.registry.config.serve.public.base_url}.well-known/ory/webauthn.js`);
    const res = await request(server.publicUrl).get('/.well-known/ory/webauthn.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=UTF-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(a.integrity).toBe(`sha512-${createHash('sha512').update(res.text, 'utf8').digest('base64')}`);
    expect(res.text).toContain('window.__oryWebAuthnLogin = function');
    expect(res.text).toContain('window.__oryWebAuthnRegistration = function');
  });

  it('signs up without a password: the traits move to the default group and a passkey (packed attestation) is the only credential', async () => {
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    expect(node(flow, 'traits.email')!.group).toBe('default');
    expect(node(flow, 'webauthn_register_trigger')!.meta.label).toMatchObject({ id: 1040004 });
    const options = creation(flow);
    expect(options.publicKey.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.publicKey.rp).toEqual({ id: 'localhost', name: 'Tessera tests' });
    const res = await ory.submitSelfServiceRegistrationFlow(flow.id, {
      method: 'webauthn',
      traits: { email },
      webauthn_register: JSON.stringify(phone.create(options)),
      webauthn_register_displayname: 'Phone',
    });
    expect(res.status).toBe(200);
    expect(res.data.session?.authentication_methods).toEqual([expect.objectContaining({ method: 'webauthn', aal: 'aal1' })]);
    identityId = res.data.identity.id;
    // The user handle the authenticator stored is the identity id.
    expect(phone.credentials[0].userHandle.toString('hex')).toBe(identityId.replace(/-/g, ''));
    const { data: identity } = await admin.adminGetIdentity(identityId);
    expect(Object.keys(identity.credentials ?? {})).toEqual(['webauthn']);
    expect(identity.credentials?.webauthn?.identifiers).toEqual([email]);
    const stored = await server.registry.identityPool.get(identityId);
    expect(stored?.credentials.webauthn?.config).toMatchObject({
      user_handle: Buffer.from(identityId.replace(/-/g, ''), 'hex').toString('base64'),
      credentials: [expect.objectContaining({ display_name: 'Phone', attestation_type: 'packed', is_passwordless: true, authenticator: expect.objectContaining({ sign_count: 0 }) })],
    });
  });

  it('signs in with the passkey alone (usernameless: the user handle names the account) and updates the sign count', async () => {
    const { flow, response } = await passkeyLogin(phone);
    const options = request_(flow);
    expect(options.publicKey.userVerification).toBe('required');
    expect(options.publicKey.allowCredentials ?? []).toEqual([]);
    expect(response.status).toBe(200);
    expect(response.data.session.identity.id).toBe(identityId);
    expect(response.data.session.authenticator_assurance_level).toBe('aal1');
    expect(response.data.session.authentication_methods).toEqual([expect.objectContaining({ method: 'webauthn', aal: 'aal1' })]);
    expect((await ory.toSession(response.data.session_token)).status).toBe(200);
    const stored = await server.registry.identityPool.get(identityId);
    expect((stored?.credentials.webauthn?.config.credentials as { authenticator: { sign_count: number } }[])[0].authenticator.sign_count).toBe(phone.credentials[0].counter);
  });

  it('refuses a replayed assertion, a replayed challenge and a signature counter that did not move forward', async () => {
    const { flow, assertion, response } = await passkeyLogin(phone);
    expect(response.status).toBe(200);
    // The same assertion again on the same flow: its challenge is spent.
    const again = await oryFailure(ory.submitSelfServiceLoginFlow(flow.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(assertion) }));
    expect(again.status).toBe(400);
    expect(messageIds(again.data as SelfServiceLoginFlow)).toEqual([4000006]);
    // A fresh, validly signed assertion over that spent challenge.
    const fresh = phone.get(request_(flow));
    const replayedChallenge = await oryFailure(ory.submitSelfServiceLoginFlow(flow.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(fresh) }));
    expect(messageIds(replayedChallenge.data as SelfServiceLoginFlow)).toEqual([4000006]);
    // The old assertion on a new flow: wrong challenge.
    const { data: other } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const moved = await oryFailure(ory.submitSelfServiceLoginFlow(other.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(assertion) }));
    expect(messageIds(moved.data as SelfServiceLoginFlow)).toEqual([4000006]);
    // Right challenge, but the counter repeats the one the server stored last (a cloned authenticator).
    const storedCount = async () => ((await server.registry.identityPool.get(identityId))?.credentials.webauthn?.config.credentials as { authenticator: { sign_count: number } }[])[0].authenticator.sign_count;
    expect(phone.credentials[0].counter).toBeGreaterThan(await storedCount());
    const stale = phone.get(request_(other), { counter: await storedCount() });
    const cloned = await oryFailure(ory.submitSelfServiceLoginFlow(other.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(stale) }));
    expect(messageIds(cloned.data as SelfServiceLoginFlow)).toEqual([4000006]);
    const stored = await server.registry.identityPool.get(identityId);
    expect((stored?.credentials.webauthn?.config.credentials as { authenticator: { clone_warning: boolean } }[])[0].authenticator.clone_warning).toBe(true);
  });

  it('refuses an assertion made on another origin or for another RP id', async () => {
    for (const overrides of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }]) {
      const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
      const assertion = phone.get(request_(flow), { ...overrides, counter: phone.credentials[0].counter + 10 });
      const failure = await oryFailure(ory.submitSelfServiceLoginFlow(flow.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(assertion) }));
      expect(failure.status).toBe(400);
      expect(messageIds(failure.data as SelfServiceLoginFlow)).toEqual([4000006]);
    }
  });

  it('also signs in in Kratos two steps: identifier first, then a trigger for that account', async () => {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    expect(nodes(flow, 'method').map((n) => attrs(n).value)).toEqual(['password', 'webauthn']);
    const step = await oryFailure(ory.submitSelfServiceLoginFlow(flow.id, { method: 'webauthn', identifier: email }));
    expect(step.status).toBe(400);
    const next = step.data as SelfServiceLoginFlow;
    expect(messageIds(next)).toEqual([1010012]);
    expect(attrs(node(next, 'identifier')!)).toMatchObject({ type: 'hidden', value: email });
    expect(node(next, 'password')).toBeUndefined();
    expect(request_(next).publicKey.allowCredentials?.map((c) => Buffer.from(c.id, 'base64').toString('hex'))).toEqual([phone.credentials[0].id.toString('hex')]);
    const unknown = await oryFailure(ory.submitSelfServiceLoginFlow((await ory.initializeSelfServiceLoginFlowWithoutBrowser()).data.id, { method: 'webauthn', identifier: 'nobody@example.com' }));
    expect(messageIds(unknown.data as SelfServiceLoginFlow)).toEqual([4000015]);
    const res = await ory.submitSelfServiceLoginFlow(next.id, { method: 'webauthn', identifier: email, webauthn_login: JSON.stringify(phone.get(request_(next))) });
    expect(res.status).toBe(200);
    expect(res.data.session.identity.id).toBe(identityId);
  });

  it('refuses a sign-up attestation made on another origin', async () => {
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const rogue = new SoftAuthenticator({ origin: 'https://evil.example' });
    const failure = await oryFailure(
      ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'webauthn', traits: { email: 'rogue@example.com' }, webauthn_register: JSON.stringify(rogue.create(creation(flow))) }),
    );
    expect(failure.status).toBe(400);
    const messages = (failure.data as SelfServiceRegistrationFlow).ui.messages ?? [];
    expect(messages).toEqual([expect.objectContaining({ id: 4000001, text: expect.stringContaining('origin') })]);
  });

  it('adds a passkey in settings for a password account, signs in with it, and removes it; the last sign-in credential stays', async () => {
    const reg = await ory.submitSelfServiceRegistrationFlow((await ory.initializeSelfServiceRegistrationFlowWithoutBrowser()).data.id, {
      method: 'password',
      traits: { email: 'both@example.com' },
      password: 'a long enough passphrase',
    });
    const token = reg.data.session_token as string;
    const laptop = new SoftAuthenticator({ origin: ORIGIN });
    const { data: settings } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(token);
    expect(node(settings, 'webauthn_register_trigger')!.meta.label).toMatchObject({ id: 1050012 });
    const saved = await ory.submitSelfServiceSettingsFlow(settings.id, { method: 'webauthn', webauthn_register: JSON.stringify(laptop.create(creation(settings))), webauthn_register_displayname: 'Laptop' }, token);
    expect(saved.status).toBe(200);
    expect(saved.data.state).toBe('success');
    const remove = node(saved.data, 'webauthn_remove')!;
    expect(attrs(remove).value).toBe(laptop.credentials[0].id.toString('hex'));
    expect(remove.meta.label).toMatchObject({ id: 1050018, text: 'Remove security key "Laptop"', context: { display_name: 'Laptop' } });
    // A passkey does not demand a second factor: the aal1 session stays usable.
    expect((await ory.toSession(token)).status).toBe(200);

    const { response } = await passkeyLogin(laptop);
    expect(response.data.session.identity.traits).toEqual({ email: 'both@example.com' });

    const removed = await ory.submitSelfServiceSettingsFlow(saved.data.id, { method: 'webauthn', webauthn_remove: attrs(remove).value as string }, token);
    expect(removed.status).toBe(200);
    expect(node(removed.data, 'webauthn_remove')).toBeUndefined();
    expect(Object.keys((await server.registry.identityPool.get(reg.data.identity.id))!.credentials)).toEqual(['password']);
    await expect(passkeyLogin(laptop).then((r) => r.response)).rejects.toMatchObject({ response: { status: 400 } });

    // The passkey-only account may not remove its only credential.
    const login = await passkeyLogin(phone);
    const own = login.response.data.session_token as string;
    const { data: mine } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(own);
    const refused = await oryFailure(ory.submitSelfServiceSettingsFlow(mine.id, { method: 'webauthn', webauthn_remove: attrs(node(mine, 'webauthn_remove')!).value as string }, own));
    expect(refused.status).toBe(400);
    expect((refused.data as SelfServiceSettingsFlow).ui.messages).toEqual([expect.objectContaining({ id: 4000001, text: expect.stringContaining('lock you out') })]);
    expect((await server.registry.identityPool.get(identityId))?.credentials.webauthn?.config.credentials).toEqual([expect.objectContaining({ display_name: 'Phone' })]);
  });
});

describe('WebAuthn security keys as a second factor (passwordless: false)', () => {
  let server: RunningServer;
  let ory: V0alpha2Api;
  const key = new SoftAuthenticator({ origin: ORIGIN, userVerification: false });
  const email = 'mfa@example.com';
  const password = 'a long enough passphrase';

  beforeAll(async () => {
    server = await bootApps(RP);
    ory = oryClient(server.publicUrl);
  });
  afterAll(() => server.close());

  async function passwordLogin() {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    return ory.submitSelfServiceLoginFlow(flow.id, { method: 'password', identifier: email, password });
  }

  it('offers no passkey sign-in or sign-up', async () => {
    const { data: login } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    expect(login.ui.nodes.filter((n) => n.group === 'webauthn')).toEqual([]);
    const { data: registration } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    expect(registration.ui.nodes.filter((n) => n.group === 'webauthn')).toEqual([]);
  });

  it('adds a security key in settings; the aal1 session then needs the second factor', async () => {
    const reg = await ory.submitSelfServiceRegistrationFlow((await ory.initializeSelfServiceRegistrationFlowWithoutBrowser()).data.id, { method: 'password', traits: { email }, password });
    const token = reg.data.session_token as string;
    const { data: settings } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(token);
    const options = creation(settings);
    expect(options.publicKey.authenticatorSelection).toMatchObject({ residentKey: 'discouraged', userVerification: 'discouraged' });
    expect(options.publicKey.user.name).toBe(email);
    const saved = await ory.submitSelfServiceSettingsFlow(settings.id, { method: 'webauthn', webauthn_register: JSON.stringify(key.create(options)), webauthn_register_displayname: 'YubiKey' }, token);
    expect(saved.status).toBe(200);
    const stored = await server.registry.identityPool.get(reg.data.identity.id);
    expect(stored?.credentials.webauthn?.config.credentials).toEqual([expect.objectContaining({ is_passwordless: false, attestation_type: 'none', display_name: 'YubiKey' })]);
    const whoami = await oryFailure(ory.toSession(token));
    expect(whoami.status).toBe(403);
    expect(whoami.data).toMatchObject({ error: { id: 'session_aal2_required' } });
  });

  it('completes an aal1 password session to aal2 with the key, and refuses the same assertion again', async () => {
    const first = await passwordLogin();
    const token = first.data.session_token as string;
    expect(first.data.session.authenticator_assurance_level).toBe('aal1');
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser(false, 'aal2', token);
    expect(flow.requested_aal).toBe('aal2');
    const options = request_(flow);
    expect(options.publicKey.userVerification).toBe('discouraged');
    expect(options.publicKey.allowCredentials?.map((c) => Buffer.from(c.id, 'base64').toString('hex'))).toEqual([key.credentials[0].id.toString('hex')]);
    const assertion = key.get(options);
    const done = await ory.submitSelfServiceLoginFlow(flow.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(assertion) }, token);
    expect(done.status).toBe(200);
    expect(done.data.session.authenticator_assurance_level).toBe('aal2');
    expect(done.data.session.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
      ['password', 'aal1'],
      ['webauthn', 'aal2'],
    ]);
    expect((await ory.toSession(token)).data.authenticator_assurance_level).toBe('aal2');

    // Replaying the assertion for another aal1 session is refused (the challenge belonged to the first flow).
    const second = (await passwordLogin()).data.session_token as string;
    const { data: other } = await ory.initializeSelfServiceLoginFlowWithoutBrowser(false, 'aal2', second);
    const replay = await oryFailure(ory.submitSelfServiceLoginFlow(other.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(assertion) }, second));
    expect(replay.status).toBe(400);
    expect(messageIds(replay.data as SelfServiceLoginFlow)).toEqual([4000006]);
    const wrongOrigin = await oryFailure(
      ory.submitSelfServiceLoginFlow(other.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(key.get(request_(other), { origin: 'https://evil.example' })) }, second),
    );
    expect(messageIds(wrongOrigin.data as SelfServiceLoginFlow)).toEqual([4000006]);
    expect((await oryFailure(ory.toSession(second))).status).toBe(403);
  });

  it('removes the security key with an aal2 session; password logins are aal1-complete again', async () => {
    const first = await passwordLogin();
    const token = first.data.session_token as string;
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser(false, 'aal2', token);
    await ory.submitSelfServiceLoginFlow(flow.id, { method: 'webauthn', identifier: '', webauthn_login: JSON.stringify(key.get(request_(flow))) }, token);
    const { data: settings } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(token);
    const removed = await ory.submitSelfServiceSettingsFlow(settings.id, { method: 'webauthn', webauthn_remove: attrs(node(settings, 'webauthn_remove')!).value as string }, token);
    expect(removed.status).toBe(200);
    const again = await passwordLogin();
    expect((await ory.toSession(again.data.session_token)).status).toBe(200);
  });
});
