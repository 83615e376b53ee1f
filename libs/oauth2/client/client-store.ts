import type { Ctx, KeyPart, KeysetPage, KeysetWindow } from '../../x';
import type { OAuth2Client } from './oauth2-client';

/** The client list's key: `(created_at, id)`, ascending (index `idx_oauth2_clients_created` on `(nid, created_at, id)`). */
export const CLIENT_LIST_KEY: readonly KeyPart[] = ['time', 'text'];

/** A keyset window of the client list, with its filters. */
export interface ListClientsQuery extends KeysetWindow {
  /** Exact match. */
  readonly clientName?: string;
  /** Exact match. */
  readonly owner?: string;
}

/** A keyset page of clients (never counted). */
export type ClientPage = KeysetPage<OAuth2Client>;

/** A client with this id exists already. */
export class DuplicateClientError extends Error {
  constructor(readonly id: string) {
    super(`An OAuth2 client with id ${id} exists already.`);
    this.name = 'DuplicateClientError';
  }
}

/** Persistence port for OAuth2 clients (Hydra's `client.Manager`). Ordered by creation, then id. */
export interface ClientStore {
  /**
   * Counts this instance's writes (create, update, delete: bumped before and after each), so caches
   * of clients in this process can tell theirs is stale. Absent: callers must not cache clients.
   */
  readonly generation?: number;
  /** @throws DuplicateClientError */
  create(ctx: Ctx, client: OAuth2Client): Promise<void>;
  get(ctx: Ctx, id: string): Promise<OAuth2Client | undefined>;
  /** Replaces the stored client; false when it does not exist. `createdAt` is kept as stored. */
  update(ctx: Ctx, client: OAuth2Client): Promise<boolean>;
  delete(ctx: Ctx, id: string): Promise<boolean>;
  list(ctx: Ctx, query: ListClientsQuery): Promise<ClientPage>;
}

export interface ClientStoreProvider {
  readonly clientStore: ClientStore;
}
