import type { Ctx } from '../../x';

/** One stored oidc-provider model instance (Session, Grant, AccessToken, Interaction, ...). */
export interface OidcPayloadRecord {
  readonly model: string;
  readonly id: string;
  readonly payload: Record<string, unknown>;
  readonly grantId?: string;
  readonly uid?: string;
  readonly userCode?: string;
  readonly accountId?: string;
  readonly clientId?: string;
  readonly expiresAt?: Date;
  readonly consumedAt?: Date;
}

/**
 * Persistence port behind the oidc-provider adapter: one table keyed by (model, id) with the lookup
 * columns oidc-provider needs (grantId, uid, userCode) and the ones the admin API queries
 * (accountId, clientId). Invariant: reads never return a record whose `expiresAt` is at or before `now`.
 */
export interface OidcPayloadStore {
  /** Inserts or replaces the payload and lookup columns; `consumedAt` of an existing row is kept. */
  upsert(ctx: Ctx, record: OidcPayloadRecord): Promise<void>;
  find(ctx: Ctx, model: string, id: string, now: Date): Promise<OidcPayloadRecord | undefined>;
  /** Which of `models` holds a live record with this id (one indexed lookup instead of one per model). */
  findModel(ctx: Ctx, models: readonly string[], id: string, now: Date): Promise<string | undefined>;
  findByUid(ctx: Ctx, model: string, uid: string, now: Date): Promise<OidcPayloadRecord | undefined>;
  findByUserCode(ctx: Ctx, model: string, userCode: string, now: Date): Promise<OidcPayloadRecord | undefined>;
  /** Marks a record consumed; true only for the call that consumed it (first consumption wins, atomically). */
  consume(ctx: Ctx, model: string, id: string, at: Date): Promise<boolean>;
  destroy(ctx: Ctx, model: string, id: string): Promise<void>;
  revokeByGrantId(ctx: Ctx, model: string, grantId: string): Promise<void>;
  /** Live records of a model for an account (e.g. Sessions of a subject). */
  listByAccount(ctx: Ctx, model: string, accountId: string, now: Date): Promise<OidcPayloadRecord[]>;
  /** Deletes every record of the models that belongs to the client; returns how many. */
  deleteByClient(ctx: Ctx, models: readonly string[], clientId: string): Promise<number>;
  /** Deletes every record of the models that belongs to the account; returns how many. */
  deleteByAccount(ctx: Ctx, models: readonly string[], accountId: string): Promise<number>;
  /** Deletes up to `limit` records expired before `now`; returns how many. */
  deleteExpired(ctx: Ctx, now: Date, limit: number): Promise<number>;
}

export interface OidcPayloadStoreProvider {
  readonly oidcPayloadStore: OidcPayloadStore;
}
