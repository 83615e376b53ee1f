import type { SelfServiceRecoveryFlow, SelfServiceSettingsFlow, V0alpha2Api } from '@ory/client';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { FixedClock } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../helpers/ory-client';
import { type SmtpCapture, startSmtpCapture } from '../../helpers/smtp-capture';

const ids = (flow: { ui: { messages?: { id: number }[] } }): number[] => (flow.ui.messages ?? []).map((m) => m.id);
const codeIn = (text: string): string => (/\b(\d{8})\b/.exec(text) as RegExpExecArray)[1];
const linkIn = (text: string, path: string): string => (new RegExp(`(http://[^\\s"<>]*${path}\\?[^\\s"<>]*)`).exec(text) as RegExpExecArray)[1].replace(/&amp;/g, '&');

describe('verification, recovery and settings with real SMTP delivery', () => {
  let smtp: SmtpCapture;
  let server: RunningServer;
  let ory: V0alpha2Api;
  let admin: V0alpha2Api;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    server = await bootApps(
      {
        COURIER_SMTP_CONNECTION_URI: smtp.url,
        SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
        SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
        SELFSERVICE_FLOWS_SETTINGS_LIFESPAN: '3h',
      },
      { clock },
    );
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

  async function register(email: string, password: string): Promise<{ token: string; identityId: string }> {
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const { data } = await ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password, traits: { email } });
    return { token: data.session_token as string, identityId: data.identity.id };
  }

  it('registration mails a verification code; the code verifies the address', async () => {
    const email = 'verify-me@example.com';
    const { identityId } = await register(email, 'a verification passphrase');
    await deliver();
    const mail = smtp.last(email);
    expect(mail?.subject).toMatch(/verify/i);
    const code = codeIn(mail!.text);
    const before = await admin.adminGetIdentity(identityId);
    expect(before.data.verifiable_addresses?.[0]).toMatchObject({ verified: false, status: 'sent' });

    // The mail also links to the flow it belongs to; finish it by submitting the code.
    const link = new URL(linkIn(mail!.text, '/self-service/verification'));
    const flowId = link.searchParams.get('flow') as string;
    const wrong = await request(server.publicUrl).post(`/self-service/verification?flow=${flowId}`).send({ method: 'code', code: '00000000' });
    expect(wrong.status).toBe(200);
    expect(ids(wrong.body)).toEqual([4070006]);
    const ok = await request(server.publicUrl).post(`/self-service/verification?flow=${flowId}`).send({ method: 'code', code });
    expect(ok.status).toBe(200);
    expect(ok.body.state).toBe('passed_challenge');
    expect(ids(ok.body)).toEqual([1080002]);
    const after = await admin.adminGetIdentity(identityId);
    expect(after.data.verifiable_addresses?.[0]).toMatchObject({ verified: true, status: 'completed' });
    expect(Date.parse(after.data.verifiable_addresses?.[0].verified_at as string)).not.toBeNaN();
    const replay = await request(server.publicUrl).post(`/self-service/verification?flow=${flowId}`).send({ method: 'code', code });
    expect(replay.status).toBe(400);
  });

  it('a self-service verification flow answers unknown addresses exactly like known ones', async () => {
    await register('known-verify@example.com', 'a second verification passphrase');
    await deliver();
    const answers = [];
    for (const email of ['known-verify@example.com', 'nobody-verify@example.com']) {
      const { data: flow } = await ory.initializeSelfServiceVerificationFlowWithoutBrowser();
      const res = await request(server.publicUrl).post(`/self-service/verification?flow=${flow.id}`).send({ method: 'code', email });
      answers.push({ status: res.status, state: res.body.state, messages: ids(res.body), nodes: res.body.ui.nodes.map((n: { attributes: { name: string } }) => n.attributes.name) });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ status: 200, state: 'sent_email', messages: [1080003] });
    await deliver();
    expect(smtp.last('nobody-verify@example.com')?.subject).toMatch(/someone tried/i);
    expect(smtp.last('nobody-verify@example.com')?.text).not.toMatch(/\b\d{8}\b/);
  });

  it('recovers by code, then changes the password in the settings flow it hands over', async () => {
    const email = 'recover-code@example.com';
    await register(email, 'the old passphrase!');
    const { data: flow } = await ory.initializeSelfServiceRecoveryFlowWithoutBrowser();
    expect(flow.state).toBe('choose_method');
    const sent = await ory.submitSelfServiceRecoveryFlow(flow.id, { method: 'code', email });
    expect(sent.data.state).toBe('sent_email');
    expect(ids(sent.data)).toEqual([1060003]);
    await deliver();
    const code = codeIn(smtp.last(email)!.text);
    const wrong = await ory.submitSelfServiceRecoveryFlow(flow.id, { method: 'code', code: '12345678' });
    expect(ids(wrong.data)).toEqual([4060006]);
    const passed = await ory.submitSelfServiceRecoveryFlow(flow.id, { method: 'code', code });
    expect(passed.data.state).toBe('passed_challenge');
    const cont = (passed.data as SelfServiceRecoveryFlow & { continue_with: { action: string; ory_session_token?: string; flow?: { id: string } }[] }).continue_with;
    const token = cont.find((c) => c.action === 'set_ory_session_token')?.ory_session_token as string;
    const settingsId = cont.find((c) => c.action === 'show_settings_ui')?.flow?.id as string;
    const whoami = await ory.toSession(token);
    expect(whoami.data.authentication_methods?.[0].method).toBe('code_recovery');
    const { data: settings } = await ory.getSelfServiceSettingsFlow(settingsId, token);
    expect(ids(settings)).toEqual([1060001]);
    const changed = await ory.submitSelfServiceSettingsFlow(settingsId, { method: 'password', password: 'the brand new passphrase' }, token);
    expect(changed.data.state).toBe('success');
    expect(ids(changed.data)).toEqual([1050001]);

    const login = async (pw: string) => {
      const { data: lf } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
      return ory.submitSelfServiceLoginFlow(lf.id, { method: 'password', identifier: email, password: pw });
    };
    expect((await login('the brand new passphrase')).status).toBe(200);
    expect((await oryFailure(login('the old passphrase!'))).status).toBe(400);
    // Receiving the mail proved the address.
    const identity = await server.registry.identityPool.findByCredentialsIdentifier('password', email);
    expect(identity?.verifiableAddresses[0].verified).toBe(true);
  });

  it('invalidates a recovery flow after five wrong codes', async () => {
    const email = 'brute@example.com';
    await register(email, 'a brute-force passphrase');
    const { data: flow } = await ory.initializeSelfServiceRecoveryFlowWithoutBrowser();
    await ory.submitSelfServiceRecoveryFlow(flow.id, { method: 'code', email });
    await deliver();
    const code = codeIn(smtp.last(email)!.text);
    for (let i = 0; i < 4; i++) expect(ids((await ory.submitSelfServiceRecoveryFlow(flow.id, { method: 'code', code: '99999999' })).data)).toEqual([4060006]);
    const fifth = await oryFailure(ory.submitSelfServiceRecoveryFlow(flow.id, { method: 'code', code: '99999999' }));
    expect(fifth.status).toBe(400);
    expect(ids(fifth.data as SelfServiceRecoveryFlow)).toEqual([4060002]);
    const right = await oryFailure(ory.submitSelfServiceRecoveryFlow(flow.id, { method: 'code', code }));
    expect(ids(right.data as SelfServiceRecoveryFlow)).toEqual([4060002]);
  });

  it('recovery answers an unknown address exactly like a known one', async () => {
    await register('known-recover@example.com', 'a known recovery passphrase');
    const shapes = [];
    for (const email of ['known-recover@example.com', 'ghost@example.com']) {
      const { data: flow } = await ory.initializeSelfServiceRecoveryFlowWithoutBrowser();
      const res = await request(server.publicUrl).post(`/self-service/recovery?flow=${flow.id}`).send({ method: 'code', email });
      shapes.push({ status: res.status, state: res.body.state, messages: ids(res.body), keys: Object.keys(res.body).sort() });
    }
    expect(shapes[0]).toEqual(shapes[1]);
    await deliver();
    expect(smtp.last('ghost@example.com')?.subject).toMatch(/account access attempted/i);
  });

  it('recovers through an admin-created link in a browser, landing on the settings UI with a session cookie', async () => {
    const email = 'admin-link@example.com';
    const { identityId } = await register(email, 'an admin link passphrase');
    const { data } = await admin.adminCreateSelfServiceRecoveryLink({ identity_id: identityId, expires_in: '12h' });
    expect(data.recovery_link).toMatch(/\/self-service\/recovery\?flow=[0-9a-f-]{36}&token=[A-Za-z0-9]{32}$/);
    const url = new URL(data.recovery_link);
    const res = await request(server.publicUrl).get(`${url.pathname}${url.search}`).set('Accept', 'text/html');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:4455\/settings\?flow=[0-9a-f-]{36}$/);
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).some((c) => c.startsWith('ory_kratos_session='))).toBe(true);
    const again = await request(server.publicUrl).get(`${url.pathname}${url.search}`).set('Accept', 'application/json');
    expect(again.status).toBe(400);
  });

  it('admin recovery codes: 201 with code and link; bad input is refused', async () => {
    const { identityId } = await register('admin-code@example.com', 'an admin code passphrase');
    const created = await admin.adminCreateSelfServiceRecoveryCode({ identity_id: identityId, expires_in: '1h' });
    expect(created.status).toBe(201);
    expect(created.data.recovery_code).toMatch(/^\d{8}$/);
    expect(created.data.recovery_link).toMatch(/^http:\/\/127\.0\.0\.1:4455\/recovery\?flow=/);
    const flowId = new URL(created.data.recovery_link).searchParams.get('flow') as string;
    const agent = request.agent(server.publicUrl);
    const redeemed = await agent.post(`/self-service/recovery?flow=${flowId}`).set('Accept', 'application/json').send({ method: 'code', code: created.data.recovery_code });
    expect(redeemed.status).toBe(422);
    expect(redeemed.body.error.id).toBe('browser_location_change_required');
    expect(redeemed.body.redirect_browser_to).toMatch(/\/settings\?flow=/);

    expect((await oryFailure(admin.adminCreateSelfServiceRecoveryCode({ identity_id: '00000000-0000-4000-8000-000000000000' }))).status).toBe(404);
    expect((await oryFailure(admin.adminCreateSelfServiceRecoveryLink({ identity_id: '00000000-0000-4000-8000-000000000000' }))).status).toBe(400);
    expect((await oryFailure(admin.adminCreateSelfServiceRecoveryLink({ identity_id: identityId, expires_in: 'soon' }))).status).toBe(400);
  });

  it('settings: profile changes save, protected ones need a recent login, other identities are refused', async () => {
    const email = 'settings@example.com';
    const { token } = await register(email, 'a settings passphrase');
    const { data: flow } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(token);
    expect(flow.state).toBe('show_form');
    expect((flow as SelfServiceSettingsFlow).identity.traits).toEqual({ email });
    const names = flow.ui.nodes.map((n) => (n.attributes as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(['csrf_token', 'traits.email', 'traits.name.first', 'method', 'password']));
    const saved = await ory.submitSelfServiceSettingsFlow(flow.id, { method: 'profile', traits: { email, name: { first: 'Sam' } } }, token);
    expect(saved.data.state).toBe('success');
    expect(saved.data.identity.traits).toEqual({ email, name: { first: 'Sam' } });

    const invalid = await oryFailure(ory.submitSelfServiceSettingsFlow(flow.id, { method: 'profile', traits: { email: 'not-an-email' } }, token));
    expect(invalid.status).toBe(400);

    clock.advance(61 * 60 * 1000);
    const stale = await oryFailure(ory.submitSelfServiceSettingsFlow(flow.id, { method: 'profile', traits: { email: 'settings2@example.com' } }, token));
    expect(stale.status).toBe(403);
    expect((stale.data as { error: { id: string }; redirect_browser_to: string }).error.id).toBe('session_refresh_required');
    expect((stale.data as { redirect_browser_to: string }).redirect_browser_to).toContain('/self-service/login/browser?refresh=true&return_to=');
    const unprotected = await ory.submitSelfServiceSettingsFlow(flow.id, { method: 'profile', traits: { email, name: { first: 'Sammy' } } }, token);
    expect(unprotected.data.state).toBe('success');
    const pw = await oryFailure(ory.submitSelfServiceSettingsFlow(flow.id, { method: 'password', password: 'another good passphrase' }, token));
    expect(pw.status).toBe(403);

    const other = await register('someone-else@example.com', 'someone else passphrase');
    expect((await oryFailure(ory.getSelfServiceSettingsFlow(flow.id, other.token))).status).toBe(403);
    expect((await oryFailure(ory.initializeSelfServiceSettingsFlowWithoutBrowser())).status).toBe(401);
  });

  it('refuses disabled flows with 400', async () => {
    const off = await bootApps({ SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'false', SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'false' });
    try {
      const rec = await request(off.publicUrl).get('/self-service/recovery/api');
      expect(rec.status).toBe(400);
      expect(rec.body.error.reason).toBe('Recovery is not allowed because it was disabled.');
      expect((await request(off.publicUrl).get('/self-service/verification/api')).body.error.reason).toBe('Verification is not allowed because it was disabled.');
    } finally {
      await off.close();
    }
  });
});
