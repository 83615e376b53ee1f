import { applyPatch, type Operation } from 'fast-json-patch';
import type { RealmConfigProvider, SecretsProvider } from '../../config';
import { validateBody } from '../../http';
import { type ClockProvider, constantTimeEqual, newId, type Ctx } from '../../x';
import { ClientLifespansBody, OAuth2ClientBody, dtoKeys } from './client-body';
import { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret';
import { type ClientPage, type ClientStoreProvider, DuplicateClientError, type ListClientsQuery } from './client-store';
import { parseLifespans, validateClientMetadata } from './client-validator';
import { clientNotFound, genericError, invalidRequest } from './hydra-errors';
import { type ClientMetadata, type OAuth2Client, usesClientSecret } from './oauth2-client';
import { toWire } from './wire';

/**
 * Checks a client against the OAuth2 engine's own rules before it is stored (implemented by
 * `libs/oauth2/provider`, which may construct protocol clients; this lib may not import it).
 */
export interface ClientProtocolValidator {
  /** @throws OryError 400 invalid_client_metadata when the engine would refuse the client. */
  validate(ctx: Ctx, client: OAuth2Client): Promise<void>;
}

export type ClientManagerDeps = ClientStoreProvider &
  RealmConfigProvider &
  SecretsProvider &
  ClockProvider & { readonly clientProtocolValidator?: ClientProtocolValidator };

/** A client after a write, with the plaintext values the response shows exactly once. */
export interface ClientWriteResult {
  readonly client: OAuth2Client;
  readonly clientSecret?: string;
  readonly registrationAccessToken?: string;
}

export interface ClientWriteOptions {
  /**
   * Dynamic client registration rules: no chosen secret, no admin-only fields (`ADMIN_ONLY_FIELDS`),
   * an update keeps the stored admin-only values, the token rotates on update.
   */
  readonly dcr?: boolean;
}

const BODY_KEYS = dtoKeys(OAuth2ClientBody);
const LIFESPAN_KEYS = dtoKeys(ClientLifespansBody);
const TOKEN_PREFIX = 'ory_at_';

/**
 * Creates, reads, replaces, patches and deletes OAuth2 clients with Hydra's rules (hydra-api.md §2).
 * Invariants: secrets and registration access tokens leave this class in plaintext only inside a
 * `ClientWriteResult`; ids are server-generated UUIDs; every write is validated like a create.
 */
export class ClientManager {
  constructor(private readonly deps: ClientManagerDeps) {}

  /** @throws OryError 400 (client_id set, DCR secret, validation), 409 on an id collision. */
  async create(ctx: Ctx, input: unknown, options: ClientWriteOptions = {}): Promise<ClientWriteResult> {
    const body = parseBody(input);
    if (body.client_id) {
      throw genericError(400, 'It is no longer possible to set an OAuth2 Client ID as a user. The system will generate a unique ID for you.');
    }
    if (options.dcr && body.client_secret) throw invalidRequest('It is not allowed to choose your own OAuth2 Client secret.');
    const metadata = validateClientMetadata(body, this.validationContext(options));
    const secret = usesClientSecret(metadata.token_endpoint_auth_method) ? body.client_secret || generateClientSecret() : undefined;
    const registrationAccessToken = `${TOKEN_PREFIX}${generateClientSecret()}`;
    const now = this.deps.clock.now();
    const client: OAuth2Client = {
      id: newId(),
      metadata,
      ...(secret ? { secretHash: this.hash(secret) } : {}),
      registrationAccessTokenHash: this.hash(registrationAccessToken),
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.clientProtocolValidator?.validate(ctx, client);
    try {
      await this.deps.clientStore.create(ctx, client);
    } catch (error) {
      if (error instanceof DuplicateClientError) throw genericError(409);
      throw error;
    }
    return { client, clientSecret: secret, registrationAccessToken };
  }

  /** @throws OryError 404 */
  async get(ctx: Ctx, id: string): Promise<OAuth2Client> {
    const client = await this.deps.clientStore.get(ctx, id);
    if (!client) throw clientNotFound();
    return client;
  }

  async list(ctx: Ctx, query: ListClientsQuery): Promise<ClientPage> {
    return this.deps.clientStore.list(ctx, query);
  }

  /**
   * Full replacement (PUT). The id comes from the path; a body without `client_secret` keeps the
   * stored hash (a secret is generated only when the client newly needs one). DCR updates rotate the
   * registration access token.
   * @throws OryError 404, 400
   */
  async update(ctx: Ctx, id: string, input: unknown, options: ClientWriteOptions = {}): Promise<ClientWriteResult> {
    const existing = await this.get(ctx, id);
    const body = parseBody(input);
    if (options.dcr && body.client_secret) throw genericError(403, 'It is not allowed to choose your own OAuth2 Client secret.');
    const validated = validateClientMetadata(body, this.validationContext(options));
    // A registered client's own update keeps what only an operator may set.
    const metadata = options.dcr ? keepAdminOnlyFields(validated, existing.metadata) : validated;
    let secret: string | undefined;
    let secretHash: string | undefined;
    if (usesClientSecret(metadata.token_endpoint_auth_method)) {
      secret = body.client_secret || (existing.secretHash ? undefined : generateClientSecret());
      secretHash = secret ? this.hash(secret) : existing.secretHash;
    }
    const registrationAccessToken = options.dcr ? `${TOKEN_PREFIX}${generateClientSecret()}` : undefined;
    const client: OAuth2Client = {
      id,
      metadata,
      ...(secretHash ? { secretHash } : {}),
      registrationAccessTokenHash: registrationAccessToken ? this.hash(registrationAccessToken) : existing.registrationAccessTokenHash,
      createdAt: existing.createdAt,
      updatedAt: this.deps.clock.now(),
    };
    await this.deps.clientProtocolValidator?.validate(ctx, client);
    if (!(await this.deps.clientStore.update(ctx, client))) throw clientNotFound();
    return { client, clientSecret: secret, registrationAccessToken };
  }

  /**
   * RFC 6902 on the client's JSON (only add, remove and replace), validated like a PUT. Changing
   * `/client_secret` re-hashes it and shows it once.
   * @throws OryError 404, 400 (bad patch or invalid result)
   */
  async patch(ctx: Ctx, id: string, operations: unknown): Promise<ClientWriteResult> {
    const existing = await this.get(ctx, id);
    if (!Array.isArray(operations)) throw genericError(400, 'The request body must be a JSON Patch array.');
    for (const op of operations as Partial<Operation>[]) {
      if (typeof op !== 'object' || op === null || !['add', 'remove', 'replace'].includes(String(op.op)) || typeof op.path !== 'string') {
        throw genericError(400, 'Only JSON Patch operations "add", "remove" and "replace" with a path are supported.');
      }
      if (op.path === '/id' || op.path === '/client_id') throw genericError(400, `The path ${op.path} can not be patched.`);
    }
    const document = toWire(existing);
    let patched: unknown;
    try {
      patched = applyPatch(document, operations as Operation[], true, false).newDocument;
    } catch (error) {
      throw genericError(400, `Unable to apply the JSON Patch: ${(error as Error).message.split('\n')[0]}`);
    }
    return this.update(ctx, id, { ...(patched as Record<string, unknown>), client_id: undefined });
  }

  /** @throws OryError 404 */
  async delete(ctx: Ctx, id: string): Promise<void> {
    if (!(await this.deps.clientStore.delete(ctx, id))) throw clientNotFound();
  }

  /** `PUT /admin/clients/{id}/lifespans`: replaces the twelve lifespans. @throws OryError 404, 400 */
  async setLifespans(ctx: Ctx, id: string, input: unknown): Promise<OAuth2Client> {
    const existing = await this.get(ctx, id);
    const body = validateBody(ClientLifespansBody, pick(input, LIFESPAN_KEYS));
    const client: OAuth2Client = {
      ...existing,
      metadata: { ...existing.metadata, lifespans: parseLifespans(body) },
      updatedAt: this.deps.clock.now(),
    };
    if (!(await this.deps.clientStore.update(ctx, client))) throw clientNotFound();
    return client;
  }

  /**
   * The client a registration access token (RFC 7592, `Bearer`) belongs to.
   * @throws OryError 401 with Hydra's wording for a wrong token or an unknown client.
   */
  async authenticateRegistration(ctx: Ctx, id: string, token: string | undefined): Promise<OAuth2Client> {
    const client = await this.deps.clientStore.get(ctx, id);
    const presented = token?.startsWith(TOKEN_PREFIX) ? token : `${TOKEN_PREFIX}${token ?? ''}`;
    const ok = client !== undefined && token !== undefined && verifyClientSecret(presented, client.registrationAccessTokenHash, this.deps.secrets.system);
    // Compare something even for unknown clients so timing does not reveal which ids exist.
    if (!ok) {
      constantTimeEqual(presented, presented);
      throw genericError(401, 'The requested OAuth 2.0 client does not exist or you provided incorrect credentials.');
    }
    return client;
  }

  /** True when `secret` is the client's secret (constant time, any system secret as pepper). */
  verifySecret(client: OAuth2Client, secret: string): boolean {
    return verifyClientSecret(secret, client.secretHash, this.deps.secrets.system);
  }

  private hash(value: string): string {
    return hashClientSecret(value, this.deps.secrets.system);
  }

  private validationContext(options: ClientWriteOptions) {
    const oidc = this.deps.config.oidc;
    return { defaultScope: oidc.dynamic_client_registration.default_scope, subjectTypes: oidc.subject_identifiers.supported_types, dcr: options.dcr ?? false };
  }
}

/** `next` with the admin-only values (metadata, skip_consent, skip_logout_consent, access_token_strategy, lifespans) of `stored`. */
function keepAdminOnlyFields(next: ClientMetadata, stored: ClientMetadata): ClientMetadata {
  const { access_token_strategy: _dropped, skip_logout_consent: _unset, ...rest } = next;
  return {
    ...rest,
    metadata: stored.metadata,
    skip_consent: stored.skip_consent,
    ...(stored.skip_logout_consent !== undefined ? { skip_logout_consent: stored.skip_logout_consent } : {}),
    ...(stored.access_token_strategy ? { access_token_strategy: stored.access_token_strategy } : {}),
    lifespans: stored.lifespans,
  };
}

/** Keeps the keys the DTO knows (Hydra ignores unknown fields), then validates the shape. */
function parseBody(input: unknown): OAuth2ClientBody {
  return validateBody(OAuth2ClientBody, pick(input, BODY_KEYS));
}

function pick(input: unknown, keys: readonly string[]): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([k, v]) => keys.includes(k) && v !== null));
}

export interface ClientManagerProvider {
  readonly clientManager: ClientManager;
}
