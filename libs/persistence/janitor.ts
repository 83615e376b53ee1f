import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type Clock, type Ctx, DEFAULT_REALM, inRealm } from '../x';
import { DEFAULT_CHUNK_SIZE, boundedWriteSql } from './bounded-write';
import type { Persistence } from './persistence';
import { rawTimeParam } from './raw-values';
import { TypeormOidcPayloadStore } from './stores/typeorm-oidc-payload-store';
import { TypeormRealmStore } from './stores/typeorm-realm-store';

/** What one cleanup run deletes: rows older than `now - keepLastMs`, `batchSize` rows per statement. */
export interface CleanupOptions {
  /** Rows that expired (or, for errors and courier messages, were created) less than this long ago stay. Default 0. */
  readonly keepLastMs?: number;
  /** Rows per `DELETE` (each its own short transaction). Default 1,000. */
  readonly batchSize?: number;
  /** Only this realm; default every realm (`default` and every stored realm). */
  readonly realm?: string;
}

/** Rows deleted, per realm and table (tables with none deleted are left out), and in all. */
export interface CleanupReport {
  readonly realms: Record<string, Record<string, number>>;
  readonly total: number;
}

/**
 * One table the janitor cleans and which of its rows are garbage, given the cutoff (`?`, after `nid = ?`).
 * Each `where` starts with the columns of an index (`(nid, expires_at)` or `(nid, created_at)`, migrations 015
 * and 021), so a chunk reads the rows it deletes and not the realm's whole table.
 */
const TARGETS: readonly { table: string; where: string }[] = [
  // Self-service flows (a 1.4 KB JSON row per login) past their expiry: the flow answers 410 until then.
  { table: 'selfservice_flows', where: 'nid = ? AND expires_at < ?' },
  // Self-service errors have no expiry: kept for the keep window after they were created.
  { table: 'selfservice_errors', where: 'nid = ? AND created_at < ?' },
  // Expired sessions; a revoked (inactive) session stays listed for the identity until it would have expired.
  { table: 'sessions', where: 'nid = ? AND expires_at < ?' },
  // One-time codes and links (recovery, verification, login codes): used or not, they are dead once expired.
  { table: 'selfservice_tokens', where: 'nid = ? AND expires_at < ?' },
  // Delivered or given-up messages; queued and processing ones stay whatever their age.
  { table: 'courier_messages', where: "nid = ? AND created_at < ? AND status IN ('sent', 'abandoned')" },
  // Hydra's janitor: handled login/consent challenges, logout requests, remembered login/consent sessions, trust jtis.
  { table: 'oauth2_challenges', where: 'nid = ? AND expires_at < ?' },
  { table: 'oauth2_logout_requests', where: 'nid = ? AND expires_at < ?' },
  { table: 'oauth2_login_sessions', where: 'nid = ? AND expires_at < ?' },
  { table: 'oauth2_consent_sessions', where: 'nid = ? AND expires_at < ?' },
  { table: 'oauth2_trust_jtis', where: 'nid = ? AND expires_at < ?' },
];

/** The table whose expired rows go through the OAuth2 engine's own sweep statement (`OidcPayloadStore.deleteExpired`). */
const OIDC_PAYLOADS = 'oauth2_oidc_payloads';

/**
 * Kratos' `cleanup` and Hydra's `janitor` in one (issue 16/19): deletes expired self-service flows, errors,
 * sessions, codes, delivered courier messages, OAuth2 tokens/codes/grants (the engine's sweep statement) and
 * handled challenges, in every realm, in bounded chunks.
 *
 * Invariants: every statement deletes at most `batchSize` rows in its own autocommit transaction, and the event
 * loop serves other requests between two statements, so a run never holds SQLite's one connection or MySQL's row
 * locks for more than one chunk; only rows past `now - keepLast` are deleted (a row that is still usable is never
 * past its expiry); rows are matched by `nid`, so a run with `realm` touches that realm only. Runs are
 * idempotent: two processes sweeping at once delete each row once between them.
 */
export class Janitor {
  private readonly payloads: TypeormOidcPayloadStore;
  private readonly realmStore: TypeormRealmStore;
  private running?: Promise<CleanupReport>;

  constructor(
    private readonly persistence: Persistence,
    private readonly clock: Clock,
  ) {
    this.payloads = new TypeormOidcPayloadStore(persistence);
    this.realmStore = new TypeormRealmStore(persistence);
  }

  /** Runs a cleanup; a call while one runs in this process gets that run's report instead of starting another. */
  run(ctx: Ctx, options: CleanupOptions = {}): Promise<CleanupReport> {
    this.running ??= this.sweep(ctx, options).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweep(ctx: Ctx, options: CleanupOptions): Promise<CleanupReport> {
    const batch = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_CHUNK_SIZE));
    const cutoff = new Date(this.clock.now().getTime() - Math.max(0, options.keepLastMs ?? 0));
    const realms = options.realm !== undefined ? [options.realm] : [DEFAULT_REALM, ...(await this.realmStore.list(ctx)).map((r) => r.name)];
    const report: Record<string, Record<string, number>> = {};
    let total = 0;
    for (const realm of realms) {
      const inIt = inRealm(ctx, realm);
      const counts: Record<string, number> = {};
      for (const { table, where } of TARGETS) {
        const sql = boundedWriteSql(this.persistence.dialect, { table, where, params: [] }, batch);
        counts[table] = await this.chunks(batch, () => this.persistence.execute(sql, [realm, rawTimeParam(this.persistence.dialect, cutoff)]));
      }
      counts[OIDC_PAYLOADS] = await this.chunks(batch, () => this.payloads.deleteExpired(inIt, cutoff, batch));
      const deleted = Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
      const sum = Object.values(deleted).reduce((a, b) => a + b, 0);
      if (sum > 0) report[realm] = deleted;
      total += sum;
    }
    return { realms: report, total };
  }

  /** Runs `chunk` until it deletes fewer than `batch` rows, yielding to the event loop in between. */
  private async chunks(batch: number, chunk: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await chunk();
      total += n;
      if (n < batch) return total;
      await yieldToEventLoop();
    }
  }
}
