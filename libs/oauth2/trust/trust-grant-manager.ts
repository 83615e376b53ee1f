import { validateBody } from '../../http';
import { DuplicateKeyIdError, type KeyManagerProvider, toPublicJwk, validateJsonWebKey } from '../../keys';
import { type ClockProvider, newId, type Ctx } from '../../x';
import { validateTrustGrant } from './grant-validator';
import { DuplicateTrustGrantError, type ListTrustGrantsQuery, type TrustGrantPage, type TrustGrantStoreProvider } from './grant-store';
import { duplicateTrustGrant, trustGrantNotFound } from './trust-errors';
import type { TrustGrant } from './trust-grant';
import { TrustJwtGrantIssuerBody } from './trust-grant-body';

export type TrustGrantManagerDeps = TrustGrantStoreProvider & KeyManagerProvider & ClockProvider;

/**
 * Creates, reads, lists and deletes trusted JWT-bearer issuers with Hydra's rules (hydra-api.md §6).
 *
 * Invariants: a grant's public key is in the JWK set named after its issuer under the grant's kid
 * (visible at `/admin/keys/<issuer>`); only public members of the body's JWK are stored; a key that
 * set already holds under that kid is reused (Hydra); a key is removed from the set when the last
 * grant using it is deleted (Hydra removes it with any grant, which breaks the other grants sharing it).
 */
export class TrustGrantManager {
  constructor(private readonly deps: TrustGrantManagerDeps) {}

  /**
   * `POST /admin/trust/grants/jwt-bearer/issuers`.
   * @throws OryError 400 (shape, Hydra's missing-parameter messages, a past `expires_at`, an invalid JWK); 409 for a duplicate (issuer, subject, kid)
   */
  async create(ctx: Ctx, input: unknown): Promise<TrustGrant> {
    const now = this.deps.clock.now();
    const valid = validateTrustGrant(validateBody(TrustJwtGrantIssuerBody, input), now);
    const jwk = toPublicJwk(await validateJsonWebKey(valid.jwk, 'jwk'));
    const grant: TrustGrant = {
      id: newId(),
      issuer: valid.issuer,
      subject: valid.subject,
      allowAnySubject: valid.allowAnySubject,
      scope: valid.scope,
      publicKey: { set: valid.issuer, kid: jwk.kid },
      createdAt: now,
      expiresAt: valid.expiresAt,
    };
    let addedKey = false;
    if (!(await this.deps.keyManager.getKey(ctx, grant.publicKey.set, grant.publicKey.kid))) {
      try {
        await this.deps.keyManager.addKey(ctx, grant.publicKey.set, jwk);
        addedKey = true;
      } catch (error) {
        if (!(error instanceof DuplicateKeyIdError)) throw error;
      }
    }
    try {
      await this.deps.trustGrantStore.create(ctx, grant);
    } catch (error) {
      if (addedKey && (await this.deps.trustGrantStore.countByKey(ctx, grant.issuer, grant.publicKey.kid)) === 0) {
        await this.deps.keyManager.deleteKey(ctx, grant.publicKey.set, grant.publicKey.kid);
      }
      if (error instanceof DuplicateTrustGrantError) throw duplicateTrustGrant();
      throw error;
    }
    return grant;
  }

  /** @throws OryError 404 */
  async get(ctx: Ctx, id: string): Promise<TrustGrant> {
    const grant = await this.deps.trustGrantStore.get(ctx, id);
    if (!grant) throw trustGrantNotFound();
    return grant;
  }

  async list(ctx: Ctx, query: ListTrustGrantsQuery): Promise<TrustGrantPage> {
    return this.deps.trustGrantStore.list(ctx, query);
  }

  /** Deletes the grant, and its key when no other grant uses it. @throws OryError 404 */
  async delete(ctx: Ctx, id: string): Promise<void> {
    const grant = await this.get(ctx, id);
    if (!(await this.deps.trustGrantStore.delete(ctx, id))) throw trustGrantNotFound();
    if ((await this.deps.trustGrantStore.countByKey(ctx, grant.issuer, grant.publicKey.kid)) === 0) {
      await this.deps.keyManager.deleteKey(ctx, grant.publicKey.set, grant.publicKey.kid);
    }
  }
}

export interface TrustGrantManagerProvider {
  readonly trustGrantManager: TrustGrantManager;
}
