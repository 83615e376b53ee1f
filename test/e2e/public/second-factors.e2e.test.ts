import type { SelfServiceLoginFlow, SelfServiceSettingsFlow, UiNode, UiNodeInputAttributes, UiText, V0alpha2Api } from '@ory/client';
import { generateSync } from 'otplib';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { FixedClock } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../helpers/ory-client';
import { testCtx } from '../../../libs/x/testing';

const ctx = testCtx();

type Attrs = UiNodeInputAttributes & { id?: string; src?: string; text?: UiText & { context?: Record<string, unknown> } };
const attrs = (n: UiNode): Attrs => n.attributes as Attrs;
const byName = (nodes: UiNode[], name: string): UiNode | undefined => nodes.find((n) => attrs(n).name === name || attrs(n).id === name);
const groupNames = (nodes: UiNode[], group: string): string[] => nodes.filter((n) => n.group === group).map((n) => attrs(n).name ?? attrs(n).id ?? '');
const flowMessageIds = (flow: { ui: { messages?: { id: number }[] } }): number[] => (flow.ui.messages ?? []).map((m) => m.id);
const nodeMessageIds = (flow: { ui: { nodes: UiNode[] } }, name: string): number[] => (byName(flow.ui.nodes, name)?.messages ?? []).map((m) => m.id);
const allMessageIds = (flow: { ui: { nodes: UiNode[]; messages?: { id: number }[] } }): number[] => [...flowMessageIds(flow), ...flow.ui.nodes.flatMap((n) => n.messages.map((m) => m.id))];

interface ContinueWith {
  action: string;
  flow: { id: string; requested_aal: string; url: string };
}

describe('second factors (TOTP, lookup secrets) and AAL2 through @ory/client', () => {
  let server: RunningServer;
  let ory: V0alpha2Api;
  const clock = new FixedClock(new Date('2026-03-02T09:00:05.000Z'));
  /** The code an authenticator app shows right now (the server's clock is the FixedClock). */
  const totpNow = (secret: string): string => generateSync({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
  const nextStep = (): void => clock.advance(30_000);

  beforeAll(async () => {
    server = await bootApps(
      {
        SELFSERVICE_METHODS_TOTP_ENABLED: 'true',
        SELFSERVICE_METHODS_TOTP_CONFIG_ISSUER: 'Tessera Test',
        SELFSERVICE_METHODS_LOOKUP_SECRET_ENABLED: 'true',
        SELFSERVICE_FLOWS_SETTINGS_LIFESPAN: '3h',
      },
      { clock },
    );
    ory = oryClient(server.publicUrl);
  });
  afterAll(() => server.close());

  async function register(email: string, password: string): Promise<{ token: string; identityId: string }> {
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const { data } = await ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password, traits: { email } });
    return { token: data.session_token as string, identityId: data.identity.id };
  }

  /** Password login; returns the aal1 token and the aal2 flow the response names as next step. */
  async function passwordLogin(email: string, password: string): Promise<{ token: string; aal2FlowId: string; body: Record<string, unknown> }> {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const { data } = await ory.submitSelfServiceLoginFlow(flow.id, { method: 'password', identifier: email, password });
    const cont = (data as unknown as { continue_with?: ContinueWith[] }).continue_with;
    return { token: data.session_token as string, aal2FlowId: cont?.[0]?.flow.id as string, body: data as unknown as Record<string, unknown> };
  }

  async function settingsFlow(token: string): Promise<SelfServiceSettingsFlow> {
    return (await ory.initializeSelfServiceSettingsFlowWithoutBrowser(token)).data;
  }

  async function storedConfig(identityId: string, type: string): Promise<string> {
    const rows: { config: unknown }[] = await server.registry.persistence.dataSource.query('SELECT config FROM identity_credentials WHERE identity_id = ? AND type = ?', [identityId, type]);
    expect(rows).toHaveLength(1);
    return typeof rows[0].config === 'string' ? rows[0].config : JSON.stringify(rows[0].config);
  }

  describe('TOTP', () => {
    const email = 'totp-user@example.com';
    const password = 'a long totp passphrase';
    let identityId: string;
    let secret: string;
    let aal2Token: string;

    it('renders a QR code, the secret and a code input in settings, and links the app after a correct code', async () => {
      const reg = await register(email, password);
      identityId = reg.identityId;
      const flow = await settingsFlow(reg.token);
      expect(groupNames(flow.ui.nodes, 'totp')).toEqual(['totp_qr', 'totp_secret_key', 'totp_code', 'method']);
      const qr = byName(flow.ui.nodes, 'totp_qr')!;
      expect(qr.type).toBe('img');
      expect(attrs(qr)).toMatchObject({ id: 'totp_qr', width: 256, height: 256, node_type: 'img' });
      expect(attrs(qr).src).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
      expect(qr.meta.label).toMatchObject({ id: 1050005 });
      const text = byName(flow.ui.nodes, 'totp_secret_key')!;
      expect(text.type).toBe('text');
      expect(text.meta.label).toMatchObject({ id: 1050017 });
      secret = attrs(text).text!.context!.secret as string;
      expect(attrs(text).text).toMatchObject({ id: 1050006, text: secret, type: 'info' });
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(attrs(byName(flow.ui.nodes, 'totp_code')!)).toMatchObject({ type: 'text', required: true });
      expect(byName(flow.ui.nodes, 'totp_code')!.meta.label).toMatchObject({ id: 1070006 });
      // The same flow keeps showing the same key (it is held server-side until confirmed).
      const again = await ory.getSelfServiceSettingsFlow(flow.id, reg.token);
      expect(attrs(byName(again.data.ui.nodes, 'totp_secret_key')!).text!.context!.secret).toBe(secret);

      const wrongCode = totpNow(secret) === '000000' ? '111111' : '000000';
      const wrong = await oryFailure(ory.submitSelfServiceSettingsFlow(flow.id, { method: 'totp', totp_code: wrongCode }, reg.token));
      expect(wrong.status).toBe(400);
      expect(nodeMessageIds(wrong.data as SelfServiceSettingsFlow, 'totp_code')).toEqual([4000008]);

      const linked = await ory.submitSelfServiceSettingsFlow(flow.id, { method: 'totp', totp_code: totpNow(secret) }, reg.token);
      expect(linked.data.state).toBe('success');
      expect(flowMessageIds(linked.data)).toEqual([1050001]);
      expect(groupNames(linked.data.ui.nodes, 'totp')).toEqual(['totp_unlink']);
      expect(attrs(byName(linked.data.ui.nodes, 'totp_unlink')!)).toMatchObject({ type: 'submit', value: 'true' });
      expect(byName(linked.data.ui.nodes, 'totp_unlink')!.meta.label).toMatchObject({ id: 1050004 });

      // The aal1 session that linked it now has to finish a second factor before whoami accepts it.
      const whoami = await oryFailure(ory.toSession(reg.token));
      expect(whoami.status).toBe(403);
      expect(whoami.data).toMatchObject({ error: { id: 'session_aal2_required', code: 403 } });
      await ory.submitSelfServiceLogoutFlowWithoutBrowser({ session_token: reg.token });
    });

    it('stores the key encrypted: the database row contains neither the secret nor the otpauth URL', async () => {
      const raw = await storedConfig(identityId, 'totp');
      expect(raw).not.toContain(secret);
      expect(raw).not.toContain('otpauth');
      expect(JSON.parse(raw).totp_url).toMatch(/^aes256gcm\$/);
      const admin = await request(server.adminUrl).get(`/admin/identities/${identityId}`);
      expect(admin.status).toBe(200);
      expect(admin.body.credentials.totp).toEqual({ type: 'totp', identifiers: [identityId], version: 0, created_at: expect.any(String), updated_at: expect.any(String) });
      expect(JSON.stringify(admin.body)).not.toContain(secret);
      expect(JSON.stringify(admin.body)).not.toContain('aes256gcm');
    });

    it('answers a password login with the aal1 token and the aal2 flow to continue with; whoami says 403 until the TOTP step', async () => {
      const login = await passwordLogin(email, password);
      expect(login.body.session).toMatchObject({ authenticator_assurance_level: 'aal1' });
      // The identity stays hidden until the second factor is done (Kratos sends it as null).
      expect((login.body.session as Record<string, unknown>).identity ?? null).toBeNull();
      const cont = (login.body.continue_with as ContinueWith[])[0];
      expect(cont).toMatchObject({ action: 'complete_second_factor', flow: { id: expect.any(String), requested_aal: 'aal2' } });

      const whoami = await oryFailure(ory.toSession(login.token));
      expect(whoami.status).toBe(403);
      expect(whoami.data).toMatchObject({ error: { id: 'session_aal2_required' }, redirect_browser_to: expect.stringContaining('/self-service/login/browser?aal=aal2') });

      const { data: aal2 } = await ory.getSelfServiceLoginFlow(login.aal2FlowId);
      expect(aal2.requested_aal).toBe('aal2');
      expect(flowMessageIds(aal2)).toEqual([1010004]);
      expect(groupNames(aal2.ui.nodes, 'totp')).toEqual(['totp_code', 'method']);
      expect(byName(aal2.ui.nodes, 'totp_code')!.meta.label).toMatchObject({ id: 1010006 });
      expect(aal2.ui.nodes.filter((n) => n.group === 'totp' && attrs(n).name === 'method').map((n) => n.meta.label?.id)).toEqual([1010009]);
      expect(groupNames(aal2.ui.nodes, 'password')).toEqual([]);

      // The code used to link the app is spent: the same step is refused (a replay within its window).
      const replay = await oryFailure(ory.submitSelfServiceLoginFlow(login.aal2FlowId, { method: 'totp', totp_code: totpNow(secret) }, login.token));
      expect(replay.status).toBe(400);
      expect(nodeMessageIds(replay.data as SelfServiceLoginFlow, 'totp_code')).toEqual([4000008]);

      // Without the aal1 session the step cannot be taken.
      nextStep();
      const anonymous = await oryFailure(ory.submitSelfServiceLoginFlow(login.aal2FlowId, { method: 'totp', totp_code: totpNow(secret) }));
      expect(anonymous.status).toBe(401);
      expect(anonymous.data).toMatchObject({ error: { id: 'session_aal1_required' } });

      const done = await ory.submitSelfServiceLoginFlow(login.aal2FlowId, { method: 'totp', totp_code: totpNow(secret) }, login.token);
      expect(done.status).toBe(200);
      expect(done.data.session.authenticator_assurance_level).toBe('aal2');
      expect(done.data.session_token).toBe(login.token);

      const me = await ory.toSession(login.token);
      expect(me.status).toBe(200);
      expect(me.data.authenticator_assurance_level).toBe('aal2');
      expect(me.data.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
        ['password', 'aal1'],
        ['totp', 'aal2'],
      ]);
      aal2Token = login.token;
    });

    it('refuses a code that was just used at login, also in the next time step', async () => {
      const usedCode = totpNow(secret);
      const login = await passwordLogin(email, password);
      const same = await oryFailure(ory.submitSelfServiceLoginFlow(login.aal2FlowId, { method: 'totp', totp_code: usedCode }, login.token));
      expect(nodeMessageIds(same.data as SelfServiceLoginFlow, 'totp_code')).toEqual([4000008]);
      nextStep();
      const stillSame = await oryFailure(ory.submitSelfServiceLoginFlow(login.aal2FlowId, { method: 'totp', totp_code: usedCode }, login.token));
      expect(nodeMessageIds(stillSame.data as SelfServiceLoginFlow, 'totp_code')).toEqual([4000008]);
      const fresh = await ory.submitSelfServiceLoginFlow(login.aal2FlowId, { method: 'totp', totp_code: totpNow(secret) }, login.token);
      expect(fresh.data.session.authenticator_assurance_level).toBe('aal2');
    });

    it('upgrades an existing aal1 session with ?aal=aal2 instead of issuing a new one', async () => {
      nextStep();
      const login = await passwordLogin(email, password);
      const before = await server.registry.sessionManager.resolve(ctx, login.token);
      const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser(undefined, 'aal2', login.token);
      expect(flow.requested_aal).toBe('aal2');
      const done = await ory.submitSelfServiceLoginFlow(flow.id, { method: 'totp', totp_code: totpNow(secret) }, login.token);
      expect(done.data.session.id).toBe(before?.session.id);
      expect(done.data.session.authentication_methods?.map((m) => m.method)).toEqual(['password', 'totp']);
      // The TOTP method answers only on aal2 flows; an aal1 flow finds no strategy for it.
      const { data: plain } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
      const misplaced = await oryFailure(ory.submitSelfServiceLoginFlow(plain.id, { method: 'totp', totp_code: '123456' }));
      expect(flowMessageIds(misplaced.data as SelfServiceLoginFlow)).toEqual([4010002]);
    });

    it('unlinks the app in settings (aal2 session), after which aal1 is enough again', async () => {
      const flow = await settingsFlow(aal2Token);
      expect(groupNames(flow.ui.nodes, 'totp')).toEqual(['totp_unlink']);
      const done = await ory.submitSelfServiceSettingsFlow(flow.id, { method: 'totp', totp_unlink: true }, aal2Token);
      expect(done.data.state).toBe('success');
      expect(groupNames(done.data.ui.nodes, 'totp')).toEqual(['totp_qr', 'totp_secret_key', 'totp_code', 'method']);
      const admin = await request(server.adminUrl).get(`/admin/identities/${identityId}`);
      expect(admin.body.credentials.totp).toBeUndefined();
      const login = await passwordLogin(email, password);
      expect(login.body.continue_with).toBeUndefined();
      expect((await ory.toSession(login.token)).data.authenticator_assurance_level).toBe('aal1');
    });
  });

  describe('lookup secrets (backup recovery codes)', () => {
    const email = 'lookup-user@example.com';
    const password = 'a long lookup passphrase';
    let identityId: string;
    let codes: string[];

    it('regenerates 12 codes (shown, not saved), then confirms them', async () => {
      const reg = await register(email, password);
      identityId = reg.identityId;
      const flow = await settingsFlow(reg.token);
      expect(groupNames(flow.ui.nodes, 'lookup_secret')).toEqual(['lookup_secret_regenerate']);
      expect(byName(flow.ui.nodes, 'lookup_secret_regenerate')!.meta.label).toMatchObject({ id: 1050008 });

      const shown = await ory.submitSelfServiceSettingsFlow(flow.id, { method: 'lookup_secret', lookup_secret_regenerate: true }, reg.token);
      expect(shown.status).toBe(200);
      expect(shown.data.state).toBe('show_form');
      expect(groupNames(shown.data.ui.nodes, 'lookup_secret')).toEqual(['lookup_secret_codes', 'lookup_secret_regenerate', 'lookup_secret_confirm']);
      const list = byName(shown.data.ui.nodes, 'lookup_secret_codes')!;
      expect(list.type).toBe('text');
      expect(list.meta.label).toMatchObject({ id: 1050010 });
      const text = attrs(list).text!;
      expect(text.id).toBe(1050015);
      const secrets = text.context!.secrets as { id: number; text: string; context: { secret: string } }[];
      codes = secrets.map((s) => s.context.secret);
      expect(codes).toHaveLength(12);
      for (const c of codes) expect(c).toMatch(/^[a-z0-9]{8}$/);
      expect(secrets.every((s) => s.id === 1050009)).toBe(true);
      expect(text.text).toBe(codes.join(', '));
      // Not saved yet.
      expect((await request(server.adminUrl).get(`/admin/identities/${identityId}`)).body.credentials.lookup_secret).toBeUndefined();

      const confirmed = await ory.submitSelfServiceSettingsFlow(flow.id, { method: 'lookup_secret', lookup_secret_confirm: true }, reg.token);
      expect(confirmed.data.state).toBe('success');
      expect(groupNames(confirmed.data.ui.nodes, 'lookup_secret')).toEqual(['lookup_secret_reveal', 'lookup_secret_disable']);
      expect(JSON.stringify(confirmed.data)).not.toContain(codes[0]);
      const admin = await request(server.adminUrl).get(`/admin/identities/${identityId}`);
      expect(admin.body.credentials.lookup_secret).toEqual({ type: 'lookup_secret', identifiers: [identityId], version: 0, created_at: expect.any(String), updated_at: expect.any(String) });

      const raw = await storedConfig(identityId, 'lookup_secret');
      for (const c of codes) expect(raw).not.toContain(c);
      expect(JSON.parse(raw).recovery_codes).toHaveLength(12);

      // The codes are a second factor: the aal1 session is no longer enough for whoami or settings.
      expect((await oryFailure(ory.toSession(reg.token))).status).toBe(403);
      const settings = await oryFailure(ory.initializeSelfServiceSettingsFlowWithoutBrowser(reg.token));
      expect(settings.status).toBe(403);
      expect(settings.data).toMatchObject({ error: { id: 'session_aal2_required' } });
    });

    it('accepts each code once as the second login step: unknown 4000016, used 4000012', async () => {
      const login = await passwordLogin(email, password);
      const { data: aal2 } = await ory.getSelfServiceLoginFlow(login.aal2FlowId);
      expect(groupNames(aal2.ui.nodes, 'lookup_secret')).toEqual(['lookup_secret', 'method']);
      expect(byName(aal2.ui.nodes, 'lookup_secret')!.meta.label).toMatchObject({ id: 1010007 });
      expect(groupNames(aal2.ui.nodes, 'totp')).toEqual([]);

      const unknown = await oryFailure(ory.submitSelfServiceLoginFlow(login.aal2FlowId, { method: 'lookup_secret', lookup_secret: 'zzzzzzzz' }, login.token));
      expect(unknown.status).toBe(400);
      expect(allMessageIds(unknown.data as SelfServiceLoginFlow)).toEqual([4000016]);

      const ok = await ory.submitSelfServiceLoginFlow(login.aal2FlowId, { method: 'lookup_secret', lookup_secret: codes[0].toUpperCase() }, login.token);
      expect(ok.data.session.authenticator_assurance_level).toBe('aal2');
      const me = await ory.toSession(login.token);
      expect(me.data.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
        ['password', 'aal1'],
        ['lookup_secret', 'aal2'],
      ]);

      const again = await passwordLogin(email, password);
      const used = await oryFailure(ory.submitSelfServiceLoginFlow(again.aal2FlowId, { method: 'lookup_secret', lookup_secret: codes[0] }, again.token));
      expect(used.status).toBe(400);
      expect(allMessageIds(used.data as SelfServiceLoginFlow)).toEqual([4000012]);
      const second = await ory.submitSelfServiceLoginFlow(again.aal2FlowId, { method: 'lookup_secret', lookup_secret: codes[1] }, again.token);
      expect(second.data.session.authenticator_assurance_level).toBe('aal2');

      // Reveal lists which codes are used (codes are stored hashed, so unused ones are masked).
      const flow = await settingsFlow(again.token);
      const revealed = await ory.submitSelfServiceSettingsFlow(flow.id, { method: 'lookup_secret', lookup_secret_reveal: true }, again.token);
      const text = attrs(byName(revealed.data.ui.nodes, 'lookup_secret_codes')!).text!;
      const entries = text.context!.secrets as { id: number; context: Record<string, unknown> }[];
      expect(entries.map((e) => e.id)).toEqual([1050014, 1050014, ...Array(10).fill(1050009)]);
      expect(entries[0].context.used_at).toEqual(expect.any(String));
      expect(text.text.split(', ').slice(0, 3)).toEqual(['used', 'used', '********']);
      expect(JSON.stringify(revealed.data)).not.toContain(codes[2]);
      expect(groupNames(revealed.data.ui.nodes, 'lookup_secret')).toEqual(['lookup_secret_codes', 'lookup_secret_regenerate', 'lookup_secret_disable']);
    });

    it('lets an admin remove the codes (DELETE /admin/identities/{id}/credentials/lookup_secret)', async () => {
      const login = await passwordLogin(email, password);
      expect((await oryFailure(ory.toSession(login.token))).status).toBe(403);
      const base = `/admin/identities/${identityId}/credentials`;
      expect((await request(server.adminUrl).delete(`${base}/password`)).status).toBe(400);
      expect((await request(server.adminUrl).delete(`${base}/totp`)).status).toBe(404);
      expect((await request(server.adminUrl).delete(`${base}/unknown`)).status).toBe(404);
      expect((await request(server.adminUrl).delete(`/admin/identities/00000000-0000-4000-8000-000000000000/credentials/lookup_secret`)).status).toBe(404);
      const removed = await request(server.adminUrl).delete(`${base}/lookup_secret`);
      expect(removed.status).toBe(204);
      const admin = await request(server.adminUrl).get(`/admin/identities/${identityId}`);
      expect(Object.keys(admin.body.credentials)).toEqual(['password']);
      expect((await request(server.adminUrl).delete(`${base}/lookup_secret`)).status).toBe(404);
      // The same aal1 session is enough now.
      expect((await ory.toSession(login.token)).data.authenticator_assurance_level).toBe('aal1');
    });

    it('disables the codes in settings (aal2 session)', async () => {
      const mail = 'lookup-disable@example.com';
      const { token, identityId: id } = await register(mail, password);
      const flow = await settingsFlow(token);
      const shown = await ory.submitSelfServiceSettingsFlow(flow.id, { method: 'lookup_secret', lookup_secret_regenerate: true }, token);
      const mine = (attrs(byName(shown.data.ui.nodes, 'lookup_secret_codes')!).text!.context!.secrets as { context: { secret: string } }[]).map((e) => e.context.secret);
      await ory.submitSelfServiceSettingsFlow(flow.id, { method: 'lookup_secret', lookup_secret_confirm: true }, token);
      const login = await passwordLogin(mail, password);
      await ory.submitSelfServiceLoginFlow(login.aal2FlowId, { method: 'lookup_secret', lookup_secret: mine[11] }, login.token);

      const next = await settingsFlow(login.token);
      // Nothing is pending in a fresh flow: confirm has nothing to save.
      const nothing = await oryFailure(ory.submitSelfServiceSettingsFlow(next.id, { method: 'lookup_secret', lookup_secret_confirm: true }, login.token));
      expect(nothing.status).toBe(400);
      expect(flowMessageIds(nothing.data as SelfServiceSettingsFlow)).toEqual([4000001]);
      const disabled = await ory.submitSelfServiceSettingsFlow(next.id, { method: 'lookup_secret', lookup_secret_disable: true }, login.token);
      expect(disabled.data.state).toBe('success');
      expect(groupNames(disabled.data.ui.nodes, 'lookup_secret')).toEqual(['lookup_secret_regenerate']);
      expect((await request(server.adminUrl).get(`/admin/identities/${id}`)).body.credentials.lookup_secret).toBeUndefined();
    });
  });

  describe('privileged sessions and AAL config', () => {
    it('needs a recent login to link TOTP (403 session_refresh_required)', async () => {
      const { token } = await register('stale-session@example.com', 'a long stale passphrase');
      const flow = await settingsFlow(token);
      const secret = attrs(byName(flow.ui.nodes, 'totp_secret_key')!).text!.context!.secret as string;
      clock.advance(2 * 60 * 60 * 1000);
      const stale = await oryFailure(ory.submitSelfServiceSettingsFlow(flow.id, { method: 'totp', totp_code: totpNow(secret) }, token));
      expect(stale.status).toBe(403);
      expect(stale.data).toMatchObject({ error: { id: 'session_refresh_required' } });
    });

    it('with required_aal aal1 for whoami and settings, a TOTP identity keeps using aal1 sessions', async () => {
      const relaxedClock = new FixedClock(new Date('2026-03-02T12:00:05.000Z'));
      const relaxed = await bootApps(
        { SELFSERVICE_METHODS_TOTP_ENABLED: 'true', SESSION_WHOAMI_REQUIRED_AAL: 'aal1', SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL: 'aal1' },
        { clock: relaxedClock },
      );
      try {
        const client = oryClient(relaxed.publicUrl);
        const { data: reg } = await client.submitSelfServiceRegistrationFlow((await client.initializeSelfServiceRegistrationFlowWithoutBrowser()).data.id, {
          method: 'password',
          password: 'a relaxed passphrase',
          traits: { email: 'relaxed@example.com' },
        });
        const token = reg.session_token as string;
        const { data: flow } = await client.initializeSelfServiceSettingsFlowWithoutBrowser(token);
        const secret = attrs(byName(flow.ui.nodes, 'totp_secret_key')!).text!.context!.secret as string;
        expect(new URL(attrs(byName(flow.ui.nodes, 'totp_qr')!).src as string).protocol).toBe('data:');
        const code = generateSync({ secret, epoch: Math.floor(relaxedClock.now().getTime() / 1000) });
        await client.submitSelfServiceSettingsFlow(flow.id, { method: 'totp', totp_code: code }, token);
        expect((await client.toSession(token)).data.authenticator_assurance_level).toBe('aal1');
        expect((await client.initializeSelfServiceSettingsFlowWithoutBrowser(token)).status).toBe(200);
        const { data: lf } = await client.initializeSelfServiceLoginFlowWithoutBrowser();
        const { data } = await client.submitSelfServiceLoginFlow(lf.id, { method: 'password', identifier: 'relaxed@example.com', password: 'a relaxed passphrase' });
        expect((data as unknown as { continue_with?: unknown }).continue_with).toBeUndefined();
        expect(data.session.identity?.id).toBe(reg.identity.id);
      } finally {
        await relaxed.close();
      }
    });
  });
});
