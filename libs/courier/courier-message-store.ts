import type { Ctx, KeyPart, KeysetPage, KeysetWindow } from '../x';
import type { CourierMessage, MessageStatus, MessageType } from './message';

/** The message list's key: `(created_at, id)`, newest first (indexes `(nid, created_at, id)` and `(nid, recipient, created_at, id)`). */
export const COURIER_MESSAGE_LIST_KEY: readonly KeyPart[] = ['time', 'uuid'];

/** Filters and keyset window of the admin message list. */
export interface ListMessagesQuery extends KeysetWindow {
  readonly status?: MessageStatus;
  /** The recipient (exact match; MySQL's collation ignores case). */
  readonly recipient?: string;
}

/** What one claim asks for. */
export interface ClaimRequest {
  /** Identifies the dispatcher; only it may settle what it claims. */
  readonly workerId: string;
  /** The instant due-ness and lease expiry are judged at. */
  readonly now: Date;
  /** Until when the claimed messages belong to `workerId`. */
  readonly leaseUntil: Date;
  /** At most this many messages. */
  readonly limit: number;
  /** Only messages of these types (the channels the dispatcher has). */
  readonly types: readonly MessageType[];
  /** Only messages of this realm (`tessera courier watch --realm`); every realm's when absent. */
  readonly realm?: string;
}

/** How a failed send ends: queued again for `nextAttemptAt`, or given up. */
export type FailedOutcome = { readonly status: 'queued'; readonly nextAttemptAt: Date } | { readonly status: 'abandoned' };

/**
 * Persistence port for courier messages (architecture B9).
 *
 * Invariant: a message is claimed by at most one dispatcher at a time, across processes sharing the
 * database. `claim` takes a message only when it is `queued` and due (`nextAttemptAt <= now`) or
 * `processing` with an expired lease, in one atomic conditional write; `markSent`/`markFailed` only
 * succeed for the dispatcher holding the claim.
 */
export interface CourierMessageStore {
  create(ctx: Ctx, message: CourierMessage): Promise<void>;
  get(ctx: Ctx, id: string): Promise<CourierMessage | undefined>;
  /** A keyset page, newest first (creation time, then id, descending); never counts. */
  list(ctx: Ctx, query: ListMessagesQuery): Promise<KeysetPage<CourierMessage>>;
  /**
   * Claims up to `limit` due messages, oldest due first: sets `processing`, the claim and lease, and
   * raises `sendCount` by one. Returns the claimed messages as stored after the claim.
   */
  claim(ctx: Ctx, request: ClaimRequest): Promise<CourierMessage[]>;
  /** `processing` → `sent`; false when `workerId` no longer holds the claim. */
  markSent(ctx: Ctx, id: string, workerId: string, now: Date): Promise<boolean>;
  /** `processing` → `queued` (retry at `nextAttemptAt`) or `abandoned`; false when the claim was lost. */
  markFailed(ctx: Ctx, id: string, workerId: string, outcome: FailedOutcome, now: Date): Promise<boolean>;
}

export interface CourierMessageStoreProvider {
  readonly courierMessageStore: CourierMessageStore;
}
