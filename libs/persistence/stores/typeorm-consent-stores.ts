import { In, LessThanOrEqual } from 'typeorm';
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
import type { Transaction } from '../../x';
import type { Persistence } from '../persistence';
import { rawBool, rawDate, rawJson, rawOptionalDate } from '../raw-values';
import {
  ChallengeSchema,
  type ConsentSessionRow,
  ConsentSessionSchema,
  type LoginSessionRow,
  LoginSessionSchema,
  type LogoutRequestRow,
  LogoutRequestSchema,
} from '../schemas/oauth2.schema';

/** `LoginSessionStore` on `oauth2_login_sessions`. */
export class TypeormLoginSessionStore implements LoginSessionStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(tx?: Transaction) {
    return this.persistence.manager(tx).getRepository(LoginSessionSchema);
  }

  async upsert(s: LoginSession, tx?: Transaction): Promise<void> {
    const now = new Date();
    const row: LoginSessionRow = {
      id: s.id,
      subject: s.subject,
      remember: s.remember,
      remember_for: s.rememberFor,
      authenticated_at: s.authenticatedAt,
      data: { ...(s.acr ? { acr: s.acr } : {}), ...(s.amr ? { amr: s.amr } : {}) },
      expires_at: s.expiresAt ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.repo(tx).upsert(row as never, ['id']);
  }

  async get(id: string, tx?: Transaction): Promise<LoginSession | undefined> {
    const [r] = await this.persistence.read('SELECT id, subject, remember, remember_for, authenticated_at, data, expires_at FROM oauth2_login_sessions WHERE id = ?', [id], tx);
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

  async deleteBySubject(subject: string, tx?: Transaction): Promise<string[]> {
    const rows = await this.repo(tx).find({ where: { subject }, select: { id: true } });
    if (rows.length) await this.repo(tx).delete({ id: In(rows.map((r) => r.id)) });
    return rows.map((r) => r.id);
  }

  async deleteExpired(now: Date, tx?: Transaction): Promise<number> {
    return (await this.repo(tx).delete({ expires_at: LessThanOrEqual(now) })).affected ?? 0;
  }
}

/** `ConsentSessionStore` on `oauth2_consent_sessions`; the read by grant id is raw (it runs per token). */
export class TypeormConsentSessionStore implements ConsentSessionStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(tx?: Transaction) {
    return this.persistence.manager(tx).getRepository(ConsentSessionSchema);
  }

  async create(c: ConsentSession, tx?: Transaction): Promise<void> {
    await this.repo(tx).insert(toConsentRow(c) as never);
  }

  async getByGrantId(grantId: string, tx?: Transaction): Promise<ConsentSession | undefined> {
    const [r] = await this.persistence.read(
      'SELECT grant_id, challenge, subject, client_id, login_session_id, remember, remember_for, skip, data, handled_at, expires_at FROM oauth2_consent_sessions WHERE grant_id = ?',
      [grantId],
      tx,
    );
    return r
      ? fromConsentRow({
          ...(r as unknown as ConsentSessionRow),
          remember: rawBool(r.remember),
          skip: rawBool(r.skip),
          remember_for: Number(r.remember_for),
          data: rawJson(r.data),
          handled_at: rawDate(r.handled_at),
          expires_at: rawOptionalDate(r.expires_at) ?? null,
        })
      : undefined;
  }

  async listRemembered(subject: string, clientId: string, tx?: Transaction): Promise<ConsentSession[]> {
    const rows = await this.repo(tx).find({ where: { subject, client_id: clientId, remember: true, skip: false }, order: { handled_at: 'DESC' }, take: 20 });
    return rows.map(fromConsentRow);
  }

  async listBySubject(subject: string, window: { offset: number; limit: number }, tx?: Transaction): Promise<ConsentSessionPage> {
    const [rows, total] = await this.repo(tx).findAndCount({ where: { subject, skip: false }, order: { handled_at: 'DESC', grant_id: 'ASC' }, skip: window.offset, take: window.limit });
    return { sessions: rows.map(fromConsentRow), total };
  }

  async grantIds(subject: string, clientId?: string, tx?: Transaction): Promise<string[]> {
    const rows = await this.repo(tx).find({ where: { subject, ...(clientId ? { client_id: clientId } : {}) }, select: { grant_id: true } });
    return rows.map((r) => r.grant_id);
  }

  async deleteByGrantIds(grantIds: readonly string[], tx?: Transaction): Promise<void> {
    for (let i = 0; i < grantIds.length; i += 500) await this.repo(tx).delete({ grant_id: In(grantIds.slice(i, i + 500)) });
  }

  async deleteExpired(now: Date, tx?: Transaction): Promise<number> {
    return (await this.repo(tx).delete({ expires_at: LessThanOrEqual(now) })).affected ?? 0;
  }
}

function toConsentRow(c: ConsentSession): ConsentSessionRow {
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

function fromConsentRow(r: ConsentSessionRow): ConsentSession {
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
  constructor(private readonly persistence: Persistence) {}

  private repo(tx?: Transaction) {
    return this.persistence.manager(tx).getRepository(ChallengeSchema);
  }

  async put(c: HandledChallenge, tx?: Transaction): Promise<void> {
    await this.repo(tx).upsert({ challenge: c.challenge, kind: c.kind, request_url: c.requestUrl, handled_at: c.handledAt, expires_at: c.expiresAt } as never, ['challenge']);
  }

  async get(challenge: string, tx?: Transaction): Promise<HandledChallenge | undefined> {
    const r = await this.repo(tx).findOneBy({ challenge });
    return r ? { challenge: r.challenge, kind: r.kind as HandledChallenge['kind'], requestUrl: r.request_url, handledAt: r.handled_at, expiresAt: r.expires_at } : undefined;
  }

  async deleteExpired(now: Date, tx?: Transaction): Promise<number> {
    return (await this.repo(tx).delete({ expires_at: LessThanOrEqual(now) })).affected ?? 0;
  }
}

/** `LogoutRequestStore` on `oauth2_logout_requests`; state changes are compare-and-set. */
export class TypeormLogoutRequestStore implements LogoutRequestStore {
  constructor(private readonly persistence: Persistence) {}

  private repo(tx?: Transaction) {
    return this.persistence.manager(tx).getRepository(LogoutRequestSchema);
  }

  async create(r: LogoutRequest, tx?: Transaction): Promise<void> {
    await this.repo(tx).insert(toLogoutRow(r) as never);
  }

  async get(challenge: string, tx?: Transaction): Promise<LogoutRequest | undefined> {
    const r = await this.repo(tx).findOneBy({ challenge });
    return r ? fromLogoutRow(r) : undefined;
  }

  async getByVerifier(verifier: string, tx?: Transaction): Promise<LogoutRequest | undefined> {
    const r = await this.repo(tx).findOneBy({ verifier });
    return r ? fromLogoutRow(r) : undefined;
  }

  async update(r: LogoutRequest, expectedState: LogoutRequest['state'], tx?: Transaction): Promise<boolean> {
    const { challenge, ...rest } = toLogoutRow(r);
    const result = await this.repo(tx).update({ challenge, state: expectedState }, rest as never);
    return (result.affected ?? 0) > 0;
  }

  async deleteExpired(now: Date, tx?: Transaction): Promise<number> {
    return (await this.repo(tx).delete({ expires_at: LessThanOrEqual(now) })).affected ?? 0;
  }
}

function toLogoutRow(r: LogoutRequest): LogoutRequestRow {
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

function fromLogoutRow(r: LogoutRequestRow): LogoutRequest {
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
