import type { Ctx, KeyPart, KeysetPage, KeysetWindow } from '../x';
import type { AddressVia, CredentialsType, Identity } from './identity';

/** The identity list's key: `(created_at, id)`, ascending (index `idx_identities_created` on `(nid, created_at, id)`). */
export const IDENTITY_LIST_KEY: readonly KeyPart[] = ['time', 'uuid'];

/** A page of the identity list; `next` is the `(created_at, id)` key of its last identity when more follow. */
export type IdentityPage = KeysetPage<Identity>;

export interface ListIdentitiesQuery extends KeysetWindow {
  /** Exact match (after normalisation) on any credentials identifier. */
  readonly credentialsIdentifier?: string;
  /**
   * Prefix match (after normalisation; `%`, `_` and every other character match themselves) on any
   * credentials identifier, Kratos v1's `preview_credentials_identifier_similar`: the identities of the first
   * 1,000 matching identifiers (in identifier order), paged like the whole list (by creation, then id). Not
   * with `credentialsIdentifier`.
   */
  readonly credentialsIdentifierSimilar?: string;
}

/** Read access to identities (Kratos `identity.Pool`). */
export interface IdentityPool {
  /** The identity with credentials, or `undefined`. */
  get(ctx: Ctx, id: string): Promise<Identity | undefined>;
  /** The identities with these ids (unknown ids left out, any order), with related rows loaded in batches: one query per table, never per identity. */
  getMany(ctx: Ctx, ids: readonly string[]): Promise<Identity[]>;
  /** A keyset page ordered by creation (then id); never counts. Loads related rows in batches, never per identity. */
  list(ctx: Ctx, query: ListIdentitiesQuery): Promise<IdentityPage>;
  /** The identity whose `type` credential has `identifier` (normalised), or `undefined`. */
  findByCredentialsIdentifier(ctx: Ctx, type: CredentialsType, identifier: string): Promise<Identity | undefined>;
  /** The identity owning a recovery or verifiable address (value normalised), or `undefined`. */
  findByAddress(ctx: Ctx, kind: 'recovery' | 'verifiable', via: AddressVia, value: string): Promise<Identity | undefined>;
}

/** Which unique value a write collided with. */
export class DuplicateIdentifierError extends Error {
  constructor(readonly what: string) {
    super(`An identity with this ${what} exists already.`);
    this.name = 'DuplicateIdentifierError';
  }
}

/** Write access to identities (Kratos `identity.PrivilegedPool`). */
export interface PrivilegedIdentityPool extends IdentityPool {
  /** @throws DuplicateIdentifierError when an identifier or address is taken. */
  create(ctx: Ctx, identity: Identity): Promise<void>;
  /**
   * Inserts many identities with few statements. Callers have checked uniqueness; a collision fails
   * the whole call (use a transaction and retry item by item).
   * @throws DuplicateIdentifierError
   */
  createMany(ctx: Ctx, identities: readonly Identity[]): Promise<void>;
  /**
   * The identity as `get` reads it, locked against concurrent writers until `tx` ends: a second
   * `getForUpdate` of the same identity in another transaction waits for this one to commit and then
   * sees its changes. Read-check-write of an identity (one-time codes, admin updates) starts with this.
   */
  getForUpdate(ctx: Ctx, id: string): Promise<Identity | undefined>;
  /** Replaces every field, credential and address of an existing identity. @throws DuplicateIdentifierError */
  update(ctx: Ctx, identity: Identity): Promise<void>;
  /** Deletes the identity with its credentials, addresses and sessions; false when it did not exist. */
  delete(ctx: Ctx, id: string): Promise<boolean>;
  /** Which of `identifiers` (normalised) are already taken for `type`. */
  takenIdentifiers(ctx: Ctx, type: CredentialsType, identifiers: readonly string[]): Promise<Set<string>>;
}

export interface IdentityPoolProvider {
  readonly identityPool: IdentityPool;
}

export interface PrivilegedIdentityPoolProvider {
  readonly privilegedIdentityPool: PrivilegedIdentityPool;
}
