import type { V0alpha2Api } from '@ory/client';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient } from '../../helpers/ory-client';
import { type CapturedMail, type SmtpCapture, startSmtpCapture } from '../../helpers/smtp-capture';

interface WireNode {
  group: string;
  attributes: { name: string; type: string; value?: unknown };
  meta: { label?: { id: number } };
}
interface WireFlow {
  id: string;
  ui: { nodes: WireNode[]; messages?: { id: number; text: string }[] };
}

const ids = (flow: WireFlow): number[] => (flow.ui.messages ?? []).map((m) => m.id);
const codeIn = (mail: CapturedMail): string => (/\b(\d{8})\b/.exec(mail.text) as RegExpExecArray)[1];
const csrfOf = (flow: WireFlow): string => flow.ui.nodes.find((n) => n.attributes.name === 'csrf_token')?.attributes.value as string;
const cookiesOf = (res: request.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

/** The magic link a code mail carries (`{{ .LoginURL }}` / `{{ .RegistrationURL }}`); throws when the mail has none. */
function magicLink(mail: CapturedMail, flow: 'login' | 'registration'): URL {
  const inMail = new RegExp(`(http://[^\\s"<>]*/self-service/${flow}\\?[^\\s"<>]*)`).exec(mail.text)?.[1];
  if (!inMail) throw new Error(`no ${flow} link in the mail to ${mail.to.join(', ')}:\n${mail.text}`);
  return new URL(inMail.replace(/&amp;/g, '&'));
}

describe('one-time code login and registration (passwordless code method) with real SMTP delivery', () => {
  let smtp: SmtpCapture;
  let server: RunningServer;
  let ory: V0alpha2Api;
  let admin: V0alpha2Api;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    server = await bootApps({ COURIER_SMTP_CONNECTION_URI: smtp.url, SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true' });
    ory = oryClient(server.publicUrl);
    admin = oryClient(server.adminUrl);
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
  });

  const deliver = async (): Promise<void> => {
    await server.registry.dispatcher.dispatchOnce();
  };
  const submitLogin = (flowId: string, body: Record<string, unknown>) => request(server.publicUrl).post(`/self-service/login?flow=${flowId}`).send(body);
  const submitRegistration = (flowId: string, body: Record<string, unknown>) => request(server.publicUrl).post(`/self-service/registration?flow=${flowId}`).send(body);

  async function person(email: string): Promise<string> {
    const { data } = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email } });
    return data.id;
  }

  /** An API login flow with a code mailed to `email`: the flow id and the delivered mail. */
  async function codeSent(email: string): Promise<{ flowId: string; mail: CapturedMail }> {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const sent = await submitLogin(flow.id, { method: 'code', identifier: email });
    expect(sent.status).toBe(400);
    expect(ids(sent.body)).toEqual([1010014]);
    await deliver();
    const mail = smtp.last(email);
    if (!mail) throw new Error(`no mail to ${email}`);
    return { flowId: flow.id, mail };
  }

  it('offers "Sign in with code" on new login flows', async () => {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const nodes = flow.ui.nodes as unknown as WireNode[];
    expect(nodes.filter((n) => n.attributes.name === 'identifier')).toHaveLength(1);
    expect(nodes.find((n) => n.group === 'code' && n.attributes.name === 'method')).toMatchObject({ attributes: { type: 'submit', value: 'code' }, meta: { label: { id: 1010015 } } });
  });

  it('logs in with the code from the mail (API flow); the same code again is refused', async () => {
    const email = 'code-login@example.com';
    const identityId = await person(email);
    const { flowId, mail } = await codeSent(email);
    expect(mail.subject).toBe('Login to your account');
    const code = codeIn(mail);

    const flow = (await ory.getSelfServiceLoginFlow(flowId)).data as unknown as WireFlow;
    expect(flow.ui.nodes.map((n) => `${n.group}/${n.attributes.name}:${n.attributes.type}`)).toEqual(['default/csrf_token:hidden', 'default/identifier:hidden', 'code/code:text', 'code/method:submit']);

    const done = await submitLogin(flowId, { method: 'code', code });
    expect(done.status).toBe(200);
    expect(done.body.session_token).toEqual(expect.any(String));
    const whoami = await ory.toSession(done.body.session_token);
    expect(whoami.status).toBe(200);
    expect(whoami.data.identity.id).toBe(identityId);
    expect(whoami.data.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([['code', 'aal1']]);

    const again = await submitLogin(flowId, { method: 'code', code });
    expect(again.status).toBe(400);
    expect(ids(again.body)).toEqual([4010008]);
  });

  it('logs a browser in through the magic link (cookie jar → session cookie and 303)', async () => {
    const email = 'magic-link@example.com';
    const identityId = await person(email);
    const browser = request.agent(server.publicUrl);
    const { body: flow } = await browser.get('/self-service/login/browser').set('Accept', 'application/json');
    const sent = await browser.post(`/self-service/login?flow=${flow.id}`).set('Accept', 'application/json').send({ method: 'code', identifier: email, csrf_token: csrfOf(flow) });
    expect(sent.status).toBe(400);
    expect(ids(sent.body)).toEqual([1010014]);
    await deliver();
    const mail = smtp.last(email) as CapturedMail;
    const link = magicLink(mail, 'login');
    expect(`${link.origin}${link.pathname}`).toBe(`${server.publicUrl}/self-service/login`);
    expect(Object.fromEntries(link.searchParams)).toEqual({ flow: flow.id, method: 'code', code: codeIn(mail) });

    // Another browser (without this flow's CSRF cookie) cannot use the link.
    const stranger = await request(server.publicUrl).get(`${link.pathname}${link.search}`).set('Accept', 'application/json');
    expect(stranger.status).toBe(403);
    expect(stranger.body.error.id).toBe('security_csrf_violation');

    const opened = await browser.get(`${link.pathname}${link.search}`).set('Accept', 'text/html');
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('http://127.0.0.1:4455/');
    expect(cookiesOf(opened).some((c) => c.startsWith('ory_kratos_session='))).toBe(true);
    const whoami = await browser.get('/sessions/whoami').set('Accept', 'application/json');
    expect(whoami.status).toBe(200);
    expect(whoami.body.identity.id).toBe(identityId);
    expect(whoami.body.authentication_methods[0].method).toBe('code');
  });

  it('a sixth attempt after five wrong codes finds the flow invalidated', async () => {
    const email = 'brute-code@example.com';
    await person(email);
    const { flowId, mail } = await codeSent(email);
    const code = codeIn(mail);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < 5; i++) {
      const res = await submitLogin(flowId, { method: 'code', code: wrong });
      expect(res.status).toBe(400);
      expect(ids(res.body)).toEqual([4010008]);
    }
    const sixth = await submitLogin(flowId, { method: 'code', code });
    expect(sixth.status).toBe(400);
    expect(sixth.body.ui.messages).toEqual([expect.objectContaining({ id: 4000001, type: 'error', text: expect.stringMatching(/too many wrong codes.*start again/) })]);
    const resend = await submitLogin(flowId, { method: 'code', identifier: email });
    expect(ids(resend.body)).toEqual([4000001]);
  });

  it('answers an unknown address exactly like a known one', async () => {
    await person('known-code@example.com');
    const shapes = [];
    for (const email of ['known-code@example.com', 'ghost-code@example.com']) {
      const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
      const res = await submitLogin(flow.id, { method: 'code', identifier: email });
      const body = res.body as WireFlow & Record<string, unknown>;
      shapes.push({
        status: res.status,
        keys: Object.keys(body).sort(),
        messages: body.ui.messages,
        nodes: body.ui.nodes.map((n) => ({ ...n, attributes: { ...n.attributes, value: n.attributes.name === 'identifier' ? '<identifier>' : n.attributes.value } })),
      });
    }
    expect(shapes[0]).toEqual(shapes[1]);
    await deliver();
    expect(smtp.last('known-code@example.com')?.subject).toBe('Login to your account');
    expect(smtp.last('ghost-code@example.com')).toBeUndefined();
  });

  it('registers by code: the address is verified, a session is issued, and the code works once', async () => {
    const email = 'code-signup@example.com';
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const nodes = flow.ui.nodes as unknown as WireNode[];
    expect(nodes.find((n) => n.group === 'code' && n.attributes.name === 'method')).toMatchObject({ attributes: { value: 'code' }, meta: { label: { id: 1040006 } } });

    const invalid = await submitRegistration(flow.id, { method: 'code', traits: { email: 'not an email' } });
    expect(invalid.status).toBe(400);
    expect((invalid.body as WireFlow).ui.nodes.find((n) => n.group === 'code' && n.attributes.name === 'traits.email')).toMatchObject({ messages: [expect.objectContaining({ id: 4000001 })] });

    const sent = await submitRegistration(flow.id, { method: 'code', traits: { email, name: { first: 'Cody' } } });
    expect(sent.status).toBe(400);
    expect(ids(sent.body)).toEqual([1040005]);
    await deliver();
    const mail = smtp.last(email) as CapturedMail;
    expect(mail.subject).toBe('Complete your account registration');
    const code = codeIn(mail);

    const wrong = await submitRegistration(flow.id, { method: 'code', code: code === '00000000' ? '11111111' : '00000000' });
    expect(ids(wrong.body)).toEqual([4040003]);

    const done = await submitRegistration(flow.id, { method: 'code', code });
    expect(done.status).toBe(200);
    expect(done.body.identity.traits).toEqual({ email, name: { first: 'Cody' } });
    expect(done.body.session_token).toEqual(expect.any(String));
    const whoami = await ory.toSession(done.body.session_token);
    expect(whoami.data.authentication_methods?.[0].method).toBe('code');

    const { data: identity } = await admin.adminGetIdentity(done.body.identity.id);
    expect(identity.verifiable_addresses?.[0]).toMatchObject({ value: email, verified: true, status: 'completed' });
    expect(identity.credentials?.code?.identifiers).toEqual([email]);

    const replay = await submitRegistration(flow.id, { method: 'code', code });
    expect(replay.status).toBe(400);
    expect(ids(replay.body)).toEqual([4040003]);

    // The new identity signs in by code through its code credential.
    const login = await codeSent(email);
    const signedIn = await submitLogin(login.flowId, { method: 'code', code: codeIn(login.mail) });
    expect(signedIn.status).toBe(200);
  });

  it('registers a browser through the magic link of the registration mail', async () => {
    const email = 'link-signup@example.com';
    const browser = request.agent(server.publicUrl);
    const { body: flow } = await browser.get('/self-service/registration/browser').set('Accept', 'application/json');
    const sent = await browser.post(`/self-service/registration?flow=${flow.id}`).set('Accept', 'application/json').send({ method: 'code', traits: { email }, csrf_token: csrfOf(flow) });
    expect(ids(sent.body)).toEqual([1040005]);
    await deliver();
    const mail = smtp.last(email) as CapturedMail;
    const link = magicLink(mail, 'registration');
    expect(`${link.origin}${link.pathname}`).toBe(`${server.publicUrl}/self-service/registration`);
    expect(Object.fromEntries(link.searchParams)).toEqual({ flow: flow.id, method: 'code', code: codeIn(mail) });
    const opened = await browser.get(`${link.pathname}${link.search}`).set('Accept', 'text/html');
    expect(opened.status).toBe(303);
    expect(cookiesOf(opened).some((c) => c.startsWith('ory_kratos_session='))).toBe(true);
    const whoami = await browser.get('/sessions/whoami').set('Accept', 'application/json');
    expect(whoami.body.identity.verifiable_addresses[0]).toMatchObject({ value: email, verified: true, status: 'completed' });
  });
});
