import type { V0alpha2Api } from '@ory/client';
import { generateSync } from 'otplib';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { FixedClock } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { oryClient } from '../../helpers/ory-client';

jest.setTimeout(240_000);

const PARALLEL = 20;
const ROUNDS = 3;
/** Backup codes spent per round of parallel step-ups (besides one TOTP code). */
const LOOKUPS_PER_ROUND = 3;

interface UiNodeLike {
  attributes: { name?: string; id?: string; text?: { context?: Record<string, unknown> } };
}
const byName = (body: unknown, name: string): UiNodeLike | undefined => (body as { ui: { nodes: UiNodeLike[] } }).ui.nodes.find((n) => n.attributes.name === name || n.attributes.id === name);
const count = <T>(list: readonly T[], test: (t: T) => boolean): number => list.filter(test).length;

/**
 * Sends the first half of `requests`, then `revocation`, then the rest, all without waiting (a request is
 * sent once awaited), so the revocation lands while submissions that read the session earlier are running.
 */
async function amid(requests: request.Test[], revocation: request.Test): Promise<[request.Response, request.Response[]]> {
  const sent = (r: request.Test): Promise<request.Response> => r.then((res) => res);
  const half = Math.floor(requests.length / 2);
  const first = requests.slice(0, half).map(sent);
  const revoked = sent(revocation);
  const rest = requests.slice(half).map(sent);
  return [await revoked, await Promise.all([...first, ...rest])];
}

/**
 * Parallel writes of ONE session through HTTP like a client, on SQLite and (with TEST_MYSQL_DSN)
 * MariaDB/MySQL: second factors completed in parallel on one session are all recorded, and a session
 * revoked (logout, admin) while step-ups, re-authentications and extensions of it run stays revoked.
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('parallel writes of one session on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let ory: V0alpha2Api;
  const clock = new FixedClock(new Date('2026-03-02T09:00:05.000Z'));
  const totpNow = (secret: string): string => generateSync({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({ DSN: db.dsn, SELFSERVICE_METHODS_TOTP_ENABLED: 'true', SELFSERVICE_METHODS_LOOKUP_SECRET_ENABLED: 'true', SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL: 'aal1' }, { clock });
    ory = oryClient(server.publicUrl);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  /** A registered identity with TOTP and backup codes set up; returns its TOTP secret and backup codes. */
  async function withSecondFactors(email: string, password: string): Promise<{ totpSecret: string; codes: string[] }> {
    const { data: reg } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const { data } = await ory.submitSelfServiceRegistrationFlow(reg.id, { method: 'password', password, traits: { email } });
    const token = data.session_token as string;
    const { data: settings } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(token);
    const totpSecret = byName(settings, 'totp_secret_key')!.attributes.text!.context!.secret as string;
    await ory.submitSelfServiceSettingsFlow(settings.id, { method: 'totp', totp_code: totpNow(totpSecret) }, token);
    const { data: settings2 } = await ory.initializeSelfServiceSettingsFlowWithoutBrowser(token);
    const shown = await ory.submitSelfServiceSettingsFlow(settings2.id, { method: 'lookup_secret', lookup_secret_regenerate: true }, token);
    const secrets = byName(shown.data, 'lookup_secret_codes')!.attributes.text!.context!.secrets as { context: { secret: string } }[];
    await ory.submitSelfServiceSettingsFlow(settings2.id, { method: 'lookup_secret', lookup_secret_confirm: true }, token);
    return { totpSecret, codes: secrets.map((s) => s.context.secret) };
  }

  /** A password login: the aal1 session token and its id. */
  async function login(email: string, password: string): Promise<{ token: string; sessionId: string }> {
    const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
    const { data } = await ory.submitSelfServiceLoginFlow(flow.id, { method: 'password', identifier: email, password });
    return { token: data.session_token as string, sessionId: data.session.id };
  }

  /** A new login flow of the session (`aal=aal2` for a second factor, or `refresh=true`). */
  async function flowOf(token: string, kind: 'aal2' | 'refresh'): Promise<string> {
    const { data } = kind === 'aal2' ? await ory.initializeSelfServiceLoginFlowWithoutBrowser(false, 'aal2', token) : await ory.initializeSelfServiceLoginFlowWithoutBrowser(true, undefined, token);
    return data.id;
  }

  const submit = (flowId: string, token: string, body: Record<string, unknown>) => request(server.publicUrl).post(`/self-service/login?flow=${flowId}`).set('X-Session-Token', token).send(body);
  const whoami = (token: string) => request(server.publicUrl).get('/sessions/whoami').set('X-Session-Token', token);
  const methodsOf = async (token: string): Promise<string[]> => {
    const res = await whoami(token);
    expect(res.status).toBe(200);
    return (res.body.authentication_methods as { method: string }[]).map((m) => m.method);
  };
  const adminSession = async (id: string) => (await request(server.adminUrl).get(`/admin/sessions/${id}`)).body as { active: boolean; authentication_methods: { method: string }[] };

  it(`a TOTP and ${LOOKUPS_PER_ROUND} backup codes completed in parallel on one session are all recorded (${ROUNDS} sessions)`, async () => {
    const email = 'session-race-mfa@example.com';
    const password = 'a long session race passphrase';
    const { totpSecret, codes } = await withSecondFactors(email, password);
    for (let round = 0; round < ROUNDS; round++) {
      clock.advance(30_000);
      const { token } = await login(email, password);
      const flows = await Promise.all(Array.from({ length: 1 + LOOKUPS_PER_ROUND }, () => flowOf(token, 'aal2')));
      const lookups = codes.slice(round * LOOKUPS_PER_ROUND, (round + 1) * LOOKUPS_PER_ROUND);
      const answers = await Promise.all([
        submit(flows[0], token, { method: 'totp', totp_code: totpNow(totpSecret) }),
        ...lookups.map((code, i) => submit(flows[i + 1], token, { method: 'lookup_secret', lookup_secret: code })),
      ]);
      expect(answers.map((r) => r.status)).toEqual(Array<number>(1 + LOOKUPS_PER_ROUND).fill(200));
      const methods = await methodsOf(token);
      expect(count(methods, (m) => m === 'password')).toBe(1);
      expect(count(methods, (m) => m === 'totp')).toBe(1);
      expect(count(methods, (m) => m === 'lookup_secret')).toBe(LOOKUPS_PER_ROUND);
      expect((await whoami(token)).body.authenticator_assurance_level).toBe('aal2');
    }
  });

  it(`a session logged out while ${PARALLEL} re-authentications and step-ups of it run stays revoked`, async () => {
    const email = 'session-race-logout@example.com';
    const password = 'another long session race passphrase';
    const { codes } = await withSecondFactors(email, password);
    const { token, sessionId } = await login(email, password);
    const stepUps = Math.min(codes.length, PARALLEL / 2);
    const aal2Flows = await Promise.all(Array.from({ length: stepUps }, () => flowOf(token, 'aal2')));
    const refreshFlows = await Promise.all(Array.from({ length: PARALLEL - stepUps }, () => flowOf(token, 'refresh')));
    const [logout, answers] = await amid(
      [
        ...aal2Flows.map((id, i) => submit(id, token, { method: 'lookup_secret', lookup_secret: codes[i] })),
        ...refreshFlows.map((id) => submit(id, token, { method: 'password', identifier: email, password })),
      ],
      request(server.publicUrl).delete('/self-service/logout/api').send({ session_token: token }),
    );
    expect(logout.status).toBe(204);
    // Each one completed before the logout, or was refused (no session); none failed.
    for (const a of answers) expect([200, 401]).toContain(a.status);
    expect((await whoami(token)).status).toBe(401);
    expect((await adminSession(sessionId)).active).toBe(false);
  });

  it(`a session revoked by the admin while ${PARALLEL} step-ups and extensions of it run stays revoked`, async () => {
    const email = 'session-race-admin@example.com';
    const password = 'a third long session race passphrase';
    const { codes } = await withSecondFactors(email, password);
    const { token, sessionId } = await login(email, password);
    const stepUps = Math.min(codes.length, PARALLEL / 2);
    const aal2Flows = await Promise.all(Array.from({ length: stepUps }, () => flowOf(token, 'aal2')));
    const refreshFlows = await Promise.all(Array.from({ length: PARALLEL - stepUps }, () => flowOf(token, 'refresh')));
    const [revoked, answers] = await amid(
      [
        ...aal2Flows.map((id, i) => submit(id, token, { method: 'lookup_secret', lookup_secret: codes[i] })),
        ...refreshFlows.map((id) => submit(id, token, { method: 'password', identifier: email, password })),
        ...Array.from({ length: 5 }, () => request(server.adminUrl).patch(`/admin/sessions/${sessionId}/extend`)),
      ],
      request(server.adminUrl).delete(`/admin/sessions/${sessionId}`),
    );
    expect(revoked.status).toBe(204);
    for (const a of answers) expect([200, 401]).toContain(a.status);
    expect((await whoami(token)).status).toBe(401);
    expect((await adminSession(sessionId)).active).toBe(false);
  });

  it(`sessions deleted by the admin while ${PARALLEL} step-ups and re-authentications of one run stay deleted`, async () => {
    const email = 'session-race-delete@example.com';
    const password = 'a fifth long session race passphrase';
    const { codes } = await withSecondFactors(email, password);
    const { token, sessionId } = await login(email, password);
    const identityId = (await adminSession(sessionId)) as unknown as { identity: { id: string } };
    const stepUps = Math.min(codes.length, PARALLEL / 2);
    const aal2Flows = await Promise.all(Array.from({ length: stepUps }, () => flowOf(token, 'aal2')));
    const refreshFlows = await Promise.all(Array.from({ length: PARALLEL - stepUps }, () => flowOf(token, 'refresh')));
    const [deleted, answers] = await amid(
      [
        ...aal2Flows.map((id, i) => submit(id, token, { method: 'lookup_secret', lookup_secret: codes[i] })),
        ...refreshFlows.map((id) => submit(id, token, { method: 'password', identifier: email, password })),
      ],
      request(server.adminUrl).delete(`/admin/identities/${identityId.identity.id}/sessions`),
    );
    expect(deleted.status).toBe(204);
    for (const a of answers) expect([200, 401]).toContain(a.status);
    expect((await whoami(token)).status).toBe(401);
    expect((await request(server.adminUrl).get(`/admin/sessions/${sessionId}`)).status).toBe(404);
  });

  it(`an admin extension racing ${PARALLEL / 2} step-ups of one session keeps every method`, async () => {
    const email = 'session-race-extend@example.com';
    const password = 'a fourth long session race passphrase';
    const { codes } = await withSecondFactors(email, password);
    const { token, sessionId } = await login(email, password);
    const stepUps = Math.min(codes.length, PARALLEL / 2);
    const aal2Flows = await Promise.all(Array.from({ length: stepUps }, () => flowOf(token, 'aal2')));
    const answers = await Promise.all([
      ...aal2Flows.map((id, i) => submit(id, token, { method: 'lookup_secret', lookup_secret: codes[i] })),
      ...Array.from({ length: 5 }, () => request(server.adminUrl).patch(`/admin/sessions/${sessionId}/extend`)),
    ]);
    expect(answers.map((r) => r.status)).toEqual(Array<number>(stepUps + 5).fill(200));
    expect(count(await methodsOf(token), (m) => m === 'lookup_secret')).toBe(stepUps);
  });
});
