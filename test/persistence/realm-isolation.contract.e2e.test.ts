import { makeMessage } from '../../libs/courier/testing/courier-message-store.contract';
import { DuplicateIdentifierError } from '../../libs/identity';
import { makeIdentity } from '../../libs/identity/testing/identity-pool.contract';
import { clientFixture } from '../../libs/oauth2/client/testing/client-store.contract';
import type { ConsentSession, LogoutRequest } from '../../libs/oauth2/consent';
import type { TrustGrant } from '../../libs/oauth2/trust';
import {
  type Persistence,
  TypeormClientStore,
  TypeormConsentSessionStore,
  TypeormCourierMessageStore,
  TypeormErrorStore,
  TypeormFlowStore,
  TypeormForcedSubjectStore,
  TypeormHandledChallengeStore,
  TypeormIdentityPool,
  TypeormJtiStore,
  TypeormKeyStore,
  TypeormLoginSessionStore,
  TypeormLogoutRequestStore,
  TypeormOidcPayloadStore,
  TypeormSessionStore,
  TypeormTokenStore,
  TypeormTrustGrantStore,
} from '../../libs/persistence';
import { type RecoveryFlow, baseFlowFields } from '../../libs/selfservice/flow';
import { makeSession } from '../../libs/session/testing/session-store.contract';
import { FixedClock, newId } from '../../libs/x';
import { testCtx } from '../../libs/x/testing';
import { databaseFactories, sharedPersistence } from '../helpers/databases';

jest.setTimeout(120_000);

const A = testCtx({ realm: 'acme' });
const B = testCtx({ realm: 'globex' });
const FUTURE = new Date('2030-01-01T00:00:00.000Z');
const PAST = new Date('2020-01-01T00:00:00.000Z');
const NOW = new Date('2026-06-01T00:00:00.000Z');

/**
 * Issue 14 (data): every store scopes every statement by `ctx.realm`. For each store, a row written in
 * realm A is not found, listed, updated or deleted through realm B, and the same unique identifier
 * (email, token hash, client id, key set + kid, trust issuer, challenge, jti) can exist in both realms.
 */
for (const factory of databaseFactories()) {
  describe(`realm isolation (${factory.label})`, () => {
    const open = sharedPersistence(factory);
    let p: Persistence;
    beforeAll(async () => {
      p = await open();
    });

    it('identities: the same email registers in both realms; one realm never reads, lists, updates or deletes the other’s', async () => {
      const pool = new TypeormIdentityPool(p);
      const email = `same-${newId()}@example.com`;
      const a = makeIdentity(email);
      const b = makeIdentity(email);
      await pool.create(A, a);
      await pool.create(B, b);
      await expect(pool.create(A, makeIdentity(email))).rejects.toBeInstanceOf(DuplicateIdentifierError);

      expect((await pool.findByCredentialsIdentifier(A, 'password', email))?.id).toBe(a.id);
      expect((await pool.findByCredentialsIdentifier(B, 'password', email))?.id).toBe(b.id);
      expect((await pool.findByAddress(B, 'verifiable', 'email', email))?.id).toBe(b.id);
      expect((await pool.findByAddress(B, 'recovery', 'email', email))?.id).toBe(b.id);
      expect(await pool.get(B, a.id)).toBeUndefined();
      expect((await pool.get(A, a.id))?.traits).toEqual({ email });
      expect((await pool.list(B, { size: 1000, credentialsIdentifier: email })).items.map((i) => i.id)).toEqual([b.id]);
      expect((await pool.list(B, { size: 1000 })).items.map((i) => i.id)).not.toContain(a.id);

      const onlyA = `only-a-${newId()}@example.com`;
      const c = makeIdentity(onlyA);
      await pool.create(A, c);
      expect(await pool.findByCredentialsIdentifier(B, 'password', onlyA)).toBeUndefined();
      expect(await pool.takenIdentifiers(B, 'password', [onlyA])).toEqual(new Set());
      expect(await pool.takenIdentifiers(A, 'password', [onlyA])).toEqual(new Set([onlyA]));
      await p.withTransaction(B, async (tx) => expect(await pool.getForUpdate(tx, c.id)).toBeUndefined());

      await expect(pool.update(B, { ...c, traits: { email: 'hijack@example.com' } })).rejects.toThrow(/not found/);
      expect(await pool.delete(B, c.id)).toBe(false);
      const kept = await pool.get(A, c.id);
      expect(kept?.traits).toEqual({ email: onlyA });
      expect(kept?.credentials.password?.identifiers).toEqual([onlyA]);
    });

    it('sessions: a token of realm A is unknown in realm B; the same token hash can exist in both', async () => {
      const pool = new TypeormIdentityPool(p);
      const sessions = new TypeormSessionStore(p);
      const ia = makeIdentity(`s-${newId()}@example.com`);
      const ib = makeIdentity(`s-${newId()}@example.com`);
      await pool.create(A, ia);
      await pool.create(B, ib);
      const sa = makeSession(ia.id);
      await sessions.create(A, sa);
      expect((await sessions.getByTokenHash(A, sa.tokenHash))?.id).toBe(sa.id);
      expect(await sessions.getByTokenHash(B, sa.tokenHash)).toBeUndefined();
      expect(await sessions.get(B, sa.id)).toBeUndefined();
      expect((await sessions.listAll(B, { size: 1000 })).items.map((s) => s.id)).not.toContain(sa.id);
      expect((await sessions.list(B, { identityId: ia.id, size: 10 })).items).toHaveLength(0);
      expect(await sessions.revokeAllExcept(B, ia.id, undefined)).toBe(0);
      await sessions.update(B, { ...sa, active: false });
      expect(await sessions.deleteForIdentity(B, ia.id)).toBe(0);
      expect(await sessions.delete(B, sa.id)).toBe(false);
      expect((await sessions.get(A, sa.id))?.active).toBe(true);

      const sb = makeSession(ib.id, { tokenHash: sa.tokenHash });
      await sessions.create(B, sb);
      expect((await sessions.getByTokenHash(B, sa.tokenHash))?.id).toBe(sb.id);
      expect((await sessions.getByTokenHash(A, sa.tokenHash))?.id).toBe(sa.id);
    });

    it('flows, errors and self-service tokens stay in their realm', async () => {
      const flows = new TypeormFlowStore(p);
      const errors = new TypeormErrorStore(p);
      const tokens = new TypeormTokenStore(p);
      const pool = new TypeormIdentityPool(p);
      const flow = {
        ...baseFlowFields('recovery', 'api', { url: 'https://auth.example.com/self-service/recovery/api', query: {}, hasOrigin: false, hasBrowserCookies: false, device: {} } as never, new FixedClock(), 3_600_000, (id) => `https://auth.example.com/self-service/recovery?flow=${id}`, undefined),
        kind: 'recovery',
        state: 'sent_email',
      } as RecoveryFlow;
      await flows.create(A, flow);
      expect((await flows.get(A, 'recovery', flow.id))?.id).toBe(flow.id);
      expect(await flows.get(B, 'recovery', flow.id)).toBeUndefined();
      await p.withTransaction(B, async (tx) => expect(await flows.getForUpdate(tx, 'recovery', flow.id)).toBeUndefined());
      await flows.update(B, { ...flow, state: 'passed_challenge' } as RecoveryFlow);
      expect((await flows.get(A, 'recovery', flow.id))?.state).toBe('sent_email');

      const errorId = await errors.create(A, { code: 500 });
      expect(await errors.read(B, errorId)).toBeUndefined();
      expect((await errors.read(A, errorId))?.error).toEqual({ code: 500 });

      const identity = makeIdentity(`t-${newId()}@example.com`);
      await pool.create(A, identity);
      const token = { id: newId(), kind: 'recovery_code' as const, flowId: flow.id, identityId: identity.id, address: 'a@example.com', secretHash: 'h', expiresAt: FUTURE, createdAt: NOW };
      await tokens.create(A, token);
      expect(await tokens.findUnused(B, 'recovery_code', flow.id)).toEqual([]);
      expect(await tokens.markUsed(B, token.id, NOW)).toBe(false);
      expect((await tokens.findUnused(A, 'recovery_code', flow.id)).map((t) => t.id)).toEqual([token.id]);
      expect(await tokens.markUsed(A, token.id, NOW)).toBe(true);
    });

    it('courier messages are listed and read per realm', async () => {
      const store = new TypeormCourierMessageStore(p);
      const recipient = `c-${newId()}@example.com`;
      const message = makeMessage({ recipient });
      await store.create(A, message);
      expect(await store.get(B, message.id)).toBeUndefined();
      expect((await store.list(B, { size: 10, recipient })).items).toHaveLength(0);
      expect((await store.list(A, { size: 10, recipient })).items.map((m) => m.id)).toEqual([message.id]);
      // The dispatcher claims every realm's messages: each claimed message names its realm (for its sender).
      const claimed = await store.claim(B, { workerId: `w-${newId()}`, now: new Date(Date.now() + 60_000), leaseUntil: new Date(Date.now() + 120_000), limit: 50, types: ['email'] });
      expect(claimed.find((m) => m.id === message.id)?.realm).toBe(A.realm);
    });

    it('keys: the same set and kid exist in both realms; list, get and delete see their own realm only', async () => {
      const store = new TypeormKeyStore(p);
      const set = `set-${newId()}`;
      await store.addKey(A, { set, kid: 'k1', alg: 'ES256', use: 'sig', keyData: 'key-of-a', createdAt: NOW });
      await store.addKey(B, { set, kid: 'k1', alg: 'ES256', use: 'sig', keyData: 'key-of-b', createdAt: NOW });
      expect((await store.listKeys(A, set)).map((k) => k.keyData)).toEqual(['key-of-a']);
      expect((await store.getKey(B, set, 'k1'))?.keyData).toBe('key-of-b');
      expect(await store.deleteKey(B, set, 'k1')).toBe(true);
      expect(await store.deleteSet(B, set)).toBe(0);
      expect((await store.getKey(A, set, 'k1'))?.keyData).toBe('key-of-a');
    });

    it('clients: the same client id exists in both realms; get, list, update and delete see their own realm only', async () => {
      const store = new TypeormClientStore(p);
      const owner = `owner-${newId()}`;
      const a = clientFixture(NOW, { owner, client_name: 'of-a' });
      await store.create(A, a);
      await store.create(B, { ...a, metadata: { ...a.metadata, client_name: 'of-b' } });
      expect((await store.get(A, a.id))?.metadata.client_name).toBe('of-a');
      expect((await store.get(B, a.id))?.metadata.client_name).toBe('of-b');

      const onlyA = clientFixture(NOW, { owner, client_name: 'only-a' });
      await store.create(A, onlyA);
      expect(await store.get(B, onlyA.id)).toBeUndefined();
      expect((await store.list(B, { size: 10, owner })).items.map((c) => c.metadata.client_name)).toEqual(['of-b']);
      expect(await store.update(B, { ...onlyA, metadata: { ...onlyA.metadata, client_name: 'hijack' } })).toBe(false);
      expect(await store.delete(B, onlyA.id)).toBe(false);
      expect((await store.get(A, onlyA.id))?.metadata.client_name).toBe('only-a');
    });

    it('oidc payloads: the same model and id exist in both realms; lookups, consume and deletes stay in their realm', async () => {
      const store = new TypeormOidcPayloadStore(p);
      const id = newId();
      const [grantId, uid, accountId, clientId] = [newId(), newId(), newId(), newId()];
      await store.upsert(A, { model: 'AccessToken', id, payload: { realm: 'a' }, grantId, uid, accountId, clientId, expiresAt: FUTURE });
      await store.upsert(B, { model: 'AccessToken', id, payload: { realm: 'b' }, expiresAt: FUTURE });
      expect((await store.find(A, 'AccessToken', id, NOW))?.payload).toEqual({ realm: 'a' });
      expect((await store.find(B, 'AccessToken', id, NOW))?.payload).toEqual({ realm: 'b' });
      expect(await store.findByUid(B, 'AccessToken', uid, NOW)).toBeUndefined();
      expect(await store.listByAccount(B, 'AccessToken', accountId, NOW)).toEqual([]);
      expect(await store.deleteByClient(B, ['AccessToken'], clientId)).toBe(0);
      expect(await store.deleteByAccount(B, ['AccessToken'], accountId)).toBe(0);
      await store.revokeByGrantId(B, 'AccessToken', grantId);

      const code = newId();
      await store.upsert(A, { model: 'AuthorizationCode', id: code, payload: {}, expiresAt: FUTURE });
      expect(await store.findModel(B, ['AuthorizationCode'], code, NOW)).toBeUndefined();
      expect(await store.consume(B, 'AuthorizationCode', code, NOW)).toBe(false);
      await store.destroy(B, 'AuthorizationCode', code);
      expect(await store.consume(A, 'AuthorizationCode', code, NOW)).toBe(true);

      const expired = newId();
      await store.upsert(A, { model: 'Session', id: expired, payload: {}, expiresAt: PAST });
      expect(await store.deleteExpired(B, NOW, 1000)).toBeGreaterThanOrEqual(0);
      const [row] = await p.read('SELECT nid FROM oauth2_oidc_payloads WHERE model = ? AND id = ?', ['Session', expired]);
      expect(row?.nid).toBe('acme');
      expect((await store.findByUid(A, 'AccessToken', uid, NOW))?.id).toBe(id);
    });

    it('login sessions, consent, handled challenges and logout requests stay in their realm', async () => {
      const logins = new TypeormLoginSessionStore(p);
      const consents = new TypeormConsentSessionStore(p);
      const challenges = new TypeormHandledChallengeStore(p);
      const logouts = new TypeormLogoutRequestStore(p);

      const loginId = newId();
      await logins.upsert(A, { id: loginId, subject: 'alice', remember: true, rememberFor: 0, authenticatedAt: NOW });
      await logins.upsert(B, { id: loginId, subject: 'bob', remember: false, rememberFor: 0, authenticatedAt: NOW });
      expect((await logins.get(A, loginId))?.subject).toBe('alice');
      expect((await logins.get(B, loginId))?.subject).toBe('bob');
      expect(await logins.deleteBySubject(B, 'alice')).toEqual([]);

      const subject = `sub-${newId()}`;
      const consent: ConsentSession = {
        grantId: newId(),
        challenge: newId(),
        subject,
        clientId: 'c1',
        remember: true,
        rememberFor: 3600,
        skip: false,
        grantedScope: ['openid'],
        grantedAudience: [],
        session: { access_token: {}, id_token: {} },
        request: {},
        handledAt: NOW,
        expiresAt: FUTURE,
      };
      await consents.create(A, consent);
      expect(await consents.getByGrantId(B, consent.grantId)).toBeUndefined();
      expect(await consents.listRemembered(B, subject, 'c1')).toEqual([]);
      expect((await consents.listBySubject(B, subject, { size: 10 })).items).toHaveLength(0);
      expect(await consents.grantIds(B, subject)).toEqual([]);
      expect(await consents.updateSession(B, consent.grantId, { access_token: { x: 1 }, id_token: {} })).toBe(false);
      await consents.deleteByGrantIds(B, [consent.grantId]);
      expect((await consents.getByGrantId(A, consent.grantId))?.session).toEqual({ access_token: {}, id_token: {} });
      expect((await consents.listRemembered(A, subject, 'c1')).map((c) => c.grantId)).toEqual([consent.grantId]);

      const challenge = newId();
      await challenges.put(A, { challenge, kind: 'login', requestUrl: 'https://a/auth', handledAt: NOW, expiresAt: FUTURE });
      expect(await challenges.get(B, challenge)).toBeUndefined();
      await challenges.put(B, { challenge, kind: 'consent', requestUrl: 'https://b/auth', handledAt: NOW, expiresAt: FUTURE });
      expect((await challenges.get(A, challenge))?.requestUrl).toBe('https://a/auth');

      const verifier = newId();
      const logout: LogoutRequest = {
        challenge: newId(),
        verifier,
        state: 'accepted',
        subject,
        sid: newId(),
        rpInitiated: false,
        requestUrl: '/oauth2/sessions/logout',
        xsrf: 'x',
        frontchannelUrls: [],
        expiresAt: FUTURE,
        createdAt: NOW,
      };
      await logouts.create(A, logout);
      expect(await logouts.get(B, logout.challenge)).toBeUndefined();
      expect(await logouts.getByVerifier(B, verifier)).toBeUndefined();
      expect(await logouts.update(B, { ...logout, state: 'used' }, 'accepted')).toBe(false);
      expect((await logouts.get(A, logout.challenge))?.state).toBe('accepted');
    });

    it('trust grants, used jtis and forced subjects: the same issuer, jti and subject exist in both realms', async () => {
      const grants = new TypeormTrustGrantStore(p);
      const jtis = new TypeormJtiStore(p);
      const forced = new TypeormForcedSubjectStore(p);
      const issuer = `https://issuer-${newId()}.example`;
      const grant = (): TrustGrant => ({ id: newId(), issuer, subject: 'alice', allowAnySubject: false, scope: ['openid'], publicKey: { set: issuer, kid: 'k1' }, createdAt: NOW, expiresAt: FUTURE });
      const [ga, gb] = [grant(), grant()];
      await grants.create(A, ga);
      await grants.create(B, gb);
      expect((await grants.findForAssertion(B, issuer, 'alice', 'k1')).map((g) => g.id)).toEqual([gb.id]);
      expect((await grants.list(B, { size: 10, issuer })).items.map((g) => g.id)).toEqual([gb.id]);
      expect(await grants.get(B, ga.id)).toBeUndefined();
      expect(await grants.delete(B, ga.id)).toBe(false);
      expect(await grants.countByKey(A, issuer, 'k1')).toBe(1);

      const jti = newId();
      expect(await jtis.markUsed(A, issuer, jti, FUTURE, NOW)).toBe(true);
      expect(await jtis.markUsed(B, issuer, jti, FUTURE, NOW)).toBe(true);
      expect(await jtis.markUsed(A, issuer, jti, FUTURE, NOW)).toBe(false);

      const subject = `sub-${newId()}`;
      await forced.put(A, subject, 'c1', 'forced-a');
      expect(await forced.get(B, subject, 'c1')).toBeUndefined();
      await forced.put(B, subject, 'c1', 'forced-b');
      expect(await forced.get(A, subject, 'c1')).toBe('forced-a');
      expect(await forced.get(B, subject, 'c1')).toBe('forced-b');
    });

    it('the hot paths stay one indexed lookup, with nid leading the index', async () => {
      /** The index the database uses for `sql` (SQLite: from the query plan; MySQL: EXPLAIN's `key`). */
      const indexOf = async (sql: string, params: unknown[]): Promise<string> => {
        if (p.dialect === 'mysql') return String((await p.read(`EXPLAIN ${sql}`, params))[0]?.key);
        const plan = (await p.read(`EXPLAIN QUERY PLAN ${sql}`, params)).map((r) => String(r.detail)).join('; ');
        return /USING (?:COVERING )?INDEX (\w+)/.exec(plan)?.[1] ?? plan;
      };
      const primary = (table: string): string => (p.dialect === 'mysql' ? 'PRIMARY' : `sqlite_autoindex_${table}_1`);
      // Real rows: MySQL's EXPLAIN names no key for a unique lookup that matches nothing.
      const identity = makeIdentity(`plan-${newId()}@example.com`);
      await new TypeormIdentityPool(p).create(A, identity);
      const session = makeSession(identity.id);
      await new TypeormSessionStore(p).create(A, session);
      const [tokenId, uid] = [newId(), newId()];
      await new TypeormOidcPayloadStore(p).upsert(A, { model: 'Session', id: tokenId, payload: {}, uid, expiresAt: FUTURE });
      const client = clientFixture(NOW);
      await new TypeormClientStore(p).create(A, client);

      expect(await indexOf('SELECT id FROM sessions WHERE nid = ? AND token_hash = ?', ['acme', session.tokenHash])).toBe('uq_sessions_token_hash');
      expect(
        await indexOf('SELECT identity_id FROM identity_credential_identifiers WHERE nid = ? AND type = ? AND identifier = ?', ['acme', 'password', identity.traits.email]),
      ).toBe('uq_identifiers_type_identifier');
      expect(await indexOf('SELECT payload FROM oauth2_oidc_payloads WHERE nid = ? AND model = ? AND id = ?', ['acme', 'Session', tokenId])).toBe(primary('oauth2_oidc_payloads'));
      const byUid = 'SELECT payload FROM oauth2_oidc_payloads WHERE nid = ? AND model = ? AND uid = ?';
      // On a near-empty table MySQL may scan the (nid, model) prefix of the primary key instead: there the index must be a candidate.
      const uidIndexes =
        p.dialect === 'sqlite' ? [await indexOf(byUid, ['acme', 'Session', uid])] : String((await p.read(`EXPLAIN ${byUid}`, ['acme', 'Session', uid]))[0]?.possible_keys).split(',');
      expect(uidIndexes).toContain('idx_oidc_payloads_uid');
      expect(await indexOf('SELECT metadata FROM oauth2_clients WHERE nid = ? AND id = ?', ['acme', client.id])).toBe(primary('oauth2_clients'));
    });
  });
}
