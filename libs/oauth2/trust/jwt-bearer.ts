import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import type { RealmConfig } from '../../config';
import { type KeyManagerProvider, toPublicJwk } from '../../keys';
import type { ClockProvider, Ctx } from '../../x';
import type { JtiStoreProvider, TrustGrantStoreProvider } from './grant-store';
import { type TrustGrant, isTrustGrantActive } from './trust-grant';

/** RFC 7523 §2.1. */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The configuration the verifier reads: `oauth2.grant.jwt.*`. */
export interface AssertionConfigProvider {
  readonly config: { readonly oauth2: Pick<RealmConfig['oauth2'], 'grant'> };
}

export type AssertionVerifierDeps = TrustGrantStoreProvider & JtiStoreProvider & KeyManagerProvider & ClockProvider & AssertionConfigProvider;

/** What a token request presents. */
export interface AssertionRequest {
  /** The `assertion` form value (or a trusted issuer's `subject_token`). */
  readonly assertion: string | undefined;
  /** The token endpoint URL; the assertion's `aud` must contain it. */
  readonly audience: string;
  /** Scopes asked for; each must be covered by the trust grants that vouch for the assertion. */
  readonly scope: readonly string[];
  /** The form parameter that carried the JWT, for messages (default `assertion`). */
  readonly parameter?: string;
}

/** The OAuth2 error a rejected assertion maps to (all 400). */
export type AssertionErrorCode = 'invalid_request' | 'invalid_grant' | 'invalid_scope' | 'jti_known';

/** The verdict: an expected outcome is a value, never an exception (architecture B7). */
export type AssertionOutcome =
  | {
      readonly kind: 'accepted';
      readonly issuer: string;
      readonly subject: string;
      /** Every scope the vouching (active) grants allow. */
      readonly trustedScope: readonly string[];
      /** The assertion's `exp`. */
      readonly expiresAt: Date;
      readonly claims: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'rejected'; readonly error: AssertionErrorCode; readonly description: string };

/**
 * Checks a JWT-bearer assertion against the trusted issuers (hydra-api.md §6.3, RFC 7523 §3), in
 * this order: parse; `iss` and `sub`; a trust grant for (iss, sub or any subject, kid); the signature
 * by that grant's key (its `alg` only); `aud` contains the token endpoint URL; `exp` present and in the
 * future; `nbf` not in the future; `iat` present unless `oauth2.grant.jwt.iat_optional`; lifetime
 * (`exp` − min(`iat`, now)) ≤ `oauth2.grant.jwt.max_ttl`; `jti` present unless `jti_optional`; the grant
 * not expired (Hydra does not check this; we do); every requested scope covered; finally the `jti` is
 * recorded until `exp` and a replay is `jti_known`. Time is the injected clock.
 */
export class AssertionVerifier {
  constructor(private readonly deps: AssertionVerifierDeps) {}

  async verify(ctx: Ctx, request: AssertionRequest): Promise<AssertionOutcome> {
    const reject = (error: AssertionErrorCode, description: string): AssertionOutcome => ({ kind: 'rejected', error, description });
    const { assertion } = request;
    const parameter = request.parameter ?? 'assertion';
    const about = `The JWT in "${parameter}" request parameter`;
    if (!assertion) return reject('invalid_request', `The "${parameter}" request parameter must be set.`);
    let header: { kid?: string; alg?: string };
    let claims: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(assertion);
      claims = decodeJwt(assertion);
    } catch {
      return reject('invalid_grant', `Unable to parse JSON Web Token passed in "${parameter}" request parameter.`);
    }
    const { iss, sub } = claims;
    if (typeof iss !== 'string' || iss === '') return reject('invalid_grant', `${about} MUST contain an "iss" (issuer) claim.`);
    if (typeof sub !== 'string' || sub === '') return reject('invalid_grant', `${about} MUST contain a "sub" (subject) claim.`);

    const candidates = await this.deps.trustGrantStore.findForAssertion(ctx, iss, sub, typeof header.kid === 'string' ? header.kid : undefined);
    if (candidates.length === 0) return reject('invalid_grant', `No public JWK was registered for issuer "${iss}" and subject "${sub}".`);
    const vouching = await this.verifySignature(ctx, assertion, iss, candidates);
    if (!vouching) return reject('invalid_grant', `${about} has an invalid signature: it is not signed by a key trusted for issuer "${iss}" and subject "${sub}".`);

    const now = this.deps.clock.now();
    const nowSec = Math.floor(now.getTime() / 1000);
    const jwtConfig = this.deps.config.oauth2.grant.jwt;
    const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    if (!aud.includes(request.audience)) {
      return reject('invalid_grant', `${about} MUST contain an "aud" (audience) claim containing a value "${request.audience}" that identifies the authorization server as an intended audience.`);
    }
    const { exp, nbf, iat, jti } = claims;
    if (typeof exp !== 'number') return reject('invalid_grant', `${about} MUST contain an "exp" (expiration time) claim.`);
    if (exp <= nowSec) return reject('invalid_grant', `${about} expired.`);
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSec)) {
      return reject('invalid_grant', `${about} contains an "nbf" (not before) claim that identifies a time before which the token MUST NOT be accepted.`);
    }
    if (iat !== undefined && typeof iat !== 'number') return reject('invalid_grant', `${about} has an invalid "iat" (issued at) claim.`);
    if (iat === undefined && !jwtConfig.iat_optional) return reject('invalid_grant', `${about} MUST contain an "iat" (issued at) claim.`);
    const issuedAt = typeof iat === 'number' ? Math.min(iat, nowSec) : nowSec;
    if ((exp - issuedAt) * 1000 > jwtConfig.max_ttl) {
      return reject('invalid_grant', `${about} lives too long: "exp" lies more than ${Math.floor(jwtConfig.max_ttl / 1000)} seconds after "iat" (oauth2.grant.jwt.max_ttl).`);
    }
    if (jti !== undefined && (typeof jti !== 'string' || jti === '')) return reject('invalid_grant', `${about} has an invalid "jti" (JWT ID) claim.`);
    if (jti === undefined && !jwtConfig.jti_optional) return reject('invalid_grant', `${about} MUST contain a "jti" (JWT ID) claim.`);

    const active = vouching.filter((g) => isTrustGrantActive(g, now));
    if (active.length === 0) {
      return reject('invalid_grant', `The trust relationship for issuer "${iss}" and subject "${sub}" expired at ${vouching[0].expiresAt.toISOString()}.`);
    }
    const trustedScope = [...new Set(active.flatMap((g) => g.scope))];
    const uncovered = request.scope.find((s) => !trustedScope.includes(s));
    if (uncovered !== undefined) {
      return reject('invalid_scope', `The public key registered for issuer "${iss}" and subject "${sub}" is not allowed to request scope "${uncovered}".`);
    }
    if (typeof jti === 'string' && !(await this.deps.jtiStore.markUsed(ctx, iss, jti, new Date(exp * 1000), now))) {
      return reject('jti_known', 'The jti was already used.');
    }
    return { kind: 'accepted', issuer: iss, subject: sub, trustedScope, expiresAt: new Date(exp * 1000), claims };
  }

  /** The grants whose key (tried kid by kid, oldest grant first) verifies the signature; undefined when none does. */
  private async verifySignature(ctx: Ctx, assertion: string, issuer: string, candidates: readonly TrustGrant[]): Promise<TrustGrant[] | undefined> {
    const kids = [...new Set(candidates.map((g) => g.publicKey.kid))];
    for (const kid of kids) {
      const grants = candidates.filter((g) => g.publicKey.kid === kid);
      const key = await this.deps.keyManager.getKey(ctx, grants[0].publicKey.set || issuer, kid);
      if (!key) continue;
      try {
        await compactVerify(assertion, await importJWK(toPublicJwk(key), key.alg), { algorithms: [key.alg] });
        return grants;
      } catch {
        // Not this key: try the next one.
      }
    }
    return undefined;
  }
}

export interface AssertionVerifierProvider {
  readonly assertionVerifier: AssertionVerifier;
}
