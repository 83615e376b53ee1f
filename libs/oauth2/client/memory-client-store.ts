import { type ClientPage, type ClientStore, DuplicateClientError, type ListClientsQuery } from './client-store';
import type { OAuth2Client } from './oauth2-client';
import type { Ctx } from '../../x';

/** In-memory `ClientStore` for unit tests. */
export class MemoryClientStore implements ClientStore {
  private readonly clients = new Map<string, OAuth2Client>();

  async create(ctx: Ctx, client: OAuth2Client): Promise<void> {
    if (this.clients.has(client.id)) throw new DuplicateClientError(client.id);
    this.clients.set(client.id, client);
  }

  async get(ctx: Ctx, id: string): Promise<OAuth2Client | undefined> {
    return this.clients.get(id);
  }

  async update(ctx: Ctx, client: OAuth2Client): Promise<boolean> {
    const existing = this.clients.get(client.id);
    if (!existing) return false;
    this.clients.set(client.id, { ...client, createdAt: existing.createdAt });
    return true;
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    return this.clients.delete(id);
  }

  async list(ctx: Ctx, query: ListClientsQuery): Promise<ClientPage> {
    const matching = [...this.clients.values()]
      .filter((c) => (query.clientName === undefined || c.metadata.client_name === query.clientName) && (query.owner === undefined || c.metadata.owner === query.owner))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    return { clients: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
  }
}
