import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { FixedClock } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { Browser } from '../../helpers/browser';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { type SmtpCapture, startSmtpCapture } from '../../helpers/smtp-capture';

interface WireNode {
  group: string;
  attributes: { name?: string; id?: string; type?: string; value?: unknown };
  messages: { id: number; text: string }[];
}
interface WireFlow {
  id: string;
  state?: string;
  ui: { nodes: WireNode[]; messages?: { id: number; text: string }[] };
}

jest.setTimeout(60_000);

const UI = 'http://127.0.0.1:4455';
const nodeMessages = (flow: WireFlow, name: string) => flow.ui.nodes.find((n) => n.attributes.name === name)?.messages ?? [];
const ids = (flow: WireFlow): number[] => (flow.ui.messages ?? []).map((m) => m.id);
const csrfOf = (flow: WireFlow): string => flow.ui.nodes.find((n) => n.attributes.name === 'csrf_token')?.attributes.value as string;
const linkIn = (text: string, path: string): string => (new RegExp(`(http://[^\\s"<>]*${path}\\?[^\\s"<>]*)`).exec(text) as RegExpExecArray)[1].replace(/&amp;/g, '&');
const atUi = (url: string): boolean => url.startsWith(UI);

/**
 * Kratos compatibility as Ory's UIs (Ory Elements, kratos-selfservice-ui-node) and mail apps exercise
 * it: links opened in a fresh browser, buttons submitted without `method`, configured hooks, return
 * URLs per method, validation messages on nodes.
 */
for (const factory of databaseFactories()) {
  describe(`Kratos compatibility through HTTP (${factory.label})`, () => {
    let db: TestDatabase;
    let smtp: SmtpCapture;
    let server: RunningServer;

    beforeAll(async () => {
      db = await factory.create();
      smtp = await startSmtpCapture();
      server = await bootApps({
        DSN: db.dsn,
        COURIER_SMTP_CONNECTION_URI: smtp.url,
        SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
        SELFSERVICE_FLOWS_RECOVERY_USE: 'link',
        SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
        SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL: 'aal1',
        SELFSERVICE_METHODS_TOTP_ENABLED: 'true',
        SELFSERVICE_METHODS_LOOKUP_SECRET_ENABLED: 'true',
        SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
        SELFSERVICE_FLOWS_LOGIN_AFTER_DEFAULT_BROWSER_RETURN_URL: `${UI}/after-login`,
        SELFSERVICE_FLOWS_LOGIN_AFTER_PASSWORD_DEFAULT_BROWSER_RETURN_URL: `${UI}/after-password-login`,
        SELFSERVICE_FLOWS_LOGIN_AFTER_CODE_DEFAULT_BROWSER_RETURN_URL: `${UI}/after-code-login`,
        SELFSERVICE_FLOWS_REGISTRATION_AFTER_CODE_DEFAULT_BROWSER_RETURN_URL: `${UI}/after-code-registration`,
        SELFSERVICE_FLOWS_REGISTRATION_AFTER_DEFAULT_BROWSER_RETURN_URL: `${UI}/after-registration`,
      });
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
      await db?.drop();
    });

    const deliver = async (): Promise<void> => {
      await server.registry.dispatcher.dispatchOnce();
    };
    const api = () => request(server.publicUrl);

    /** Registers `email` through an API flow (password method). */
    async function register(email: string, password: string): Promise<void> {
      const { body: flow } = await api().get('/self-service/registration/api');
      const res = await api().post(`/self-service/registration?flow=${flow.id}`).send({ method: 'password', password, traits: { email } });
      expect(res.status).toBe(200);
    }

    /** Fetches a browser flow as a UI does on the server side: forwarding the browser's cookies. */
    async function fetchFlow(browser: Browser, kind: string, id: string): Promise<WireFlow> {
      const page = await browser.navigate(`${server.publicUrl}/self-service/${kind}/flows?id=${id}`, () => false, { headers: { accept: 'application/json' } });
      expect(page.status).toBe(200);
      return JSON.parse(page.body as string) as WireFlow;
    }

    /** Posts a form to a flow like a server-rendered UI; returns where the browser ends up. */
    function postForm(browser: Browser, kind: string, id: string, fields: Record<string, string>) {
      return browser.navigate(`${server.publicUrl}/self-service/${kind}?flow=${id}`, atUi, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: new URLSearchParams(fields).toString(),
      });
    }

    /** Posts JSON to a flow like an SPA (Ory Elements) with the browser's cookies; status and body. */
    async function postJson(browser: Browser, kind: string, id: string, body: Record<string, unknown>): Promise<{ status: number; flow: WireFlow }> {
      const page = await browser.navigate(`${server.publicUrl}/self-service/${kind}?flow=${id}`, () => false, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: page.status as number, flow: JSON.parse(page.body as string) as WireFlow };
    }

    /** A browser signed in through a browser registration flow (the `session` hook). */
    async function signedUpBrowser(email: string): Promise<Browser> {
      const browser = new Browser();
      const started = await browser.navigate(`${server.publicUrl}/self-service/registration/browser`, atUi);
      const id = new URL(started.url).searchParams.get('flow') as string;
      const flow = await fetchFlow(browser, 'registration', id);
      const done = await postForm(browser, 'registration', id, { csrf_token: csrfOf(flow), method: 'password', password: 'a sign-up passphrase', 'traits.email': email });
      expect(done.hops[0].status).toBe(303);
      expect(done.url).not.toMatch(/\/(error|registration)\?/);
      return browser;
    }

    /** A new browser settings flow of the signed-in browser. */
    async function settingsFlow(browser: Browser): Promise<WireFlow> {
      const started = await browser.navigate(`${server.publicUrl}/self-service/settings/browser`, atUi);
      return fetchFlow(browser, 'settings', new URL(started.url).searchParams.get('flow') as string);
    }

    it('settings buttons submitted without `method` (Ory Elements) go to the method their fields belong to', async () => {
      const email = `no-method-${factory.label}@example.com`;
      const browser = await signedUpBrowser(email);
      const flow = await settingsFlow(browser);

      const unlink = await postJson(browser, 'settings', flow.id, { csrf_token: csrfOf(flow), totp_unlink: true });
      expect(unlink.status).toBe(400);
      expect(ids(unlink.flow)).toEqual([4000011]);

      const regenerated = await postJson(browser, 'settings', flow.id, { csrf_token: csrfOf(flow), lookup_secret_regenerate: true });
      expect(regenerated.status).toBe(200);
      expect(regenerated.flow.ui.nodes.map((n) => n.attributes.name ?? n.attributes.id)).toEqual(expect.arrayContaining(['lookup_secret_codes', 'lookup_secret_confirm']));
      const confirmed = await postJson(browser, 'settings', flow.id, { csrf_token: csrfOf(regenerated.flow), lookup_secret_confirm: 'true' });
      expect(confirmed.status).toBe(200);
      expect(confirmed.flow.state).toBe('success');
      const identity = await server.registry.identityPool.findByCredentialsIdentifier('password', email);
      const stored = await server.registry.privilegedIdentityPool.get(identity!.id);
      expect(stored?.credentials.lookup_secret).toBeDefined();

      const again = await settingsFlow(browser);
      const disabled = await postJson(browser, 'settings', again.id, { csrf_token: csrfOf(again), lookup_secret_disable: true });
      expect(disabled.status).toBe(200);
      expect((await server.registry.privilegedIdentityPool.get(identity!.id))?.credentials.lookup_secret).toBeUndefined();

      // A body no method claims is still refused with Kratos's message.
      const nothing = await postJson(browser, 'settings', again.id, { csrf_token: csrfOf(again), something: 'else' });
      expect(nothing.status).toBe(400);
      expect(ids(nothing.flow)).toEqual([4010004]);
    });

    it('verification and recovery refuse an invalid address with 400 and the validation message on the email node', async () => {
      for (const kind of ['verification', 'recovery']) {
        const { body: flow } = await api().get(`/self-service/${kind}/api`);
        const res = await api().post(`/self-service/${kind}?flow=${flow.id}`).send({ method: kind === 'recovery' ? 'link' : 'code', email: 'not-an-email' });
        expect(res.status).toBe(400);
        expect(res.body.state).toBe('choose_method');
        expect(nodeMessages(res.body, 'email')).toEqual([{ id: 4000001, text: '"not-an-email" is not valid "email"', type: 'error' }]);
        expect(res.body.ui.nodes.find((n: WireNode) => n.attributes.name === 'email').attributes.value).toBe('not-an-email');
      }
      await deliver();
      expect(smtp.mails.some((m) => m.to.includes('not-an-email'))).toBe(false);
    });

    /** A browser login flow started with `query`, as the UI fetches it. */
    async function loginFlow(browser: Browser, query = ''): Promise<WireFlow> {
      const started = await browser.navigate(`${server.publicUrl}/self-service/login/browser${query}`, atUi);
      return fetchFlow(browser, 'login', new URL(started.url).searchParams.get('flow') as string);
    }

    it('a completed flow returns to the completing method\'s URL, then the flow\'s, then the global default', async () => {
      const email = `return-url-${factory.label}@example.com`;
      // Registration by password: no password-specific URL is set, so the flow's.
      const registered = new Browser();
      const started = await registered.navigate(`${server.publicUrl}/self-service/registration/browser`, atUi);
      const regId = new URL(started.url).searchParams.get('flow') as string;
      const reg = await fetchFlow(registered, 'registration', regId);
      const signedUp = await postForm(registered, 'registration', regId, { csrf_token: csrfOf(reg), method: 'password', password: 'a return url passphrase', 'traits.email': email });
      expect(signedUp.url).toBe(`${UI}/after-registration`);

      // A one-time code login goes to the code method's URL, not the password method's.
      const browser = new Browser();
      const flow = await loginFlow(browser);
      const sent = await postForm(browser, 'login', flow.id, { csrf_token: csrfOf(flow), method: 'code', identifier: email });
      expect(sent.url).toBe(`${UI}/login?flow=${flow.id}`);
      await deliver();
      const code = (/\b(\d{8})\b/.exec(smtp.last(email)!.text) as RegExpExecArray)[1];
      const withCode = await fetchFlow(browser, 'login', flow.id);
      const byCode = await postForm(browser, 'login', flow.id, { csrf_token: csrfOf(withCode), method: 'code', identifier: email, code });
      expect(byCode.url).toBe(`${UI}/after-code-login`);

      // A password login goes to the password method's URL; return_to wins over all of them.
      const other = new Browser();
      const pwFlow = await loginFlow(other);
      const byPassword = await postForm(other, 'login', pwFlow.id, { csrf_token: csrfOf(pwFlow), method: 'password', identifier: email, password: 'a return url passphrase' });
      expect(byPassword.url).toBe(`${UI}/after-password-login`);
      const third = new Browser();
      const toFlow = await loginFlow(third, `?return_to=${encodeURIComponent(`${UI}/somewhere`)}`);
      const returned = await postForm(third, 'login', toFlow.id, { csrf_token: csrfOf(toFlow), method: 'password', identifier: email, password: 'a return url passphrase' });
      expect(returned.url).toBe(`${UI}/somewhere`);
    });

    it('a recovery link opened in a fresh browser ends in a settings flow whose password change succeeds', async () => {
      const email = `fresh-browser-${factory.label}@example.com`;
      await register(email, 'the forgotten passphrase');
      // The user asks for recovery in one browser …
      const first = new Browser();
      const started = await first.navigate(`${server.publicUrl}/self-service/recovery/browser`, atUi);
      const recoveryId = new URL(started.url).searchParams.get('flow') as string;
      const recovery = await fetchFlow(first, 'recovery', recoveryId);
      const sent = await postForm(first, 'recovery', recoveryId, { csrf_token: csrfOf(recovery), method: 'link', email });
      expect(sent.url).toBe(`${UI}/recovery?flow=${recoveryId}`);
      await deliver();
      const link = linkIn(smtp.last(email)!.text, '/self-service/recovery');

      // … and the mail app opens the link in another one, with no cookies at all.
      const fresh = new Browser();
      const landed = await fresh.navigate(link, atUi);
      expect(landed.url).toMatch(new RegExp(`^${UI}/settings\\?flow=[0-9a-f-]{36}$`));
      const settingsId = new URL(landed.url).searchParams.get('flow') as string;
      const settings = await fetchFlow(fresh, 'settings', settingsId);
      const changed = await postForm(fresh, 'settings', settingsId, { csrf_token: csrfOf(settings), method: 'password', password: 'a brand new passphrase' });
      expect(changed.hops[0].status).toBe(303);
      expect(changed.url).not.toMatch(/\/error\?id=/);
      const done = await fetchFlow(fresh, 'settings', settingsId);
      expect(done.state).toBe('success');

      const { body: login } = await api().get('/self-service/login/api');
      const signedIn = await api().post(`/self-service/login?flow=${login.id}`).send({ method: 'password', identifier: email, password: 'a brand new passphrase' });
      expect(signedIn.status).toBe(200);
    });
  });
  describe(`configured hooks run (${factory.label})`, () => {
    const clock = new FixedClock(new Date());
    let db: TestDatabase;
    let smtp: SmtpCapture;
    let server: RunningServer;

    beforeAll(async () => {
      db = await factory.create();
      smtp = await startSmtpCapture();
      server = await bootApps({
        DSN: db.dsn,
        COURIER_SMTP_CONNECTION_URI: smtp.url,
        SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
        SELFSERVICE_FLOWS_LOGIN_AFTER_HOOKS: JSON.stringify([{ hook: 'require_verified_address' }]),
        SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS: JSON.stringify([{ hook: 'session' }, { hook: 'show_verification_ui' }]),
      }, { clock });
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
      await db?.drop();
    });

    const api = () => request(server.publicUrl);
    const passwordLogin = async (email: string, password: string) => {
      const { body: flow } = await api().get('/self-service/login/api');
      return api().post(`/self-service/login?flow=${flow.id}`).send({ method: 'password', identifier: email, password });
    };

    it('show_verification_ui: a browser registration continues at the verification UI; JSON clients get continue_with', async () => {
      const browser = new Browser();
      const started = await browser.navigate(`${server.publicUrl}/self-service/registration/browser`, atUi);
      const id = new URL(started.url).searchParams.get('flow') as string;
      const page = await browser.navigate(`${server.publicUrl}/self-service/registration/flows?id=${id}`, () => false, { headers: { accept: 'application/json' } });
      const flow = JSON.parse(page.body as string) as WireFlow;
      const email = `show-verification-${factory.label}@example.com`;
      const done = await browser.navigate(`${server.publicUrl}/self-service/registration?flow=${id}`, atUi, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: new URLSearchParams({ csrf_token: csrfOf(flow), method: 'password', password: 'a verification ui passphrase', 'traits.email': email }).toString(),
      });
      expect(done.url).toMatch(new RegExp(`^${UI}/verification\\?flow=[0-9a-f-]{36}$`));
      const verificationId = new URL(done.url).searchParams.get('flow') as string;
      const shown = await browser.navigate(`${server.publicUrl}/self-service/verification/flows?id=${verificationId}`, () => false, { headers: { accept: 'application/json' } });
      expect(shown.status).toBe(200);
      expect(JSON.parse(shown.body as string).state).toBe('sent_email');

      const { body: apiFlow } = await api().get('/self-service/registration/api');
      const other = `show-verification-api-${factory.label}@example.com`;
      const res = await api().post(`/self-service/registration?flow=${apiFlow.id}`).send({ method: 'password', password: 'a verification ui passphrase', traits: { email: other } });
      expect(res.status).toBe(200);
      expect(res.body.session_token).toEqual(expect.any(String));
      expect(res.body.continue_with).toEqual([{ action: 'show_verification_ui', flow: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), verifiable_address: other } }]);
    });

    it('require_verified_address: a password login is refused with 4000010 until the address is verified', async () => {
      const email = `unverified-${factory.label}@example.com`;
      const password = 'an unverified passphrase';
      const { body: regFlow } = await api().get('/self-service/registration/api');
      const registered = await api().post(`/self-service/registration?flow=${regFlow.id}`).send({ method: 'password', password, traits: { email } });
      expect(registered.status).toBe(200);
      const sessions = async (): Promise<unknown[]> => (await request(server.adminUrl).get(`/admin/identities/${registered.body.identity.id}/sessions`).expect(200)).body;
      const sessionsBefore = (await sessions()).length;
      expect(sessionsBefore).toBe(1);

      const refused = await passwordLogin(email, password);
      expect(refused.status).toBe(400);
      expect(refused.body.ui.messages).toEqual([{ id: 4000010, text: 'Account not active yet. Did you forget to verify your email address?', type: 'error' }]);
      expect(refused.body.session_token).toBeUndefined();
      expect(await sessions()).toHaveLength(sessionsBefore);

      // A browser is sent back to the login UI, which shows the message; no session cookie is set.
      const browser = new Browser();
      const started = await browser.navigate(`${server.publicUrl}/self-service/login/browser`, atUi);
      const id = new URL(started.url).searchParams.get('flow') as string;
      const page = await browser.navigate(`${server.publicUrl}/self-service/login/flows?id=${id}`, () => false, { headers: { accept: 'application/json' } });
      const landed = await browser.navigate(`${server.publicUrl}/self-service/login?flow=${id}`, atUi, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: new URLSearchParams({ csrf_token: csrfOf(JSON.parse(page.body as string)), method: 'password', identifier: email, password }).toString(),
      });
      expect(landed.url).toBe(`${UI}/login?flow=${id}`);
      expect(browser.cookies.has('ory_kratos_session')).toBe(false);

      // The verification mail's code verifies the address; then the login goes through.
      await server.registry.dispatcher.dispatchOnce();
      const mail = smtp.last(email)!;
      const code = (/\b(\d{8})\b/.exec(mail.text) as RegExpExecArray)[1];
      const verificationId = new URL(linkIn(mail.text, '/self-service/verification')).searchParams.get('flow') as string;
      const verified = await api().post(`/self-service/verification?flow=${verificationId}`).send({ method: 'code', code });
      expect(verified.body.state).toBe('passed_challenge');
      const allowed = await passwordLogin(email, password);
      expect(allowed.status).toBe(200);
      expect(allowed.body.session_token).toEqual(expect.any(String));
    });
    // Last in this block: it moves the clock.
    it('an expired verification link opened in a fresh browser lands on a replacement flow that browser can use', async () => {
      const email = `expired-link-${factory.label}@example.com`;
      const { body: regFlow } = await api().get('/self-service/registration/api');
      expect((await api().post(`/self-service/registration?flow=${regFlow.id}`).send({ method: 'password', password: 'an expired link passphrase', traits: { email } })).status).toBe(200);
      await server.registry.dispatcher.dispatchOnce();
      const link = linkIn(smtp.last(email)!.text, '/self-service/verification');
      clock.advance(2 * 60 * 60 * 1000);

      const fresh = new Browser();
      const landed = await fresh.navigate(link, atUi);
      expect(landed.url).toMatch(new RegExp(`^${UI}/verification\\?flow=[0-9a-f-]{36}$`));
      const replacementId = new URL(landed.url).searchParams.get('flow') as string;
      expect(replacementId).not.toBe(new URL(link).searchParams.get('flow'));
      const page = await fresh.navigate(`${server.publicUrl}/self-service/verification/flows?id=${replacementId}`, () => false, { headers: { accept: 'application/json' } });
      expect(page.status).toBe(200);
      const replacement = JSON.parse(page.body as string) as WireFlow;
      expect(ids(replacement)).toEqual([4070005]);
      const resent = await fresh.navigate(`${server.publicUrl}/self-service/verification?flow=${replacementId}`, atUi, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: new URLSearchParams({ csrf_token: csrfOf(replacement), method: 'code', email }).toString(),
      });
      expect(resent.url).toBe(`${UI}/verification?flow=${replacementId}`);
    });
  });
}
