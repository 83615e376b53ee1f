import { type ClientPage, type ClientStore, DuplicateClientError, type ListClientsQuery } from './client-store';
import type { OAuth2Client } from './oauth2-client';
import { ByRealm, type Ctx, keysetPageOf, timeKey } from '../../x';

/** In-memory `ClientStore` for unit tests. */
export class MemoryClientStore implements ClientStore {
  private readonly clientsByRealm = new ByRealm<Map<string, OAuth2Client>>(() => new Map<string, OAuth2Client>());
  private clients(ctx: Ctx): Map<string, OAuth2Client> {
    return this.clientsByRealm.of(ctx);
  }

  async create(ctx: Ctx, client: OAuth2Client): Promise<void> {
    if (this.clients(ctx).has(client.id)) throw new DuplicateClientError(client.id);
    this.clients(ctx).set(client.id, client);
  }

  async get(ctx: Ctx, id: string): Promise<OAuth2Client | undefined> {
    return this.clients(ctx).get(id);
  }

  async update(ctx: Ctx, client: OAuth2Client): Promise<boolean> {
    const existing = this.clients(ctx).get(client.id);
    if (!existing) return false;
    this.clients(ctx).set(client.id, { ...client, createdAt: existing.createdAt });
    return true;
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    return this.clients(ctx).delete(id);
  }

  async list(ctx: Ctx, query: ListClientsQuery): Promise<ClientPage> {
    const matching = [...this.clients(ctx).values()].filter(
      (c) => (query.clientName === undefined || c.metadata.client_name === query.clientName) && (query.owner === undefined || c.metadata.owner === query.owner),
    );
    return keysetPageOf(matching, (c) => [timeKey(c.createdAt), c.id], 'ASC', query);
  }
}
