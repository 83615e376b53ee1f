import Ajv from 'ajv';
import { type Operation, applyPatch, JsonPatchError } from 'fast-json-patch';
import type { RealmConfigProvider } from '../config';
import { badRequest, conflict, notFound, OryError } from '../http/errors';
import { type ClockProvider, type LoggerProvider, type TransactionRunnerProvider, TransactionRetriesExhaustedError, lazy, newTimeOrderedId, type Ctx } from '../x';
import type { CreateIdentityBody, JsonPatchOperation, UpdateIdentityBody } from './admin-bodies';
import { credentialsImportSchema } from './credentials-import.schema';
import { type PasswordHasher, PasswordTooLongError, UnknownHashFormatError, assertImportableHash } from './hasher';
import {
  type AddressVia,
  type Credentials,
  type CredentialsType,
  type Identity,
  type RecoveryAddress,
  type VerifiableAddress,
  normalizeIdentifier,
} from './identity';
import { DuplicateIdentifierError, type PrivilegedIdentityPoolProvider } from './identity-pool';
import { IdentitySchemaError, type IdentitySchemasProvider, TraitsValidationError, type TraitsExtensions } from './identity-schemas';
import { toWire } from './wire';

export interface PasswordHasherProvider {
  readonly passwordHasher: PasswordHasher;
}

export type IdentityManagerDeps = RealmConfigProvider &
  ClockProvider &
  IdentitySchemasProvider &
  PrivilegedIdentityPoolProvider &
  PasswordHasherProvider &
  TransactionRunnerProvider &
  LoggerProvider;

/**
 * Credentials the admin API may remove one by one (Kratos v1 `DELETE /admin/identities/{id}/credentials/{type}`):
 * second factors and linked social sign-ins. Passwords and one-time-code credentials are refused.
 */
export const REMOVABLE_CREDENTIALS_TYPES: readonly CredentialsType[] = ['totp', 'lookup_secret', 'webauthn', 'oidc'];

/** The outcome of one item of a batch import (Kratos v1 `IdentityPatchResponse`). */
export type BatchItemResult =
  | { readonly action: 'create'; readonly identity: string; readonly patch_id?: string }
  | { readonly action: 'error'; readonly patch_id?: string; readonly error: Record<string, unknown> };

const PATCHABLE_ROOTS = ['traits', 'state', 'metadata_public', 'metadata_admin', 'schema_id', 'verifiable_addresses', 'recovery_addresses'];
/** Identities per import transaction: short enough that other requests are not starved while a batch is written. */
const IMPORT_CHUNK = 200;

interface Prepared {
  readonly index: number;
  readonly identity: Identity;
}

/** Compiled on first import request, not at boot. */
const credentialsValidator = lazy(() => new Ajv({ allErrors: false, strict: true, strictRequired: false }).compile(credentialsImportSchema));

/**
 * Creates, updates, patches, deletes and imports identities for the admin API. Every write validates
 * traits against the identity's schema first, derives identifiers and addresses from the
 * `ory.sh/kratos` extension, and runs in one transaction: a failure leaves the store unchanged.
 * Writes of one identity are serialised: update, patch and credential removal re-read it locked
 * (`getForUpdate`) in their transaction, so parallel PUT/PATCH never lose a change (a PUT, being a full
 * replace, is last-writer-wins; a patch applies to the result of the one before).
 */
export class IdentityManager {
  constructor(private readonly deps: IdentityManagerDeps) {}

  /** @throws OryError 400 (schema, traits, credentials), 409 (identifier or address taken) */
  async create(ctx: Ctx, body: CreateIdentityBody): Promise<Identity> {
    const identity = await this.build(body);
    await this.write(() => this.deps.transactions.withTransaction(ctx, (ctx) => this.deps.privilegedIdentityPool.create(ctx, identity)));
    return identity;
  }

  /** Full replace of traits, state and metadata; credentials in the body are imported. @throws OryError 400, 404, 409 */
  async update(ctx: Ctx, id: string, body: UpdateIdentityBody): Promise<Identity> {
    return this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const current = await this.deps.privilegedIdentityPool.getForUpdate(ctx, id);
      if (!current) throw notFound('Unable to locate the resource');
      const next = await this.build(body, current);
      await this.write(() => this.deps.privilegedIdentityPool.update(ctx, next));
      return next;
    });
  }

  /**
   * Applies an RFC 6902 patch to the admin view of the identity and saves the result as an update.
   * `/id`, `/credentials`, timestamps and unknown paths are refused; credentials are preserved.
   * @throws OryError 400 (bad patch, invalid result), 404, 409
   */
  async patch(ctx: Ctx, id: string, operations: readonly JsonPatchOperation[]): Promise<Identity> {
    for (const op of operations) {
      for (const path of [op.path, op.from].filter((p): p is string => p !== undefined)) {
        const root = path.split('/')[1];
        if (!path.startsWith('/') || !PATCHABLE_ROOTS.includes(root)) {
          throw badRequest(`The JSON Patch path ${JSON.stringify(path)} cannot be patched; allowed are ${PATCHABLE_ROOTS.map((r) => `/${r}`).join(', ')}.`);
        }
      }
    }
    return this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const current = await this.deps.privilegedIdentityPool.getForUpdate(ctx, id);
      if (!current) throw notFound('Unable to locate the resource');
      const doc = structuredClone(toWire(current, 'admin_list', this.deps.config)) as Record<string, unknown>;
      doc.metadata_admin ??= null;
      let patched: Record<string, unknown>;
      try {
        patched = applyPatch(doc, operations as Operation[], true, true).newDocument;
      } catch (e) {
        if (e instanceof JsonPatchError) throw badRequest(`The JSON Patch could not be applied: ${e.message.split('\n')[0]}`);
        throw e;
      }
      if (typeof patched.traits !== 'object' || patched.traits === null || Array.isArray(patched.traits)) {
        throw badRequest('traits must be a JSON object.');
      }
      if (patched.state !== 'active' && patched.state !== 'inactive') throw badRequest('state must be "active" or "inactive".');
      if (typeof patched.schema_id !== 'string') throw badRequest('schema_id must be a string.');
      const next = await this.build(
        {
          schema_id: patched.schema_id,
          traits: patched.traits as Record<string, unknown>,
          state: patched.state,
          metadata_public: patched.metadata_public,
          metadata_admin: patched.metadata_admin,
          verifiable_addresses: Array.isArray(patched.verifiable_addresses) ? patched.verifiable_addresses : undefined,
          recovery_addresses: Array.isArray(patched.recovery_addresses) ? patched.recovery_addresses : undefined,
        },
        current,
      );
      await this.write(() => this.deps.privilegedIdentityPool.update(ctx, next));
      return next;
    });
  }

  /**
   * The identity with `traits` replaced (self-service profile changes): identifiers and addresses are
   * re-derived; addresses that stay keep their verification state; state and metadata are kept. Not stored.
   * @throws OryError 400 when the traits do not match the schema
   */
  async withTraits(current: Identity, traits: Record<string, unknown>): Promise<Identity> {
    return this.build({ schema_id: current.schemaId, traits, state: current.state, metadata_public: current.metadataPublic, metadata_admin: current.metadataAdmin }, current);
  }

  /**
   * Removes one credential of an identity in one transaction (support desks resetting a lost second
   * factor). Logged without any secret; there is no audit trail yet.
   * @throws OryError 400 for `password`, `code` and `link`; 404 unknown identity, unknown type, or no such credential
   */
  async deleteCredential(ctx: Ctx, id: string, type: string): Promise<void> {
    if (type === 'password' || type === 'code' || type === 'link') {
      throw badRequest(`You cannot remove ${type} credentials through this API; only ${REMOVABLE_CREDENTIALS_TYPES.join(', ')} can be removed.`);
    }
    if (!REMOVABLE_CREDENTIALS_TYPES.includes(type as CredentialsType)) throw notFound('Unable to locate the resource');
    const removable = type as CredentialsType;
    await this.deps.transactions.withTransaction(ctx, async (ctx) => {
      const current = await this.deps.privilegedIdentityPool.getForUpdate(ctx, id);
      if (!current?.credentials[removable]) throw notFound('Unable to locate the resource');
      const { [removable]: _removed, ...credentials } = current.credentials;
      await this.deps.privilegedIdentityPool.update(ctx, { ...current, credentials, updatedAt: this.deps.clock.now() });
    });
    ctx.logger.info({ identity_id: id, credentials_type: removable }, 'admin removed a credential of an identity');
  }

  /** Deletes the identity with its credentials, addresses and sessions. @throws OryError 404 */
  async delete(ctx: Ctx, id: string): Promise<void> {
    const deleted = await this.deps.transactions.withTransaction(ctx, (ctx) => this.deps.privilegedIdentityPool.delete(ctx, id));
    if (!deleted) throw notFound('Unable to locate the resource');
  }

  /**
   * Imports many identities. Each item succeeds or fails on its own, and a failed item writes nothing.
   * Items repeating an identifier or address of an earlier item of the batch fail in memory; the rest are
   * written in chunks of {@link IMPORT_CHUNK}, one short transaction each with a yield to the event loop
   * between chunks, without asking the database first: the unique indexes decide. A chunk that collides
   * (with stored rows or a concurrent import) is rolled back, its taken identifiers are looked up with one
   * query and those items answer 409; the rest is written again, and a chunk that still collides is split
   * in halves until the colliding items stand alone. Of concurrent imports of one identifier exactly one wins.
   */
  async createMany(ctx: Ctx, items: readonly { body: unknown; patchId?: string; parse: (body: unknown) => CreateIdentityBody }[]): Promise<BatchItemResult[]> {
    const results: (BatchItemResult | undefined)[] = new Array(items.length);
    const prepared: Prepared[] = [];
    await Promise.all(
      items.map(async (item, index) => {
        try {
          prepared.push({ index, identity: await this.build(item.parse(item.body)) });
        } catch (e) {
          results[index] = { action: 'error', patch_id: item.patchId, error: errorSummary(e) };
        }
      }),
    );
    prepared.sort((a, b) => a.index - b.index);
    const fail = (p: Prepared, e: unknown): void => {
      results[p.index] = { action: 'error', patch_id: items[p.index].patchId, error: errorSummary(e) };
    };
    const accepted = withoutRepeats(prepared, fail);
    for (let i = 0; i < accepted.length; i += IMPORT_CHUNK) {
      if (i > 0) await yieldToEventLoop();
      await this.insertChunk(ctx, accepted.slice(i, i + IMPORT_CHUNK), fail, true);
    }
    for (const p of accepted) results[p.index] ??= { action: 'create', identity: p.identity.id, patch_id: items[p.index].patchId };
    return results as BatchItemResult[];
  }

  /** Writes `chunk` in one transaction; on a collision finds the colliding items (see {@link createMany}). */
  private async insertChunk(ctx: Ctx, chunk: readonly Prepared[], fail: (p: Prepared, e: unknown) => void, lookUp: boolean): Promise<void> {
    if (chunk.length === 0) return;
    try {
      await this.deps.transactions.withTransaction(ctx, (ctx) => this.deps.privilegedIdentityPool.createMany(ctx, chunk.map((c) => c.identity)));
      return;
    } catch (e) {
      // MySQL: overlapping concurrent imports may keep deadlocking a big chunk; smaller halves rarely do.
      if (e instanceof TransactionRetriesExhaustedError && chunk.length > 1) return this.insertHalves(ctx, chunk, fail);
      if (!(e instanceof DuplicateIdentifierError)) throw e;
      if (chunk.length === 1) return fail(chunk[0], duplicateError(e.what));
    }
    if (lookUp) {
      const taken = await this.takenBy(ctx, chunk);
      if (taken.size > 0) {
        for (const p of chunk) if (taken.has(p)) fail(p, duplicateError());
        return this.insertChunk(ctx, chunk.filter((p) => !taken.has(p)), fail, false);
      }
    }
    await this.insertHalves(ctx, chunk, fail);
  }

  private async insertHalves(ctx: Ctx, chunk: readonly Prepared[], fail: (p: Prepared, e: unknown) => void): Promise<void> {
    const half = Math.ceil(chunk.length / 2);
    await this.insertChunk(ctx, chunk.slice(0, half), fail, false);
    await this.insertChunk(ctx, chunk.slice(half), fail, false);
  }

  /** The items of `chunk` with an identifier that is stored already: one query per credentials type. */
  private async takenBy(ctx: Ctx, chunk: readonly Prepared[]): Promise<Set<Prepared>> {
    const wanted = new Map<CredentialsType, Set<string>>();
    for (const { identity } of chunk) {
      for (const c of Object.values(identity.credentials)) {
        const set = wanted.get(c.type) ?? new Set<string>();
        c.identifiers.forEach((i) => set.add(i));
        wanted.set(c.type, set);
      }
    }
    const taken = new Map<CredentialsType, Set<string>>();
    for (const [type, values] of wanted) taken.set(type, await this.deps.privilegedIdentityPool.takenIdentifiers(ctx, type, [...values]));
    return new Set(chunk.filter((p) => Object.values(p.identity.credentials).some((c) => c.identifiers.some((i) => taken.get(c.type)?.has(i)))));
  }

  /** Builds the identity a body describes (validating everything), on top of `current` for updates. */
  private async build(body: CreateIdentityBody | UpdateIdentityBody, current?: Identity): Promise<Identity> {
    assertShape(body, current);
    const schemaId = body.schema_id || current?.schemaId || this.deps.config.identity.default_schema_id;
    if (!this.deps.identitySchemas.has(schemaId)) throw badRequest(`Identity schema \`${schemaId}\` does not exist.`);
    let ext: TraitsExtensions;
    try {
      ext = this.deps.identitySchemas.validateTraits(schemaId, body.traits);
    } catch (e) {
      if (e instanceof TraitsValidationError) {
        throw badRequest(e.message).withDetails({ violations: e.violations.map((v) => ({ path: v.instancePath, message: v.message })) });
      }
      if (e instanceof IdentitySchemaError) throw badRequest(e.message);
      throw e;
    }
    const validateCredentials = credentialsValidator();
    if (body.credentials !== undefined && !validateCredentials(body.credentials)) {
      const err = validateCredentials.errors?.[0];
      throw badRequest(`credentials${err?.instancePath.replace(/\//g, '.') ?? ''}: ${err?.message ?? 'is invalid'}`);
    }
    const now = this.deps.clock.now();
    const id = current?.id ?? newTimeOrderedId();
    const state = body.state ?? current?.state ?? 'active';
    const credentials = await this.credentialsFor(id, body.credentials as ImportedCredentials | undefined, ext, current, now);
    return {
      id,
      schemaId,
      state,
      stateChangedAt: current && current.state === state ? current.stateChangedAt : now,
      traits: body.traits,
      verifiableAddresses: mergeVerifiable(ext.verifiable, current?.verifiableAddresses ?? [], body.verifiable_addresses, now),
      recoveryAddresses: mergeRecovery(ext.recovery, current?.recoveryAddresses ?? [], now),
      metadataPublic: body.metadata_public ?? null,
      metadataAdmin: body.metadata_admin ?? null,
      credentials,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
  }

  private async credentialsFor(
    identityId: string,
    imported: ImportedCredentials | undefined,
    ext: TraitsExtensions,
    current: Identity | undefined,
    now: Date,
  ): Promise<Partial<Record<CredentialsType, Credentials>>> {
    const out: Partial<Record<CredentialsType, Credentials>> = {};
    // Existing credentials follow the traits: identifiers are re-derived from the new traits.
    for (const c of Object.values(current?.credentials ?? {})) {
      out[c.type] = { ...c, identifiers: identifiersFor(c.type, c, ext, identityId), updatedAt: now };
    }
    if (imported?.password) {
      const config = imported.password.config;
      let hashed: string;
      if (config.hashed_password !== undefined) {
        try {
          assertImportableHash(config.hashed_password);
        } catch (e) {
          if (e instanceof UnknownHashFormatError) {
            throw badRequest('The imported password does not match any known hash format. For more information see https://www.ory.sh/dr/2').withDetails({ credential: 'password' });
          }
          throw e;
        }
        hashed = config.hashed_password;
      } else {
        try {
          hashed = await this.deps.passwordHasher.hash(config.password as string);
        } catch (e) {
          if (e instanceof PasswordTooLongError) throw badRequest(e.message).withDetails({ credential: 'password' });
          throw e;
        }
      }
      const prev = out.password;
      out.password = {
        type: 'password',
        identifiers: ext.identifiers.get('password') ?? [],
        config: { hashed_password: hashed },
        version: 0,
        createdAt: prev?.createdAt ?? now,
        updatedAt: now,
      };
    }
    if (imported?.oidc) {
      const providers = imported.oidc.config.providers;
      out.oidc = {
        type: 'oidc',
        identifiers: [...new Set(providers.map((p) => `${p.provider}:${p.subject}`))],
        config: { providers: providers.map((p) => ({ provider: p.provider, subject: p.subject })) },
        version: 0,
        createdAt: out.oidc?.createdAt ?? now,
        updatedAt: now,
      };
    }
    return out;
  }

  private async write<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof DuplicateIdentifierError) throw duplicateError(e.what);
      throw e;
    }
  }
}

interface ImportedCredentials {
  password?: { config: { password?: string; hashed_password?: string } };
  oidc?: { config: { providers: { provider: string; subject: string }[] } };
}

function identifiersFor(type: CredentialsType, c: Credentials, ext: TraitsExtensions, identityId: string): readonly string[] {
  if (type === 'password' || type === 'webauthn' || type === 'code') return ext.identifiers.get(type) ?? [];
  if (type === 'totp' || type === 'lookup_secret') return [identityId];
  return c.identifiers;
}

/**
 * What the admin bodies (and patched documents) must hold beyond their DTOs: metadata is a JSON object
 * or null, and the state one of Kratos's. Checked before anything is derived or written. Metadata the
 * identity already holds passes unchanged (rows written before this check may hold other JSON).
 * @throws OryError 400
 */
function assertShape(body: CreateIdentityBody, current: Identity | undefined): void {
  const held = { metadata_public: current?.metadataPublic, metadata_admin: current?.metadataAdmin };
  for (const key of ['metadata_public', 'metadata_admin'] as const) {
    const value = body[key];
    if (value === undefined || value === null || value === held[key]) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`${key} must be a JSON object or null.`);
  }
  const state: unknown = body.state;
  if (state !== undefined && state !== null && state !== 'active' && state !== 'inactive') throw badRequest('state must be "active" or "inactive".');
}

function duplicateError(what = 'identifier'): OryError {
  return conflict(`An identity with the same ${what} exists already.`).withId('identity_conflict');
}

function mergeVerifiable(
  derived: readonly { value: string; via: AddressVia }[],
  existing: readonly VerifiableAddress[],
  requested: unknown[] | undefined,
  now: Date,
): VerifiableAddress[] {
  return derived.map(({ value, via }) => {
    const prev = existing.find((a) => a.value === value && a.via === via);
    const asked = (requested ?? []).find(
      (r): r is { value: string; via?: string; verified?: unknown; status?: unknown } =>
        typeof r === 'object' && r !== null && typeof (r as { value?: unknown }).value === 'string' && normalizeIdentifier((r as { value: string }).value) === value,
    );
    const verified = typeof asked?.verified === 'boolean' ? asked.verified : (prev?.verified ?? false);
    const status =
      asked?.status === 'pending' || asked?.status === 'sent' || asked?.status === 'completed'
        ? asked.status
        : verified
          ? 'completed'
          : (prev?.status ?? 'pending');
    return {
      id: prev?.id ?? newTimeOrderedId(),
      value,
      via,
      verified,
      status,
      verifiedAt: verified ? (prev?.verifiedAt ?? now) : undefined,
      createdAt: prev?.createdAt ?? now,
      updatedAt: prev && prev.verified === verified && prev.status === status ? prev.updatedAt : now,
    };
  });
}

function mergeRecovery(derived: readonly { value: string; via: AddressVia }[], existing: readonly RecoveryAddress[], now: Date): RecoveryAddress[] {
  return derived.map(({ value, via }) => {
    const prev = existing.find((a) => a.value === value && a.via === via);
    return prev ?? { id: newTimeOrderedId(), value, via, createdAt: now, updatedAt: now };
  });
}

/**
 * The items in order, without those that repeat an identifier (per credentials type) or a verifiable or
 * recovery address (per `via`) of an earlier item; `fail` gets those with a 409.
 */
function withoutRepeats(prepared: readonly Prepared[], fail: (p: Prepared, e: unknown) => void): Prepared[] {
  const seen = new Set<string>();
  const accepted: Prepared[] = [];
  for (const p of prepared) {
    const keys = [
      ...Object.values(p.identity.credentials).flatMap((c) => c.identifiers.map((i) => `i\u0000${c.type}\u0000${i}`)),
      ...p.identity.verifiableAddresses.map((a) => `v\u0000${a.via}\u0000${a.value}`),
      ...p.identity.recoveryAddresses.map((a) => `r\u0000${a.via}\u0000${a.value}`),
    ];
    const clash = keys.find((k) => seen.has(k));
    if (clash) {
      fail(p, duplicateError(clash[0] === 'i' ? 'identifier' : clash[0] === 'v' ? 'verifiable address' : 'recovery address'));
      continue;
    }
    keys.forEach((k) => seen.add(k));
    accepted.push(p);
  }
  return accepted;
}

/** Lets other requests' callbacks run between two chunks of a long import. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function errorSummary(e: unknown): Record<string, unknown> {
  if (e instanceof OryError) {
    return { code: e.code, status: e.status, ...(e.id ? { id: e.id } : {}), ...(e.reason ? { reason: e.reason } : {}), message: e.message };
  }
  return { code: 500, status: 'Internal Server Error', message: 'An internal server error occurred, please contact the system administrator' };
}
