import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { Browser, type Landing } from '../../helpers/browser';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { type SmtpCapture, startSmtpCapture } from '../../helpers/smtp-capture';

interface WireFlow {
  id: string;
  state?: string;
  ui: { nodes: { attributes: { name?: string; value?: unknown } }[]; messages?: { id: number; text: string }[] };
}

jest.setTimeout(120_000);

const UI = 'http://127.0.0.1:4455';
const atUi = (url: string): boolean => url.startsWith(UI);
const ids = (flow: WireFlow): number[] => (flow.ui.messages ?? []).map((m) => m.id);
const csrfOf = (flow: WireFlow): string => flow.ui.nodes.find((n) => n.attributes.name === 'csrf_token')?.attributes.value as string;
const linkIn = (text: string, path: string): string => (new RegExp(`(http://[^\\s"<>]*${path}\\?[^\\s"<>]*)`).exec(text) as RegExpExecArray)[1].replace(/&amp;/g, '&');
const codeIn = (text: string, digits: number): string => (new RegExp(`\\b(\\d{${digits}})\\b`).exec(text) as RegExpExecArray)[1];
/** The same link with its secret swapped for a wrong one of the same shape. */
const withWrongSecret = (link: string, param: 'token' | 'code'): string => {
  const url = new URL(link);
  const secret = url.searchParams.get(param) as string;
  url.searchParams.set(param, /^\d+$/.test(secret) ? secret.replace(/\d/g, (d) => String((Number(d) + 1) % 10)) : `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`);
  return url.toString();
};

/**
 * Links from mails are usually opened by the mail app in a browser that has no cookie of this
 * deployment. A link that fails there (wrong, used, or for a flow bound to another browser) must land
 * on a new flow created in THAT browser, with the reason as a message and its CSRF cookie set — never
 * on the original flow, which that browser cannot fetch (403 `security_csrf_violation`). A verification
 * link that passes there shows its success on a passed flow of that browser, for the same reason.
 */
for (const factory of databaseFactories()) {
  describe.each([
    { use: 'link' as const, param: 'token' as const },
    { use: 'code' as const, param: 'code' as const },
  ])(`recovery and verification links and codes (use: $use) opened in a fresh browser (${factory.label})`, ({ use, param }) => {
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
        SELFSERVICE_FLOWS_RECOVERY_USE: use,
        SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
        SELFSERVICE_FLOWS_VERIFICATION_USE: use,
        SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL: 'aal1',
      });
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
      await db?.drop();
    });

    const deliver = async (): Promise<void> => {
      await server.registry.dispatcher.dispatchOnce();
    };
    const flowIdOf = (landing: Landing): string => new URL(landing.url).searchParams.get('flow') as string;

    async function register(email: string): Promise<void> {
      const { body: flow } = await request(server.publicUrl).get('/self-service/registration/api');
      const res = await request(server.publicUrl).post(`/self-service/registration?flow=${flow.id}`).send({ method: 'password', password: 'a fresh browser passphrase', traits: { email } });
      expect(res.status).toBe(200);
      await deliver();
    }

    /** Fetches a flow as a server-rendered UI does: with the browser's cookies; status and flow. */
    async function fetchFlow(browser: Browser, kind: string, id: string): Promise<{ status: number; flow: WireFlow }> {
      const page = await browser.navigate(`${server.publicUrl}/self-service/${kind}/flows?id=${id}`, () => false, { headers: { accept: 'application/json' } });
      return { status: page.status as number, flow: JSON.parse(page.body as string) as WireFlow };
    }

    function postForm(browser: Browser, kind: string, id: string, fields: Record<string, string>): Promise<Landing> {
      return browser.navigate(`${server.publicUrl}/self-service/${kind}?flow=${id}`, atUi, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: new URLSearchParams(fields).toString(),
      });
    }

    /** Starts a flow in `browser` and has the secret mailed to `email`; the flow id and the mailed link (or one built from the code). */
    async function mailed(browser: Browser, kind: 'recovery' | 'verification', email: string): Promise<{ flowId: string; link: string }> {
      const started = await browser.navigate(`${server.publicUrl}/self-service/${kind}/browser`, atUi);
      const flowId = flowIdOf(started);
      const { flow } = await fetchFlow(browser, kind, flowId);
      const sent = await postForm(browser, kind, flowId, { csrf_token: csrfOf(flow), method: use, email });
      expect(sent.url).toBe(`${UI}/${kind}?flow=${flowId}`);
      await deliver();
      const text = smtp.last(email)!.text;
      // Recovery codes are mailed without a link; the UI's form would submit the same query.
      const link = kind === 'recovery' && use === 'code' ? `${server.publicUrl}/self-service/recovery?flow=${flowId}&code=${codeIn(text, 8)}` : linkIn(text, `/self-service/${kind}`);
      expect(new URL(link).searchParams.get('flow')).toBe(flowId);
      return { flowId, link };
    }

    /** Opens `link` in `browser` and checks it lands on a NEW flow that browser can fetch, carrying `message`. */
    async function landsOnNewFlow(browser: Browser, link: string, kind: 'recovery' | 'verification', originalId: string, message: number): Promise<{ id: string; flow: WireFlow }> {
      const landed = await browser.navigate(link, atUi);
      expect(landed.hops[0].status).toBe(303);
      expect(landed.url).toMatch(new RegExp(`^${UI}/${kind}\\?flow=[0-9a-f-]{36}$`));
      const id = flowIdOf(landed);
      expect(id).not.toBe(originalId);
      const fetched = await fetchFlow(browser, kind, id);
      expect(fetched.status).toBe(200);
      expect(ids(fetched.flow)).toEqual([message]);
      expect(fetched.flow.state).toBe('choose_method');
      return { id, flow: fetched.flow };
    }

    const recoveryInvalid = use === 'link' ? 4060004 : 4060006;
    const verificationInvalid = use === 'link' ? 4070001 : 4070006;

    it('a wrong recovery secret lands on a new recovery flow with the message; the user asks for a new mail there', async () => {
      const email = `wrong-recovery-${use}-${factory.label}@example.com`;
      await register(email);
      const { flowId, link } = await mailed(new Browser(), 'recovery', email);

      const fresh = new Browser();
      const { id, flow } = await landsOnNewFlow(fresh, withWrongSecret(link, param), 'recovery', flowId, recoveryInvalid);
      const mailsBefore = smtp.mails.length;
      const resent = await postForm(fresh, 'recovery', id, { csrf_token: csrfOf(flow), method: use, email });
      expect(resent.url).toBe(`${UI}/recovery?flow=${id}`);
      const after = await fetchFlow(fresh, 'recovery', id);
      expect(after.flow.state).toBe('sent_email');
      await deliver();
      expect(smtp.mails.length).toBe(mailsBefore + 1);
    });

    it('a used recovery secret opened again in yet another browser lands on a new flow with the message', async () => {
      const email = `used-recovery-${use}-${factory.label}@example.com`;
      await register(email);
      const { flowId, link } = await mailed(new Browser(), 'recovery', email);
      const first = await new Browser().navigate(link, atUi);
      expect(first.url).toMatch(new RegExp(`^${UI}/settings\\?flow=`));

      await landsOnNewFlow(new Browser(), link, 'recovery', flowId, use === 'link' ? 4060004 : 4060001);
    });

    it('a wrong verification secret lands on a new verification flow with the message; the user asks for a new mail there', async () => {
      const email = `wrong-verification-${use}-${factory.label}@example.com`;
      await register(email);
      const { flowId, link } = await mailed(new Browser(), 'verification', email);

      const fresh = new Browser();
      const { id, flow } = await landsOnNewFlow(fresh, withWrongSecret(link, param), 'verification', flowId, verificationInvalid);
      const resent = await postForm(fresh, 'verification', id, { csrf_token: csrfOf(flow), method: use, email });
      expect(resent.url).toBe(`${UI}/verification?flow=${id}`);
      expect((await fetchFlow(fresh, 'verification', id)).flow.state).toBe('sent_email');
    });

    it('a used verification secret opened again in another browser lands on a new flow with the message', async () => {
      const email = `used-verification-${use}-${factory.label}@example.com`;
      await register(email);
      const { flowId, link } = await mailed(new Browser(), 'verification', email);
      const first = await new Browser().navigate(link, atUi);
      expect(first.url).not.toMatch(/\/error\?id=/);

      await landsOnNewFlow(new Browser(), link, 'verification', flowId, use === 'link' ? 4070001 : 4070002);
    });

    it('a good verification secret in a fresh browser verifies and lands on a flow that browser can fetch, showing success', async () => {
      const email = `good-verification-${use}-${factory.label}@example.com`;
      await register(email);
      const { flowId, link } = await mailed(new Browser(), 'verification', email);

      const fresh = new Browser();
      const landed = await fresh.navigate(link, atUi);
      expect(landed.hops[0].status).toBe(303);
      expect(landed.url).toMatch(new RegExp(`^${UI}/verification\\?flow=[0-9a-f-]{36}$`));
      const id = flowIdOf(landed);
      expect(id).not.toBe(flowId);
      const { status, flow } = await fetchFlow(fresh, 'verification', id);
      expect(status).toBe(200);
      expect(flow.state).toBe('passed_challenge');
      expect(ids(flow)).toEqual([1080002]);
      const identities = await request(server.adminUrl).get(`/admin/identities?credentials_identifier=${encodeURIComponent(email)}`);
      expect(identities.body[0].verifiable_addresses[0]).toMatchObject({ value: email, verified: true, status: 'completed' });
    });

    it('wrong secrets from fresh browsers still count against the original flow (no brute force by switching browsers)', async () => {
      const email = `counted-${use}-${factory.label}@example.com`;
      await register(email);
      const owner = new Browser();
      const { flowId, link } = await mailed(owner, 'verification', email);
      for (let i = 0; i < 5; i++) await landsOnNewFlow(new Browser(), withWrongSecret(link, param), 'verification', flowId, i < 4 ? verificationInvalid : 4070003);
      // The right secret, now in the browser that started the flow, finds the flow dead.
      const late = await owner.navigate(link, atUi);
      expect(late.url).toBe(`${UI}/verification?flow=${flowId}`);
      const { status, flow } = await fetchFlow(owner, 'verification', flowId);
      expect(status).toBe(200);
      expect(ids(flow)).toEqual([4070003]);
      expect(flow.state).toBe('sent_email');
    });

    it('a wrong secret in the browser that started the flow still lands on that flow (it can fetch it)', async () => {
      const email = `same-browser-${use}-${factory.label}@example.com`;
      await register(email);
      const owner = new Browser();
      const { flowId, link } = await mailed(owner, 'recovery', email);
      const landed = await owner.navigate(withWrongSecret(link, param), atUi);
      expect(landed.url).toBe(`${UI}/recovery?flow=${flowId}`);
      const { status, flow } = await fetchFlow(owner, 'recovery', flowId);
      expect(status).toBe(200);
      expect(ids(flow)).toEqual([recoveryInvalid]);
    });
  });

  describe(`magic login and registration links opened in another browser (${factory.label})`, () => {
    let db: TestDatabase;
    let smtp: SmtpCapture;
    let server: RunningServer;

    beforeAll(async () => {
      db = await factory.create();
      smtp = await startSmtpCapture();
      server = await bootApps({ DSN: db.dsn, COURIER_SMTP_CONNECTION_URI: smtp.url, SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true' });
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
      await db?.drop();
    });

    async function fetchFlow(browser: Browser, kind: string, id: string): Promise<{ status: number; flow: WireFlow }> {
      const page = await browser.navigate(`${server.publicUrl}/self-service/${kind}/flows?id=${id}`, () => false, { headers: { accept: 'application/json' } });
      return { status: page.status as number, flow: JSON.parse(page.body as string) as WireFlow };
    }
    function post(browser: Browser, kind: string, id: string, fields: Record<string, string>): Promise<Landing> {
      return browser.navigate(`${server.publicUrl}/self-service/${kind}?flow=${id}`, atUi, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: new URLSearchParams(fields).toString(),
      });
    }
    /** Starts a `kind` flow in a browser and submits `fields` with method code; the flow id and the magic link mailed to `email`. */
    async function magicLink(kind: 'login' | 'registration', email: string, fields: Record<string, string>): Promise<{ flowId: string; link: string; owner: Browser }> {
      const owner = new Browser();
      const started = await owner.navigate(`${server.publicUrl}/self-service/${kind}/browser`, atUi);
      const flowId = new URL(started.url).searchParams.get('flow') as string;
      const { flow } = await fetchFlow(owner, kind, flowId);
      await post(owner, kind, flowId, { csrf_token: csrfOf(flow), method: 'code', ...fields });
      await server.registry.dispatcher.dispatchOnce();
      const text = smtp.last(email)!.text;
      const inMail = new RegExp(`(http://[^\\s"<>]*/self-service/${kind}\\?[^\\s"<>]*)`).exec(text)?.[1]?.replace(/&amp;/g, '&');
      return { flowId, owner, link: inMail ?? `${server.publicUrl}/self-service/${kind}?flow=${flowId}&method=code&code=${codeIn(text, 8)}` };
    }

    it('a login link opened in another browser is refused onto a new login flow there, with the reason, and no session', async () => {
      const email = `magic-elsewhere-${factory.label}@example.com`;
      const created = await request(server.adminUrl).post('/admin/identities').send({ schema_id: 'default', traits: { email } });
      expect(created.status).toBe(201);
      const { flowId, link, owner } = await magicLink('login', email, { identifier: email });

      const other = new Browser();
      const landed = await other.navigate(link, atUi);
      expect(landed.hops[0].status).toBe(303);
      expect(landed.url).toMatch(new RegExp(`^${UI}/login\\?flow=[0-9a-f-]{36}$`));
      const id = new URL(landed.url).searchParams.get('flow') as string;
      expect(id).not.toBe(flowId);
      expect([...other.cookies.keys()].some((k) => k.startsWith('ory_kratos_session'))).toBe(false);
      const { status, flow } = await fetchFlow(other, 'login', id);
      expect(status).toBe(200);
      expect(flow.ui.messages).toEqual([expect.objectContaining({ type: 'error', text: expect.stringMatching(/different browser/) })]);

      // The user can sign in from this browser: ask for a code here.
      const asked = await post(other, 'login', id, { csrf_token: csrfOf(flow), method: 'code', identifier: email });
      expect(asked.url).toBe(`${UI}/login?flow=${id}`);
      expect(ids((await fetchFlow(other, 'login', id)).flow)).toEqual([1010014]);

      // The original link still works in the browser that started the flow.
      const done = await owner.navigate(link, atUi);
      expect(done.hops[0].status).toBe(303);
      expect([...owner.cookies.keys()].some((k) => k.startsWith('ory_kratos_session'))).toBe(true);
    });

    it('a registration link opened in another browser is refused onto a new registration flow there, with the reason', async () => {
      const email = `magic-registration-elsewhere-${factory.label}@example.com`;
      const { flowId, link } = await magicLink('registration', email, { 'traits.email': email });

      const other = new Browser();
      const landed = await other.navigate(link, atUi);
      expect(landed.url).toMatch(new RegExp(`^${UI}/registration\\?flow=[0-9a-f-]{36}$`));
      const id = new URL(landed.url).searchParams.get('flow') as string;
      expect(id).not.toBe(flowId);
      const { status, flow } = await fetchFlow(other, 'registration', id);
      expect(status).toBe(200);
      expect(flow.ui.messages).toEqual([expect.objectContaining({ type: 'error', text: expect.stringMatching(/different browser/) })]);
      const identities = await request(server.adminUrl).get(`/admin/identities?credentials_identifier=${encodeURIComponent(email)}`);
      expect(identities.body).toEqual([]);
    });
  });
}
