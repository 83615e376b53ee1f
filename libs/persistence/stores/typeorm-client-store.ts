import { type ClientMetadata, type ClientPage, type ClientStore, DuplicateClientError, type ListClientsQuery, type OAuth2Client } from '../../oauth2/client';
import { type Ctx, keysetPage, timeKey } from '../../x';
import { keysetFind } from '../keyset-find';
import { isDuplicateKeyError, type Persistence } from '../persistence';
import { rawBool, rawDate, rawJson } from '../raw-values';
import { type OAuth2ClientRow, OAuth2ClientSchema } from '../schemas/oauth2.schema';

const COLUMNS = 'id, client_name, owner, secret_hash, registration_token_hash, metadata, skip_logout_consent, created_at, updated_at';

/**
 * `ClientStore` on `oauth2_clients`: the metadata is one JSON document; `client_name` and `owner` are
 * copied into columns for the list filters. `skip_logout_consent` lives only in its own nullable column
 * (as in Hydra), never in the JSON. `get` is on every token request, so it is one raw query.
 */
export class TypeormClientStore implements ClientStore {
  private writes = 0;

  constructor(private readonly persistence: Persistence) {}

  get generation(): number {
    return this.writes;
  }

  /** Runs a write with the generation bumped before (readers started now do not cache) and after it. */
  private async write<T>(work: () => Promise<T>): Promise<T> {
    this.writes++;
    try {
      return await work();
    } finally {
      this.writes++;
    }
  }

  private repo(ctx: Ctx) {
    return this.persistence.manager(ctx.tx).getRepository(OAuth2ClientSchema);
  }

  async create(ctx: Ctx, client: OAuth2Client): Promise<void> {
    await this.write(async () => {
      try {
        await this.repo(ctx).insert({ ...toRow(client), nid: ctx.realm } as never);
      } catch (error) {
        if (isDuplicateKeyError(error)) throw new DuplicateClientError(client.id);
        throw error;
      }
    });
  }

  async get(ctx: Ctx, id: string): Promise<OAuth2Client | undefined> {
    const [row] = await this.persistence.read(`SELECT ${COLUMNS} FROM oauth2_clients WHERE nid = ? AND id = ?`, [ctx.realm, id], ctx.tx);
    return row ? fromRaw(row) : undefined;
  }

  async update(ctx: Ctx, client: OAuth2Client): Promise<boolean> {
    const { id, created_at: _created, ...row } = toRow(client);
    const result = await this.write(() => this.repo(ctx).update({ nid: ctx.realm, id }, row as never));
    return (result.affected ?? 0) > 0;
  }

  async delete(ctx: Ctx, id: string): Promise<boolean> {
    return ((await this.write(() => this.repo(ctx).delete({ nid: ctx.realm, id }))).affected ?? 0) > 0;
  }

  async list(ctx: Ctx, query: ListClientsQuery): Promise<ClientPage> {
    const where = { nid: ctx.realm, ...(query.clientName !== undefined ? { client_name: query.clientName } : {}), ...(query.owner !== undefined ? { owner: query.owner } : {}) };
    const rows = await this.repo(ctx).find(keysetFind(where, [{ column: 'created_at', part: 'time' }, { column: 'id', part: 'text' }], 'ASC', query));
    const page = keysetPage(rows, query.size, (r) => [timeKey(rawDate(r.created_at)), r.id]);
    return { ...page, items: page.items.map(fromRow) };
  }
}

function toRow(c: OAuth2Client): Omit<OAuth2ClientRow, 'nid'> {
  const { skip_logout_consent: skipLogoutConsent, ...metadata } = c.metadata;
  return {
    id: c.id,
    client_name: c.metadata.client_name,
    owner: c.metadata.owner,
    secret_hash: c.secretHash ?? null,
    registration_token_hash: c.registrationAccessTokenHash ?? null,
    metadata: metadata as unknown as Record<string, unknown>,
    skip_logout_consent: skipLogoutConsent ?? null,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
  };
}

function fromRow(r: OAuth2ClientRow): OAuth2Client {
  return {
    id: r.id,
    metadata: { ...(r.metadata as unknown as ClientMetadata), ...(typeof r.skip_logout_consent === 'boolean' ? { skip_logout_consent: r.skip_logout_consent } : {}) },
    ...(r.secret_hash ? { secretHash: r.secret_hash } : {}),
    ...(r.registration_token_hash ? { registrationAccessTokenHash: r.registration_token_hash } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function fromRaw(r: Record<string, unknown>): OAuth2Client {
  return fromRow({
    ...(r as unknown as OAuth2ClientRow),
    metadata: rawJson(r.metadata),
    skip_logout_consent: r.skip_logout_consent === null || r.skip_logout_consent === undefined ? null : rawBool(r.skip_logout_consent),
    created_at: rawDate(r.created_at),
    updated_at: rawDate(r.updated_at),
  });
}
