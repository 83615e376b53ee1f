import type { Transaction } from '../../x';
import type { AnyFlow, FlowKind } from './flow';

/** Persistence port for self-service flows (one document per flow). */
export interface FlowStore {
  create(flow: AnyFlow, tx?: Transaction): Promise<void>;
  update(flow: AnyFlow, tx?: Transaction): Promise<void>;
  /** The flow of `kind` with `id`, or `undefined` (also for a flow of another kind). */
  get<K extends FlowKind>(kind: K, id: string, tx?: Transaction): Promise<Extract<AnyFlow, { kind: K }> | undefined>;
  /**
   * Like `get`, but the flow is locked against concurrent writers until `tx` ends: another
   * `getForUpdate` of it waits for `tx` to commit and then sees its writes. Counters and one-time state
   * kept in a flow (wrong-try counts) are read-checked-written only after this.
   */
  getForUpdate<K extends FlowKind>(kind: K, id: string, tx: Transaction): Promise<Extract<AnyFlow, { kind: K }> | undefined>;
}

export interface FlowStoreProvider {
  readonly flowStore: FlowStore;
}

/** A browser error stored for the error UI (`GET /self-service/errors?id=`). */
export interface StoredError {
  readonly id: string;
  readonly error: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Persistence port for browser errors. */
export interface ErrorStore {
  create(error: Record<string, unknown>, tx?: Transaction): Promise<string>;
  /** The error, marking it seen; `undefined` when unknown. */
  read(id: string, tx?: Transaction): Promise<StoredError | undefined>;
}

export interface ErrorStoreProvider {
  readonly errorStore: ErrorStore;
}
