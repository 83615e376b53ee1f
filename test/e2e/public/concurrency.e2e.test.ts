import type { V0alpha2Api } from '@ory/client';
import { generateSync } from 'otplib';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { FixedClock } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { oryClient } from '../../helpers/ory-client';

jest.setTimeout(180_000);

const PARALLEL = 20;
const WRONG_GUESSES = 50;

interface UiNodeLike {
  attributes: { name?: string; id?: string; text?: { context?: Record<string, unknown> } };
  messages?: { id: number }[];
}
interface FlowBody {
  ui: { nodes: UiNodeLike[]; messages?: { id: number }[] };
}
const messageIds = (body: FlowBody): number[] => [...(body.ui.messages ?? []), ...body.ui.nodes.flatMap((n) => n.messages ?? [])].map((m) => m.id);
const byName = (body: FlowBody, name: string): UiNodeLike | undefined => body.ui.nodes.find((n) => n.attributes.name === name || n.attributes.id === name);
const count = <T>(list: readonly T[], test: (t: T) => boolean): number => list.filter(test).length;

/**
 * Single use and counters under parallel submissions, through HTTP like a client, on SQLite and (with
 * TEST_MYSQL_DSN) MariaDB/MySQL: a one-time second factor makes exactly one session aal2, a flow checks
 * at most five wrong codes, concurrent registrations of one address give one 200 and Kratos' 400.
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('parallel submissions on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let ory: V0alpha2Api;
  const clock = new FixedClock(new Date('2026-03-02T09:00:05.000Z'));
  const totpNow = (secret: string): string => generateSync({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps(
      {
        DSN: db.dsn,
        SELFSERVICE_METHODS_TOTP_ENABLED: 'true',
        SELFSERVICE_METHODS_LOOKUP_SECRET_ENABLED: 'true',
        SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
        SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
        SELFSERVICE_FLOWS_SETTINGS_LIFESPAN: '3h',
        SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
      },
      { clock },
    );
    ory = oryClient(server.publicUrl);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  async function register(email: string, password: string): Promise<{ token: string; identityId: string }> {
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const { data } = await ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password, traits: { email } });
    return { token: data.session_token as string, identityId: data.identity.id };
  }

  /** `n` password logins (one after another); each gives an aal1 token and its aal2 flow. */
  async function logins(email: string, password: string, n: number): Promise<{ token: string; aal2FlowId: string }[]> {
    const out = [];
    for (let i = 0; i < n; i++) {
      const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
      const { data } = await ory.submitSelfServiceLoginFlow(flow.id, { method: 'password', identifier: email, password });
      const next = (data as unknown as { continue_with: { flow: { id: string } }[] }).continue_with[0].flow.id;
      out.push({ token: data.session_token as string, aal2FlowId: next });
    }
    return out;
  }

  /** The newest code mailed to `email` (read from the courier queue the flows write to). */
  async function lastCode(email: string): Promise<string> {
    const rows: { body: string }[] = await server.registry.persistence.dataSource.query('SELECT body FROM courier_messages WHERE recipient = ? ORDER BY created_at DESC', [email]);
    expect(rows.length).toBeGreaterThan(0);
    // Eight digits standing alone (a flow id's first segment is followed by "-").
    return (/(?<![\w-])(\d{8})(?![\w-])/.exec(rows[0].body) as RegExpExecArray)[1];
  }

  async function aal2Sessions(identityId: string): Promise<number> {
    const rows: { n: number | string }[] = await server.registry.persistence.dataSource.query("SELECT COUNT(*) AS n FROM sessions WHERE identity_id = ? AND aal = 'aal2'", [identityId]);
    return Number(rows[0].n);
  }

  it(`${PARALLEL} parallel submissions of one backup code make exactly one session aal2`, async () => {
    const email = 'race-lookup@example.com';
    const password = 'a long lookup race passphrase';
    const reg = await register(email, password);
    const { data: settings } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(reg.token);
    const shown = await ory.submitSelfServiceSettingsFlow(settings.id, { method: 'lookup_secret', lookup_secret_regenerate: true }, reg.token);
    const secrets = byName(shown.data as unknown as FlowBody, 'lookup_secret_codes')!.attributes.text!.context!.secrets as { context: { secret: string } }[];
    const code = secrets[0].context.secret;
    await ory.submitSelfServiceSettingsFlow(settings.id, { method: 'lookup_secret', lookup_secret_confirm: true }, reg.token);

    const attempts = await logins(email, password, PARALLEL);
    const answers = await Promise.all(
      attempts.map((a) => request(server.publicUrl).post(`/self-service/login?flow=${a.aal2FlowId}`).set('X-Session-Token', a.token).send({ method: 'lookup_secret', lookup_secret: code })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, ...Array<number>(PARALLEL - 1).fill(400)]);
    for (const lost of answers.filter((r) => r.status === 400)) expect(messageIds(lost.body)).toEqual([4000012]);
    expect(await aal2Sessions(reg.identityId)).toBe(1);
  });

  it(`${PARALLEL} parallel submissions of one TOTP code: one is accepted`, async () => {
    const email = 'race-totp@example.com';
    const password = 'a long totp race passphrase';
    const reg = await register(email, password);
    const { data: settings } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(reg.token);
    const secret = byName(settings as unknown as FlowBody, 'totp_secret_key')!.attributes.text!.context!.secret as string;
    await ory.submitSelfServiceSettingsFlow(settings.id, { method: 'totp', totp_code: totpNow(secret) }, reg.token);
    clock.advance(30_000);

    const attempts = await logins(email, password, PARALLEL);
    const code = totpNow(secret);
    const answers = await Promise.all(
      attempts.map((a) => request(server.publicUrl).post(`/self-service/login?flow=${a.aal2FlowId}`).set('X-Session-Token', a.token).send({ method: 'totp', totp_code: code })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, ...Array<number>(PARALLEL - 1).fill(400)]);
    for (const lost of answers.filter((r) => r.status === 400)) expect(messageIds(lost.body)).toEqual([4000008]);
    expect(await aal2Sessions(reg.identityId)).toBe(1);
  });

  it(`${WRONG_GUESSES} parallel wrong recovery codes: five are checked, then the right code no longer works`, async () => {
    const email = 'race-recovery@example.com';
    await register(email, 'a long recovery race passphrase');
    const { data: flow } = await ory.initializeSelfServiceRecoveryFlowWithoutBrowser();
    await ory.submitSelfServiceRecoveryFlow(flow.id, { method: 'code', email });
    const code = await lastCode(email);
    const wrong = code === '99999999' ? '11111111' : '99999999';

    const answers = await Promise.all(Array.from({ length: WRONG_GUESSES }, () => request(server.publicUrl).post(`/self-service/recovery?flow=${flow.id}`).send({ method: 'code', code: wrong })));
    // Checks 1-4 answer "invalid code" (200), the fifth and every later one "flow failed" (400).
    expect(count(answers, (r) => r.status === 200 && messageIds(r.body).join() === '4060006')).toBe(4);
    expect(count(answers, (r) => r.status === 400 && messageIds(r.body).join() === '4060002')).toBe(WRONG_GUESSES - 4);

    const right = await request(server.publicUrl).post(`/self-service/recovery?flow=${flow.id}`).send({ method: 'code', code });
    expect(right.status).toBe(400);
    expect(messageIds(right.body)).toEqual([4060002]);
  });

  it(`${WRONG_GUESSES} parallel wrong verification codes: five are checked, then the right code no longer works`, async () => {
    const email = 'race-verification@example.com';
    await register(email, 'a long verification race passphrase');
    const { data: flow } = await ory.initializeSelfServiceVerificationFlowWithoutBrowser();
    await ory.submitSelfServiceVerificationFlow(flow.id, { method: 'code', email });
    const code = await lastCode(email);
    const wrong = code === '99999999' ? '11111111' : '99999999';

    const answers = await Promise.all(Array.from({ length: WRONG_GUESSES }, () => request(server.publicUrl).post(`/self-service/verification?flow=${flow.id}`).send({ method: 'code', code: wrong })));
    expect(count(answers, (r) => r.status === 200 && messageIds(r.body).join() === '4070006')).toBe(4);
    expect(count(answers, (r) => r.status === 400 && messageIds(r.body).join() === '4070003')).toBe(WRONG_GUESSES - 4);

    const right = await request(server.publicUrl).post(`/self-service/verification?flow=${flow.id}`).send({ method: 'code', code });
    expect(right.status).toBe(400);
    expect(messageIds(right.body)).toEqual([4070003]);
  });

  it(`${WRONG_GUESSES} parallel wrong login codes: five are checked, then the right code no longer works`, async () => {
    const email = 'race-code-login@example.com';
    expect((await request(server.adminUrl).post('/admin/identities').send({ schema_id: 'default', traits: { email } })).status).toBe(201);
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    expect(messageIds((await request(server.publicUrl).post(`/self-service/login?flow=${flow.id}`).send({ method: 'code', identifier: email })).body)).toEqual([1010014]);
    const code = await lastCode(email);
    const wrong = code === '99999999' ? '11111111' : '99999999';

    const answers = await Promise.all(Array.from({ length: WRONG_GUESSES }, () => request(server.publicUrl).post(`/self-service/login?flow=${flow.id}`).send({ method: 'code', code: wrong })));
    expect(answers.map((r) => r.status)).toEqual(Array<number>(WRONG_GUESSES).fill(400));
    // Five answers "invalid code"; every later one "too many wrong codes".
    expect(count(answers, (r) => messageIds(r.body).join() === '4010008')).toBe(5);
    expect(count(answers, (r) => messageIds(r.body).join() === '4000001')).toBe(WRONG_GUESSES - 5);

    const right = await request(server.publicUrl).post(`/self-service/login?flow=${flow.id}`).send({ method: 'code', code });
    expect(right.status).toBe(400);
    expect(messageIds(right.body)).toEqual([4000001]);
  });

  it(`${WRONG_GUESSES} parallel wrong registration codes: five are checked, then the right code no longer works`, async () => {
    const email = 'race-code-registration@example.com';
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    expect(messageIds((await request(server.publicUrl).post(`/self-service/registration?flow=${flow.id}`).send({ method: 'code', traits: { email } })).body)).toEqual([1040005]);
    const code = await lastCode(email);
    const wrong = code === '99999999' ? '11111111' : '99999999';

    const answers = await Promise.all(
      Array.from({ length: WRONG_GUESSES }, () => request(server.publicUrl).post(`/self-service/registration?flow=${flow.id}`).send({ method: 'code', code: wrong, traits: { email } })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array<number>(WRONG_GUESSES).fill(400));
    expect(count(answers, (r) => messageIds(r.body).join() === '4040003')).toBe(5);
    expect(count(answers, (r) => messageIds(r.body).join() === '4000001')).toBe(WRONG_GUESSES - 5);

    const right = await request(server.publicUrl).post(`/self-service/registration?flow=${flow.id}`).send({ method: 'code', code, traits: { email } });
    expect(right.status).toBe(400);
    expect(messageIds(right.body)).toEqual([4000001]);
  });

  it('settings saved in parallel with admin patches never undo them: each answers 200 or 409', async () => {
    const email = 'race-settings@example.com';
    const reg = await register(email, 'a long settings race passphrase');
    expect((await request(server.adminUrl).patch(`/admin/identities/${reg.identityId}`).send([{ op: 'add', path: '/metadata_admin', value: {} }])).status).toBe(200);
    const half = PARALLEL / 2;
    // One settings flow submitted again and again (each render costs a QR code; the flow allows success → success).
    const { data: settings } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(reg.token);
    const [patches, saves] = await Promise.all([
      Promise.all(Array.from({ length: half }, (_, i) => request(server.adminUrl).patch(`/admin/identities/${reg.identityId}`).send([{ op: 'add', path: `/metadata_admin/key_${i}`, value: i }]))),
      Promise.all(Array.from({ length: half }, () => request(server.publicUrl).post(`/self-service/settings?flow=${settings.id}`).set('X-Session-Token', reg.token).send({ method: 'profile', traits: { email } }))),
    ]);
    expect(patches.map((r) => r.status)).toEqual(Array<number>(half).fill(200));
    for (const save of saves) expect([200, 409]).toContain(save.status);
    for (const lost of saves.filter((r) => r.status === 409)) expect(lost.body.error).toMatchObject({ code: 409, status: 'Conflict' });
    const after = await request(server.adminUrl).get(`/admin/identities/${reg.identityId}`);
    expect(after.body.metadata_admin).toEqual(Object.fromEntries(Array.from({ length: half }, (_, i) => [`key_${i}`, i])));
  });

  it(`${PARALLEL} parallel registrations of one address: one 200, the others Kratos' 400 duplicate, no 500`, async () => {
    const email = 'race-registration@example.com';
    const flows = await Promise.all(Array.from({ length: PARALLEL }, async () => (await ory.initializeSelfServiceRegistrationFlowWithoutBrowser()).data.id));
    const answers = await Promise.all(
      flows.map((id, i) => request(server.publicUrl).post(`/self-service/registration?flow=${id}`).send({ method: 'password', password: `a long registration race passphrase ${i}`, traits: { email } })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, ...Array<number>(PARALLEL - 1).fill(400)]);
    for (const lost of answers.filter((r) => r.status === 400)) expect(messageIds(lost.body)).toEqual([4000007]);
    const rows: { n: number | string }[] = await server.registry.persistence.dataSource.query('SELECT COUNT(*) AS n FROM identity_credential_identifiers WHERE identifier = ?', [email]);
    expect(Number(rows[0].n)).toBe(1);
  });
});
