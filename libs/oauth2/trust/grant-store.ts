import type { Ctx, KeyPart, KeysetPage, KeysetWindow } from '../../x';
import type { TrustGrant } from './trust-grant';

/** The grant list's key: `(created_at, id)`, ascending (index `idx_oauth2_trust_grants_created` on `(nid, created_at, id)`). */
export const TRUST_GRANT_LIST_KEY: readonly KeyPart[] = ['time', 'uuid'];

/** A keyset window of the grant list, with its filter. */
export interface ListTrustGrantsQuery extends KeysetWindow {
  /** Exact match. */
  readonly issuer?: string;
}

/** A keyset page of grants (never counted). */
export type TrustGrantPage = KeysetPage<TrustGrant>;

/** A grant with this (issuer, subject, key id) — or this id — exists already (Hydra: 409). */
export class DuplicateTrustGrantError extends Error {
  constructor(readonly grant: Pick<TrustGrant, 'issuer' | 'subject' | 'publicKey'>) {
    super(`A trust grant for issuer ${grant.issuer}, subject ${grant.subject || '(any)'} and key ${grant.publicKey.kid} exists already.`);
    this.name = 'DuplicateTrustGrantError';
  }
}

/**
 * Persistence port for trusted JWT-bearer issuers (Hydra's `trust.GrantManager`). Lists are ordered by
 * creation, then id. Expired grants are kept (and listed) until deleted; callers decide what expiry means.
 */
export interface TrustGrantStore {
  /** @throws DuplicateTrustGrantError when (issuer, subject, publicKey.kid) or the id is taken. */
  create(ctx: Ctx, grant: TrustGrant): Promise<void>;
  get(ctx: Ctx, id: string): Promise<TrustGrant | undefined>;
  list(ctx: Ctx, query: ListTrustGrantsQuery): Promise<TrustGrantPage>;
  /** False when there was no such grant. */
  delete(ctx: Ctx, id: string): Promise<boolean>;
  /**
   * The grants that may vouch for a JWT with this `iss` and `sub`: issuer equal, and subject equal or
   * `allowAnySubject`; only those for `kid` when it is given. Expired grants included.
   */
  findForAssertion(ctx: Ctx, issuer: string, subject: string, kid?: string): Promise<TrustGrant[]>;
  /** How many grants use the key `kid` of the issuer's set. */
  countByKey(ctx: Ctx, issuer: string, kid: string): Promise<number>;
}

export interface TrustGrantStoreProvider {
  readonly trustGrantStore: TrustGrantStore;
}

/**
 * Used assertion ids (RFC 7523 §3 item 7): each (issuer, jti) is remembered until the assertion's
 * `exp`, so a replay within its lifetime is refused. Invariant: `markUsed` is atomic across processes
 * sharing the store (two concurrent uses of one jti: exactly one wins).
 */
export interface JtiStore {
  /** Records the jti until `expiresAt`. @returns false when it is recorded and not yet expired at `now`. */
  markUsed(ctx: Ctx, issuer: string, jti: string, expiresAt: Date, now: Date): Promise<boolean>;
  /** Forgets ids whose assertions expired. @returns how many */
  deleteExpired(ctx: Ctx, now: Date): Promise<number>;
}

export interface JtiStoreProvider {
  readonly jtiStore: JtiStore;
}
