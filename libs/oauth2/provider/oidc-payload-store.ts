import type { Transaction } from '../../x';

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
  upsert(record: OidcPayloadRecord, tx?: Transaction): Promise<void>;
  find(model: string, id: string, now: Date, tx?: Transaction): Promise<OidcPayloadRecord | undefined>;
  /** Which of `models` holds a live record with this id (one indexed lookup instead of one per model). */
  findModel(models: readonly string[], id: string, now: Date, tx?: Transaction): Promise<string | undefined>;
  findByUid(model: string, uid: string, now: Date, tx?: Transaction): Promise<OidcPayloadRecord | undefined>;
  findByUserCode(model: string, userCode: string, now: Date, tx?: Transaction): Promise<OidcPayloadRecord | undefined>;
  /** Marks a record consumed; true only for the call that consumed it (first consumption wins, atomically). */
  consume(model: string, id: string, at: Date, tx?: Transaction): Promise<boolean>;
  destroy(model: string, id: string, tx?: Transaction): Promise<void>;
  revokeByGrantId(model: string, grantId: string, tx?: Transaction): Promise<void>;
  /** Live records of a model for an account (e.g. Sessions of a subject). */
  listByAccount(model: string, accountId: string, now: Date, tx?: Transaction): Promise<OidcPayloadRecord[]>;
  /** Deletes every record of the models that belongs to the client; returns how many. */
  deleteByClient(models: readonly string[], clientId: string, tx?: Transaction): Promise<number>;
  /** Deletes every record of the models that belongs to the account; returns how many. */
  deleteByAccount(models: readonly string[], accountId: string, tx?: Transaction): Promise<number>;
  /** Deletes up to `limit` records expired before `now`; returns how many. */
  deleteExpired(now: Date, limit: number, tx?: Transaction): Promise<number>;
}

export interface OidcPayloadStoreProvider {
  readonly oidcPayloadStore: OidcPayloadStore;
}
