import { In } from 'typeorm';
import type {
  ConsentSession,
  ConsentSessionPage,
  ConsentSessionStore,
  HandledChallenge,
  HandledChallengeStore,
  LoginSession,
  LoginSessionStore,
  LogoutRequest,
  LogoutRequestStore,
} from '../../oauth2/consent';
import { type Ctx, type KeysetWindow, keysetPage, timeKey } from '../../x';
import { keysetFind } from '../keyset-find';
import { runBounded } from '../bounded-write';
import type { Persistence } from '../persistence';
import { insertSql, upsertSql } from '../raw-sql';
import { rawBool, rawDate, rawJson, rawOptionalDate, rawTimeParam } from '../raw-values';
import {
  ChallengeSchema,
  type ConsentSessionRow,
  ConsentSessionSchema,
  LoginSessionSchema,
  type LogoutRequestRow,
  LogoutRequestSchema,
} from '../schemas/oauth2.schema';

/*
 * The per-journey paths (login session upsert/get, consent create/read/listRemembered, handled
 * challenge put/get, logout request create/get) are raw statements (`Persistence.read`/`execute`):
 * cached prepared statements and group commit on SQLite, no query builder. They write exactly what
 * the TypeORM schemas write (simple-json text, 0/1 booleans, SQLite's UTC datetime text or a Date for
 * mysql2), so the rarer paths below that still use the repository read and write the same rows.
 */

/** A datetime parameter as TypeORM writes it (see `rawTimeParam`). */
function time(persistence: Persistence, date: Date | undefined | null): unknown {
  return rawTimeParam(persistence.dialect, date);
}

/** A boolean column value as TypeORM persists it on both dialects. */
const flag = (value: boolean): number => (value ? 1 : 0);

const LOGIN_SESSION_UPSERT_COLUMNS = ['subject', 'remember', 'remember_for', 'authenticated_at', 'data', 'expires_at', 'created_at', 'updated_at'];

/** `LoginSessionStore` on `oauth2_login_sessions`. */
export class TypeormLoginSessionStore implements LoginSessionStore {
  private readonly upsertSql: string;

  constructor(private readonly persistence: Persistence) {
    this.upsertSql = upsertSql(persistence.dialect, 'oauth2_login_sessions', ['nid', 'id'], LOGIN_SESSION_UPSERT_COLUMNS);
  }

  private repo(ctx: Ctx) {
    return this.persistence.manager(ctx.tx).getRepository(LoginSessionSchema);
  }

  async upsert(ctx: Ctx, s: LoginSession): Promise<void> {
    const now = time(this.persistence, new Date());
    const data = { ...(s.acr ? { acr: s.acr } : {}), ...(s.amr ? { amr: s.amr } : {}) };
    await this.persistence.execute(
      this.upsertSql,
      [ctx.realm, s.id, s.subject, flag(s.remember), s.rememberFor, time(this.persistence, s.authenticatedAt), JSON.stringify(data), time(this.persistence, s.expiresAt), now, now],
      ctx.tx,
    );
  }

  async get(ctx: Ctx, id: string): Promise<LoginSession | undefined> {
    const [r] = await this.persistence.read('SELECT id, subject, remember, remember_for, authenticated_at, data, expires_at FROM oauth2_login_sessions WHERE nid = ? AND id = ?', [ctx.realm, id], ctx.tx);
    if (!r) return undefined;
    const data = rawJson<{ acr?: string; amr?: string[] }>(r.data) ?? {};
    return {
      id: String(r.id),
      subject: String(r.subject),
      remember: rawBool(r.remember),
      rememberFor: Number(r.remember_for),
      authenticatedAt: rawDate(r.authenticated_at),
      ...(data.acr ? { acr: data.acr } : {}),
      ...(data.amr ? { amr: data.amr } : {}),
      ...(r.expires_at ? { expiresAt: rawDate(r.expires_at) } : {}),
    };
  }

  async deleteBySubject(ctx: Ctx, subject: string): Promise<string[]> {
    const rows = await this.repo(ctx).find({ where: { nid: ctx.realm, subject }, select: { id: true } });
    if (rows.length) await this.repo(ctx).delete({ nid: ctx.realm, id: In(rows.map((r) => r.id)) });
    return rows.map((r) => r.id);
  }

  /** In chunks of 1,000 rows, yielding between chunks ({@link runBounded}). */
  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    return runBounded(this.persistence, { table: 'oauth2_login_sessions', where: 'nid = ? AND expires_at <= ?', params: [ctx.realm, time(this.persistence, now)] }, ctx.tx);
  }
}

const CONSENT_COLUMNS = 'grant_id, challenge, subject, client_id, login_session_id, remember, remember_for, skip, data, handled_at, expires_at';
const CONSENT_INSERT = insertSql('oauth2_consent_sessions', ['nid', ...CONSENT_COLUMNS.split(', ')]);
const CONSENT_BY_GRANT = `SELECT ${CONSENT_COLUMNS} FROM oauth2_consent_sessions WHERE nid = ? AND grant_id = ?`;
const CONSENT_DATA_BY_GRANT = 'SELECT data FROM oauth2_consent_sessions WHERE nid = ? AND grant_id = ?';
const CONSENT_UPDATE_DATA = 'UPDATE oauth2_consent_sessions SET data = ? WHERE nid = ? AND grant_id = ?';
// `find({ where: { remember: true, skip: false }, order: { handled_at: 'DESC' }, take: 20 })`, on the (nid, subject, client_id, remember, skip, handled_at) index.
const CONSENT_REMEMBERED = `SELECT ${CONSENT_COLUMNS} FROM oauth2_consent_sessions WHERE nid = ? AND subject = ? AND client_id = ? AND remember = 1 AND skip = 0 ORDER BY handled_at DESC LIMIT 20`;

/** `ConsentSessionStore` on `oauth2_consent_sessions`; the per-journey paths are raw. */
export class TypeormConsentSessionStore implements ConsentSessionStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(ctx: Ctx) {
    return this.persistence.manager(ctx.tx).getRepository(ConsentSessionSchema);
  }

  async create(ctx: Ctx, c: ConsentSession): Promise<void> {
    const r = toConsentRow(c);
    await this.persistence.execute(
      CONSENT_INSERT,
      [
        ctx.realm,
        r.grant_id,
        r.challenge,
        r.subject,
        r.client_id,
        r.login_session_id,
        flag(r.remember),
        r.remember_for,
        flag(r.skip),
        JSON.stringify(r.data),
        time(this.persistence, r.handled_at),
        time(this.persistence, r.expires_at),
      ],
      ctx.tx,
    );
  }

  async getByGrantId(ctx: Ctx, grantId: string): Promise<ConsentSession | undefined> {
    const [r] = await this.persistence.read(CONSENT_BY_GRANT, [ctx.realm, grantId], ctx.tx);
    return r ? fromRawConsentRow(r) : undefined;
  }

  /** Read-modify-write of `data`: nothing else ever rewrites a consent row, so the last hook reply wins. */
  async updateSession(ctx: Ctx, grantId: string, session: ConsentSession['session']): Promise<boolean> {
    const [r] = await this.persistence.read(CONSENT_DATA_BY_GRANT, [ctx.realm, grantId], ctx.tx);
    if (!r) return false;
    const data = { ...(rawJson<Record<string, unknown>>(r.data) ?? {}), session };
    // Not the affected-row count: MySQL reports 0 for a row rewritten with the same value.
    await this.persistence.execute(CONSENT_UPDATE_DATA, [JSON.stringify(data), ctx.realm, grantId], ctx.tx);
    return true;
  }

  async listRemembered(ctx: Ctx, subject: string, clientId: string): Promise<ConsentSession[]> {
    const rows = await this.persistence.read(CONSENT_REMEMBERED, [ctx.realm, subject, clientId], ctx.tx);
    return rows.map(fromRawConsentRow);
  }

  async listBySubject(ctx: Ctx, subject: string, window: KeysetWindow): Promise<ConsentSessionPage> {
    const key = [{ column: 'handled_at', part: 'time' }, { column: 'grant_id', part: 'text' }] as const;
    const rows = await this.repo(ctx).find(keysetFind({ nid: ctx.realm, subject, skip: false }, key, 'DESC', window));
    const page = keysetPage(rows, window.size, (r) => [timeKey(rawDate(r.handled_at)), r.grant_id]);
    return { ...page, items: page.items.map(fromConsentRow) };
  }

  async grantIds(ctx: Ctx, subject: string, clientId?: string): Promise<string[]> {
    const rows = await this.repo(ctx).find({ where: { nid: ctx.realm, subject, ...(clientId ? { client_id: clientId } : {}) }, select: { grant_id: true } });
    return rows.map((r) => r.grant_id);
  }

  async deleteByGrantIds(ctx: Ctx, grantIds: readonly string[]): Promise<void> {
    for (let i = 0; i < grantIds.length; i += 500) await this.repo(ctx).delete({ nid: ctx.realm, grant_id: In(grantIds.slice(i, i + 500)) });
  }

  /** In chunks of 1,000 rows, yielding between chunks ({@link runBounded}). */
  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    return runBounded(this.persistence, { table: 'oauth2_consent_sessions', where: 'nid = ? AND expires_at <= ?', params: [ctx.realm, time(this.persistence, now)] }, ctx.tx);
  }
}

function toConsentRow(c: ConsentSession): Omit<ConsentSessionRow, 'nid'> {
  return {
    grant_id: c.grantId,
    challenge: c.challenge,
    subject: c.subject,
    client_id: c.clientId,
    login_session_id: c.loginSessionId ?? null,
    remember: c.remember,
    remember_for: c.rememberFor,
    skip: c.skip,
    data: {
      granted_scope: c.grantedScope,
      granted_audience: c.grantedAudience,
      session: c.session,
      request: c.request,
      ...(c.authenticatedAt ? { authenticated_at: c.authenticatedAt.toISOString() } : {}),
      ...(c.acr ? { acr: c.acr } : {}),
      ...(c.amr ? { amr: c.amr } : {}),
    },
    handled_at: c.handledAt,
    expires_at: c.expiresAt ?? null,
  };
}

/** A raw `oauth2_consent_sessions` row (SQLite text/0-1 or mysql2 values) decoded as TypeORM would. */
function fromRawConsentRow(r: Record<string, unknown>): ConsentSession {
  return fromConsentRow({
    grant_id: String(r.grant_id),
    challenge: String(r.challenge),
    subject: String(r.subject),
    client_id: String(r.client_id),
    login_session_id: r.login_session_id === null || r.login_session_id === undefined ? null : String(r.login_session_id),
    remember: rawBool(r.remember),
    remember_for: Number(r.remember_for),
    skip: rawBool(r.skip),
    data: rawJson(r.data),
    handled_at: rawDate(r.handled_at),
    expires_at: rawOptionalDate(r.expires_at) ?? null,
  });
}

function fromConsentRow(r: Omit<ConsentSessionRow, 'nid'>): ConsentSession {
  const d = r.data as {
    granted_scope: string[];
    granted_audience: string[];
    session: ConsentSession['session'];
    request: Record<string, unknown>;
    authenticated_at?: string;
    acr?: string;
    amr?: string[];
  };
  return {
    grantId: r.grant_id,
    challenge: r.challenge,
    subject: r.subject,
    clientId: r.client_id,
    ...(r.login_session_id ? { loginSessionId: r.login_session_id } : {}),
    remember: Boolean(r.remember),
    rememberFor: r.remember_for,
    skip: Boolean(r.skip),
    grantedScope: d.granted_scope,
    grantedAudience: d.granted_audience,
    session: d.session,
    ...(d.authenticated_at ? { authenticatedAt: new Date(d.authenticated_at) } : {}),
    ...(d.acr ? { acr: d.acr } : {}),
    ...(d.amr ? { amr: d.amr } : {}),
    request: d.request,
    handledAt: r.handled_at,
    ...(r.expires_at ? { expiresAt: r.expires_at } : {}),
  };
}

/** `HandledChallengeStore` on `oauth2_challenges`. */
export class TypeormHandledChallengeStore implements HandledChallengeStore {
  private readonly putSql: string;

  constructor(private readonly persistence: Persistence) {
    this.putSql = upsertSql(persistence.dialect, 'oauth2_challenges', ['nid', 'challenge'], ['kind', 'request_url', 'handled_at', 'expires_at']);
  }

  private repo(ctx: Ctx) {
    return this.persistence.manager(ctx.tx).getRepository(ChallengeSchema);
  }

  async put(ctx: Ctx, c: HandledChallenge): Promise<void> {
    await this.persistence.execute(this.putSql, [ctx.realm, c.challenge, c.kind, c.requestUrl, time(this.persistence, c.handledAt), time(this.persistence, c.expiresAt)], ctx.tx);
  }

  async get(ctx: Ctx, challenge: string): Promise<HandledChallenge | undefined> {
    const [r] = await this.persistence.read('SELECT challenge, kind, request_url, handled_at, expires_at FROM oauth2_challenges WHERE nid = ? AND challenge = ?', [ctx.realm, challenge], ctx.tx);
    return r
      ? { challenge: String(r.challenge), kind: String(r.kind) as HandledChallenge['kind'], requestUrl: String(r.request_url), handledAt: rawDate(r.handled_at), expiresAt: rawDate(r.expires_at) }
      : undefined;
  }

  /** In chunks of 1,000 rows, yielding between chunks ({@link runBounded}). */
  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    return runBounded(this.persistence, { table: 'oauth2_challenges', where: 'nid = ? AND expires_at <= ?', params: [ctx.realm, time(this.persistence, now)] }, ctx.tx);
  }
}

const LOGOUT_COLUMNS = 'challenge, verifier, state, subject, sid, client_id, rp_initiated, data, expires_at, created_at';
const LOGOUT_INSERT = insertSql('oauth2_logout_requests', ['nid', ...LOGOUT_COLUMNS.split(', ')]);

/**
 * `LogoutRequestStore` on `oauth2_logout_requests`; state changes are compare-and-set. `update` (once
 * per logout, not a hot path) stays on the repository, whose affected-row count both dialects report alike.
 */
export class TypeormLogoutRequestStore implements LogoutRequestStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(ctx: Ctx) {
    return this.persistence.manager(ctx.tx).getRepository(LogoutRequestSchema);
  }

  async create(ctx: Ctx, r: LogoutRequest): Promise<void> {
    const row = toLogoutRow(r);
    await this.persistence.execute(
      LOGOUT_INSERT,
      [
        ctx.realm,
        row.challenge,
        row.verifier,
        row.state,
        row.subject,
        row.sid,
        row.client_id,
        flag(row.rp_initiated),
        JSON.stringify(row.data),
        time(this.persistence, row.expires_at),
        time(this.persistence, row.created_at),
      ],
      ctx.tx,
    );
  }

  async get(ctx: Ctx, challenge: string): Promise<LogoutRequest | undefined> {
    const [r] = await this.persistence.read(`SELECT ${LOGOUT_COLUMNS} FROM oauth2_logout_requests WHERE nid = ? AND challenge = ?`, [ctx.realm, challenge], ctx.tx);
    return r ? fromRawLogoutRow(r) : undefined;
  }

  async getByVerifier(ctx: Ctx, verifier: string): Promise<LogoutRequest | undefined> {
    const [r] = await this.persistence.read(`SELECT ${LOGOUT_COLUMNS} FROM oauth2_logout_requests WHERE nid = ? AND verifier = ?`, [ctx.realm, verifier], ctx.tx);
    return r ? fromRawLogoutRow(r) : undefined;
  }

  async update(ctx: Ctx, r: LogoutRequest, expectedState: LogoutRequest['state']): Promise<boolean> {
    const { challenge, ...rest } = toLogoutRow(r);
    const result = await this.repo(ctx).update({ nid: ctx.realm, challenge, state: expectedState }, rest as never);
    return (result.affected ?? 0) > 0;
  }

  /** In chunks of 1,000 rows, yielding between chunks ({@link runBounded}). */
  async deleteExpired(ctx: Ctx, now: Date): Promise<number> {
    return runBounded(this.persistence, { table: 'oauth2_logout_requests', where: 'nid = ? AND expires_at <= ?', params: [ctx.realm, time(this.persistence, now)] }, ctx.tx);
  }
}

function toLogoutRow(r: LogoutRequest): Omit<LogoutRequestRow, 'nid'> {
  return {
    challenge: r.challenge,
    verifier: r.verifier ?? null,
    state: r.state,
    subject: r.subject,
    sid: r.sid,
    client_id: r.clientId ?? null,
    rp_initiated: r.rpInitiated,
    data: { request_url: r.requestUrl, xsrf: r.xsrf, frontchannel_urls: r.frontchannelUrls },
    expires_at: r.expiresAt,
    created_at: r.createdAt,
  };
}

/** A raw `oauth2_logout_requests` row decoded as TypeORM would. */
function fromRawLogoutRow(r: Record<string, unknown>): LogoutRequest {
  const opt = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return fromLogoutRow({
    challenge: String(r.challenge),
    verifier: opt(r.verifier),
    state: String(r.state),
    subject: String(r.subject),
    sid: String(r.sid),
    client_id: opt(r.client_id),
    rp_initiated: rawBool(r.rp_initiated),
    data: rawJson(r.data),
    expires_at: rawDate(r.expires_at),
    created_at: rawDate(r.created_at),
  });
}

function fromLogoutRow(r: Omit<LogoutRequestRow, 'nid'>): LogoutRequest {
  const d = r.data as { request_url: string; xsrf: string; frontchannel_urls: string[] };
  return {
    challenge: r.challenge,
    ...(r.verifier ? { verifier: r.verifier } : {}),
    state: r.state as LogoutRequest['state'],
    subject: r.subject,
    sid: r.sid,
    ...(r.client_id ? { clientId: r.client_id } : {}),
    rpInitiated: Boolean(r.rp_initiated),
    requestUrl: d.request_url,
    xsrf: d.xsrf,
    frontchannelUrls: d.frontchannel_urls ?? [],
    expiresAt: r.expires_at,
    createdAt: r.created_at,
  };
}
