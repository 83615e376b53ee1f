import type { SelfServiceLoginFlow, UiNode, UiNodeInputAttributes, V0alpha2Api } from '@ory/client';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../helpers/ory-client';

const attrs = (n: UiNode): UiNodeInputAttributes => n.attributes as UiNodeInputAttributes;
const node = (nodes: UiNode[], name: string): UiNode | undefined => nodes.find((n) => attrs(n).name === name);
const messageIds = (flow: { ui: { messages?: { id: number }[] } }): number[] => (flow.ui.messages ?? []).map((m) => m.id);

describe('API-mode login and registration through @ory/client', () => {
  let server: RunningServer;
  let ory: V0alpha2Api;
  let admin: V0alpha2Api;
  const email = 'native@example.com';
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    server = await bootApps();
    ory = oryClient(server.publicUrl);
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  async function register(traits: Record<string, unknown>, pw: string) {
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    return ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password: pw, traits });
  }

  async function login(identifier: string, pw: string) {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    return ory.submitSelfServiceLoginFlow(flow.id, { method: 'password', identifier, password: pw });
  }

  it('renders the registration form from the identity schema', async () => {
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    expect(flow.type).toBe('api');
    expect(flow.ui.action).toBe(`${server.registry.config.serve.public.base_url}self-service/registration?flow=${flow.id}`);
    expect(flow.ui.method).toBe('POST');
    expect(flow.ui.nodes.map((n) => attrs(n).name)).toEqual(['csrf_token', 'traits.email', 'password', 'traits.name.first', 'traits.name.last', 'method']);
    expect(attrs(node(flow.ui.nodes, 'csrf_token')!)).toMatchObject({ type: 'hidden', value: '' });
    expect(attrs(node(flow.ui.nodes, 'traits.email')!)).toMatchObject({ type: 'email', required: true, autocomplete: 'email', node_type: 'input' });
    expect(node(flow.ui.nodes, 'traits.email')!.meta.label).toMatchObject({ id: 1070002, text: 'E-Mail' });
    expect(attrs(node(flow.ui.nodes, 'password')!)).toMatchObject({ type: 'password', required: true, autocomplete: 'new-password' });
    expect(node(flow.ui.nodes, 'method')!.meta.label).toMatchObject({ id: 1040001, text: 'Sign up' });
    expect(flow.ui.messages).toBeUndefined();
  });

  it('registers, returns a session token, and whoami accepts it as X-Session-Token and Bearer', async () => {
    const res = await register({ email }, password);
    expect(res.status).toBe(200);
    expect(res.data.identity.traits).toEqual({ email });
    expect(res.data.identity).not.toHaveProperty('credentials');
    expect(res.data.session_token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(res.data.session?.authentication_methods).toEqual([expect.objectContaining({ method: 'password', aal: 'aal1' })]);
    const byHeader = await request(server.publicUrl).get('/sessions/whoami').set('X-Session-Token', res.data.session_token as string);
    expect(byHeader.status).toBe(200);
    expect(byHeader.body).toMatchObject({ id: res.data.session?.id, identity: { id: res.data.identity.id } });
    const byBearer = await request(server.publicUrl).get('/sessions/whoami').set('Authorization', `Bearer ${res.data.session_token as string}`);
    expect(byBearer.status).toBe(200);
    expect(byBearer.body).toMatchObject({ id: res.data.session?.id, identity: { id: res.data.identity.id } });
  });

  it('logs in with the password and issues a new session', async () => {
    const res = await login(email.toUpperCase(), password);
    expect(res.status).toBe(200);
    expect(res.data.session_token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(res.data.session.identity.traits).toEqual({ email });
    expect(res.data.session.authenticator_assurance_level).toBe('aal1');
    expect(res.data.session.active).toBe(true);
    expect(new Date(res.data.session.expires_at as string).getTime() - new Date(res.data.session.authenticated_at as string).getTime()).toBe(24 * 3600 * 1000);
  });

  it('gives the same 4000006 for a wrong password and an unknown identifier', async () => {
    for (const [identifier, pw] of [
      [email, 'wrong password here'],
      ['nobody@example.com', password],
    ]) {
      const failure = await oryFailure(login(identifier, pw));
      expect(failure.status).toBe(400);
      const flow = failure.data as SelfServiceLoginFlow;
      expect(messageIds(flow)).toEqual([4000006]);
      expect(attrs(node(flow.ui.nodes, 'identifier')!).value).toBe(identifier);
      expect(attrs(node(flow.ui.nodes, 'password')!).value).toBeUndefined();
    }
  });

  it('refuses a duplicate registration with message 4000007 in a 400 flow', async () => {
    const failure = await oryFailure(register({ email: 'NATIVE@example.com' }, 'another good passphrase'));
    expect(failure.status).toBe(400);
    expect(messageIds(failure.data as SelfServiceLoginFlow)).toEqual([4000007]);
  });

  it('validates traits and the password policy on the nodes', async () => {
    const bad = await oryFailure(register({ email: 'not-an-email' }, password));
    expect(bad.status).toBe(400);
    const flow = bad.data as SelfServiceLoginFlow;
    expect(node(flow.ui.nodes, 'traits.email')!.messages).toEqual([expect.objectContaining({ id: 4000001, text: '"not-an-email" is not valid "email"', type: 'error' })]);
    expect(attrs(node(flow.ui.nodes, 'traits.email')!).value).toBe('not-an-email');

    const missing = await oryFailure(register({}, password));
    expect(node((missing.data as SelfServiceLoginFlow).ui.nodes, 'traits.email')!.messages).toEqual([expect.objectContaining({ id: 4000002, context: { property: 'email' } })]);

    for (const [pw, reason] of [
      ['short', 'password length must be at least 8 characters but only got 5'],
      ['policy-check@example.com1', 'the password is too similar to the user identifier'],
      ['password123', 'the password has been found in data breaches and must no longer be used'],
      ['x'.repeat(73), 'password length must be at most 72 bytes'],
    ]) {
      const res = await oryFailure(register({ email: 'policy-check@example.com' }, pw));
      expect(res.status).toBe(400);
      expect(node((res.data as SelfServiceLoginFlow).ui.nodes, 'password')!.messages).toEqual([expect.objectContaining({ id: 4000005, context: { reason } })]);
    }
    expect(await server.registry.identityPool.findByCredentialsIdentifier('password', 'policy-check@example.com')).toBeUndefined();
  });

  it('refuses a login init while signed in, unless refresh=true', async () => {
    const { data } = await login(email, password);
    const failure = await oryFailure(ory.initializeSelfServiceLoginFlowWithoutBrowser(undefined, undefined, data.session_token));
    expect(failure.status).toBe(400);
    expect((failure.data as { error: { id: string } }).error.id).toBe('session_already_available');
    const { data: refresh } = await ory.initializeSelfServiceLoginFlowWithoutBrowser(true, undefined, data.session_token);
    expect(refresh.refresh).toBe(true);
    expect(messageIds(refresh)).toEqual([1010003]);
    expect(attrs(node(refresh.ui.nodes, 'identifier')!)).toMatchObject({ type: 'hidden', value: email });
    const again = await ory.submitSelfServiceLoginFlow(refresh.id, { method: 'password', identifier: email, password }, data.session_token);
    expect(again.data.session.id).toBe(data.session.id);
    expect(again.data.session.authentication_methods).toHaveLength(2);
  });

  it('answers login submit of a signed-in user with a 400 flow (message 4000001)', async () => {
    const { data } = await login(email, password);
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const failure = await oryFailure(ory.submitSelfServiceLoginFlow(flow.id, { method: 'password', identifier: email, password }, data.session_token));
    expect(failure.status).toBe(400);
    expect(messageIds(failure.data as SelfServiceLoginFlow)).toEqual([4000001]);
  });

  it('refuses browser artefacts on API flows and unknown methods', async () => {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const withOrigin = await request(server.publicUrl).post(`/self-service/login?flow=${flow.id}`).set('Origin', 'https://evil.example').send({ method: 'password', identifier: email, password });
    expect(withOrigin.status).toBe(400);
    expect(withOrigin.body.ui.messages[0]).toMatchObject({ id: 4000001 });
    const unknown = await request(server.publicUrl).post(`/self-service/login?flow=${flow.id}`).send({ method: 'carrier-pigeon' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.ui.messages.map((m: { id: number }) => m.id)).toEqual([4010002]);
  });

  it('answers unknown, malformed and missing flow ids', async () => {
    expect((await request(server.publicUrl).get('/self-service/login/flows?id=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await request(server.publicUrl).get('/self-service/login/flows?id=nope')).status).toBe(404);
    const missing = await request(server.publicUrl).post('/self-service/login').send({ method: 'password' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.reason).toBe('The flow query parameter is missing or malformed.');
    expect((await oryFailure(ory.initializeSelfServiceLoginFlowWithoutBrowser(undefined, 'aal7'))).status).toBe(400);
    expect((await oryFailure(ory.initializeSelfServiceLoginFlowWithoutBrowser(undefined, 'aal2'))).status).toBe(401);
  });

  it('fetches an API flow by id', async () => {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const fetched = await ory.getSelfServiceLoginFlow(flow.id);
    expect(fetched.data.id).toBe(flow.id);
    expect(fetched.data.requested_aal).toBe('aal1');
    expect(fetched.data.refresh).toBe(false);
  });

  it('re-hashes an imported pbkdf2 password on the first login', async () => {
    const salt = randomBytes(16);
    const hash = pbkdf2Sync('imported passphrase', salt, 1000, 32, 'sha256');
    const phc = `$pbkdf2-sha256$i=1000,l=32$${salt.toString('base64').replace(/=+$/, '')}$${hash.toString('base64').replace(/=+$/, '')}`;
    const created = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'migrated@example.com' }, credentials: { password: { config: { hashed_password: phc } } } });
    const res = await login('migrated@example.com', 'imported passphrase');
    expect(res.status).toBe(200);
    const stored = await server.registry.identityPool.get(created.data.id);
    expect(stored?.credentials.password?.config.hashed_password).toMatch(/^\$2[ab]\$/);
    expect((await login('migrated@example.com', 'imported passphrase')).status).toBe(200);
  });

  it('refuses a disabled identity with 401', async () => {
    const created = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: 'disabled@example.com' }, state: 'inactive', credentials: { password: { config: { password: 'disabled passphrase!' } } } });
    expect(created.status).toBe(201);
    const failure = await oryFailure(login('disabled@example.com', 'disabled passphrase!'));
    expect(failure.status).toBe(401);
  });
});
