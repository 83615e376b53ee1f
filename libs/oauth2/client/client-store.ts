import type { Ctx } from '../../x';
import type { OAuth2Client } from './oauth2-client';

/** A window of the client list (token pagination decodes into an offset). */
export interface ListClientsQuery {
  readonly offset: number;
  readonly limit: number;
  /** Exact match. */
  readonly clientName?: string;
  /** Exact match. */
  readonly owner?: string;
}

/** A page of clients and the number of clients matching the filters. */
export interface ClientPage {
  readonly clients: readonly OAuth2Client[];
  readonly total: number;
}

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
