import { newId } from '../../../x';
import type { ConsentSession } from '../consent-session';
import type { ConsentSessionStore, HandledChallengeStore, LoginSessionStore, LogoutRequestStore } from '../consent-stores';
import type { LogoutRequest } from '../logout-request';
import { testCtx } from '../../../x/testing';

const ctx = testCtx();

/** The stores behind Hydra's challenges and sessions. */
export interface ConsentStores {
  readonly loginSessions: LoginSessionStore;
  readonly consentSessions: ConsentSessionStore;
  readonly handledChallenges: HandledChallengeStore;
  readonly logoutRequests: LogoutRequestStore;
}

const consent = (subject: string, clientId: string, handledAt: Date, overrides: Partial<ConsentSession> = {}): ConsentSession => ({
  grantId: newId(),
  challenge: newId(),
  subject,
  clientId,
  loginSessionId: newId(),
  remember: true,
  rememberFor: 3600,
  skip: false,
  grantedScope: ['openid', 'offline'],
  grantedAudience: ['https://api.example'],
  session: { access_token: { role: 'admin' }, id_token: { email: 'a@example.com' } },
  authenticatedAt: new Date('2026-01-01T00:00:00.000Z'),
  acr: '1',
  amr: ['pwd'],
  request: { challenge: 'c', requested_scope: ['openid'] },
  handledAt,
  expiresAt: new Date('2030-01-01T00:00:00.000Z'),
  ...overrides,
});

/** The behaviour every implementation of the consent stores must have (unique keys per test). */
export function describeConsentStoresContract(label: string, makeStores: () => Promise<ConsentStores>): void {
  describe(`consent stores contract (${label})`, () => {
    let stores: ConsentStores;
    beforeAll(async () => {
      stores = await makeStores();
    });

    describe('LoginSessionStore', () => {
      it('upserts, reads and deletes by subject; sweeps expired rows', async () => {
        const subject = `s-${newId()}`;
        const session = { id: newId(), subject, remember: true, rememberFor: 60, authenticatedAt: new Date('2026-01-01T00:00:00.123Z'), acr: '2', amr: ['pwd', 'otp'], expiresAt: new Date('2030-01-01T00:00:00.000Z') };
        await stores.loginSessions.upsert(ctx, session);
        expect(await stores.loginSessions.get(ctx, session.id)).toEqual(session);
        await stores.loginSessions.upsert(ctx, { ...session, remember: false });
        expect((await stores.loginSessions.get(ctx, session.id))?.remember).toBe(false);
        expect(await stores.loginSessions.deleteBySubject(ctx, subject)).toEqual([session.id]);
        expect(await stores.loginSessions.get(ctx, session.id)).toBeUndefined();
        const old = { ...session, id: newId(), expiresAt: new Date('2000-01-01T00:00:00.000Z') };
        await stores.loginSessions.upsert(ctx, old);
        expect(await stores.loginSessions.deleteExpired(ctx, new Date())).toBeGreaterThanOrEqual(1);
        expect(await stores.loginSessions.get(ctx, old.id)).toBeUndefined();
      });

      it('upsert of an existing id replaces every field (optional ones dropped), and a minimal session round-trips', async () => {
        const session = { id: newId(), subject: `s-${newId()}`, remember: true, rememberFor: 60, authenticatedAt: new Date('2026-01-01T00:00:00.123Z'), acr: '2', amr: ['pwd', 'otp'], expiresAt: new Date('2030-01-01T00:00:00.000Z') };
        await stores.loginSessions.upsert(ctx, session);
        const replaced = { id: session.id, subject: `s-${newId()}`, remember: false, rememberFor: 0, authenticatedAt: new Date('2026-05-06T07:08:09.456Z') };
        await stores.loginSessions.upsert(ctx, replaced);
        expect(await stores.loginSessions.get(ctx, session.id)).toEqual(replaced);
        expect(await stores.loginSessions.deleteBySubject(ctx, session.subject)).toEqual([]);
        expect(await stores.loginSessions.deleteBySubject(ctx, replaced.subject)).toEqual([session.id]);
      });
    });

    describe('ConsentSessionStore', () => {
      it('round-trips by grant id', async () => {
        const c = consent(`s-${newId()}`, 'c1', new Date('2026-02-01T00:00:00.000Z'));
        await stores.consentSessions.create(ctx, c);
        expect(await stores.consentSessions.getByGrantId(ctx, c.grantId)).toEqual(c);
        expect(await stores.consentSessions.getByGrantId(ctx, newId())).toBeUndefined();
      });

      it('replaces the session claims of one grant only (refresh token hook), keeping every other field', async () => {
        const c = consent(`s-${newId()}`, 'c1', new Date('2026-02-01T00:00:00.000Z'));
        const other = consent(c.subject, 'c1', new Date('2026-02-01T00:00:00.000Z'));
        await stores.consentSessions.create(ctx, c);
        await stores.consentSessions.create(ctx, other);
        const session = { access_token: { role: 'viewer', nested: { n: 1, list: ['x'] }, gone: null }, id_token: {} };
        expect(await stores.consentSessions.updateSession(ctx, c.grantId, session)).toBe(true);
        expect(await stores.consentSessions.getByGrantId(ctx, c.grantId)).toEqual({ ...c, session });
        expect(await stores.consentSessions.updateSession(ctx, c.grantId, session)).toBe(true);
        expect(await stores.consentSessions.getByGrantId(ctx, other.grantId)).toEqual(other);
        expect((await stores.consentSessions.listRemembered(ctx, c.subject, 'c1')).find((r) => r.grantId === c.grantId)?.session).toEqual(session);
        expect(await stores.consentSessions.updateSession(ctx, newId(), session)).toBe(false);
        await stores.consentSessions.deleteByGrantIds(ctx, [c.grantId, other.grantId]);
      });

      it('lists remembered (newest first) and non-skipped consents, and revokes by client or all', async () => {
        const subject = `s-${newId()}`;
        const t = Date.parse('2026-03-01T00:00:00.000Z');
        const older = consent(subject, 'c1', new Date(t));
        const newer = consent(subject, 'c1', new Date(t + 1000));
        const skipped = consent(subject, 'c1', new Date(t + 2000), { skip: true });
        const forgotten = consent(subject, 'c1', new Date(t + 3000), { remember: false });
        const other = consent(subject, 'c2', new Date(t + 4000));
        for (const c of [older, newer, skipped, forgotten, other]) await stores.consentSessions.create(ctx, c);
        expect((await stores.consentSessions.listRemembered(ctx, subject, 'c1')).map((c) => c.grantId)).toEqual([newer.grantId, older.grantId]);
        const page = await stores.consentSessions.listBySubject(ctx, subject, { size: 2 });
        expect(page.items.map((c) => c.grantId)).toEqual([other.grantId, forgotten.grantId]);
        const rest = await stores.consentSessions.listBySubject(ctx, subject, { size: 2, after: page.next });
        expect(rest.items.map((c) => c.grantId)).toEqual([newer.grantId, older.grantId]);
        expect(rest.next).toBeUndefined();
        expect((await stores.consentSessions.grantIds(ctx, subject, 'c2')).sort()).toEqual([other.grantId]);
        const all = await stores.consentSessions.grantIds(ctx, subject);
        expect(all).toHaveLength(5);
        await stores.consentSessions.deleteByGrantIds(ctx, all);
        expect(await stores.consentSessions.grantIds(ctx, subject)).toEqual([]);
      });

      it('round-trips a consent without the optional fields, by grant id and in the remembered list', async () => {
        const subject = `s-${newId()}`;
        const { loginSessionId: _l, authenticatedAt: _a, acr: _c, amr: _m, expiresAt: _e, ...minimal } = consent(subject, 'c1', new Date('2026-04-01T00:00:00.007Z'), { rememberFor: 0, grantedAudience: [], session: {} as ConsentSession['session'] });
        await stores.consentSessions.create(ctx, minimal);
        expect(await stores.consentSessions.getByGrantId(ctx, minimal.grantId)).toEqual(minimal);
        expect(await stores.consentSessions.listRemembered(ctx, subject, 'c1')).toEqual([minimal]);
        await stores.consentSessions.deleteByGrantIds(ctx, [minimal.grantId]);
      });

      it('lists at most 20 remembered consents, newest first, of that subject and client only', async () => {
        const subject = `s-${newId()}`;
        const t = Date.parse('2026-03-01T00:00:00.000Z');
        const made = Array.from({ length: 23 }, (_, i) => consent(subject, 'c1', new Date(t + (i * 7919) % 23 * 1000)));
        for (const c of [...made, consent(`s-${newId()}`, 'c1', new Date(t + 99_000)), consent(subject, 'c2', new Date(t + 99_000))]) await stores.consentSessions.create(ctx, c);
        const listed = await stores.consentSessions.listRemembered(ctx, subject, 'c1');
        const expected = [...made].sort((a, b) => b.handledAt.getTime() - a.handledAt.getTime()).slice(0, 20);
        expect(listed.map((c) => c.grantId)).toEqual(expected.map((c) => c.grantId));
        expect(listed[0]).toEqual(expected[0]);
        await stores.consentSessions.deleteByGrantIds(ctx, await stores.consentSessions.grantIds(ctx, subject));
      });
    });

    describe('HandledChallengeStore', () => {
      it('puts (replacing) and gets', async () => {
        const c = { challenge: newId(), kind: 'login' as const, requestUrl: 'https://op/oauth2/auth?a=1', handledAt: new Date('2026-01-01T00:00:00.000Z'), expiresAt: new Date('2030-01-01T00:00:00.000Z') };
        await stores.handledChallenges.put(ctx, c);
        await stores.handledChallenges.put(ctx, { ...c, requestUrl: 'https://op/oauth2/auth?a=2' });
        expect(await stores.handledChallenges.get(ctx, c.challenge)).toEqual({ ...c, requestUrl: 'https://op/oauth2/auth?a=2' });
        expect(await stores.handledChallenges.get(ctx, newId())).toBeUndefined();
        const again = { ...c, kind: 'consent' as const, handledAt: new Date('2026-01-02T03:04:05.678Z'), expiresAt: new Date('2031-01-01T00:00:00.001Z') };
        await stores.handledChallenges.put(ctx, again);
        expect(await stores.handledChallenges.get(ctx, c.challenge)).toEqual(again);
      });
    });

    describe('LogoutRequestStore', () => {
      it('creates, finds by verifier and changes state only from the expected state', async () => {
        const r: LogoutRequest = {
          challenge: newId(),
          state: 'pending',
          subject: 'sub',
          sid: newId(),
          clientId: 'c1',
          rpInitiated: true,
          requestUrl: '/oauth2/sessions/logout?state=1',
          xsrf: 'secret',
          frontchannelUrls: ['https://rp/fc?sid=1'],
          expiresAt: new Date('2030-01-01T00:00:00.000Z'),
          createdAt: new Date('2026-01-01T00:00:00.000Z'),
        };
        await stores.logoutRequests.create(ctx, r);
        expect(await stores.logoutRequests.get(ctx, r.challenge)).toEqual(r);
        const accepted = { ...r, state: 'accepted' as const, verifier: newId() };
        expect(await stores.logoutRequests.update(ctx, accepted, 'pending')).toBe(true);
        expect(await stores.logoutRequests.getByVerifier(ctx, accepted.verifier)).toEqual(accepted);
        expect(await stores.logoutRequests.update(ctx, { ...accepted, state: 'used' }, 'pending')).toBe(false);
        expect(await stores.logoutRequests.update(ctx, { ...accepted, state: 'used' }, 'accepted')).toBe(true);
        expect((await stores.logoutRequests.get(ctx, r.challenge))?.state).toBe('used');
      });

      it('round-trips a request without client or verifier (not RP-initiated)', async () => {
        const r: LogoutRequest = {
          challenge: newId(),
          state: 'pending',
          subject: 'sub',
          sid: newId(),
          rpInitiated: false,
          requestUrl: '/oauth2/sessions/logout',
          xsrf: 'x',
          frontchannelUrls: [],
          expiresAt: new Date('2030-01-01T00:00:00.999Z'),
          createdAt: new Date('2026-01-01T00:00:00.001Z'),
        };
        await stores.logoutRequests.create(ctx, r);
        expect(await stores.logoutRequests.get(ctx, r.challenge)).toEqual(r);
        expect(await stores.logoutRequests.get(ctx, newId())).toBeUndefined();
        expect(await stores.logoutRequests.getByVerifier(ctx, newId())).toBeUndefined();
      });
    });
  });
}
