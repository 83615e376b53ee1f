import { oauth2Urls } from '../config';
import { OryError } from '../http';
import { ClientManager } from '../oauth2/client';
import { ChallengeService, ConsentSessionManager } from '../oauth2/consent';
import { EngineClientValidator, LogoutCompletion, OAuth2Provider, OidcInteractionPort, TokenIntrospector } from '../oauth2/provider';
import { AssertionVerifier, TrustGrantManager } from '../oauth2/trust';
import {
  TypeormClientStore,
  TypeormConsentSessionStore,
  TypeormForcedSubjectStore,
  TypeormHandledChallengeStore,
  TypeormJtiStore,
  TypeormLoginSessionStore,
  TypeormLogoutRequestStore,
  TypeormOidcPayloadStore,
  TypeormTrustGrantStore,
} from '../persistence';
import type { OAuth2LoginBridge } from '../selfservice/flows';
import { type Ctx, DEFAULT_REALM } from '../x';
import { DEFAULT_REALM_PREFIX, underDefaultRealmPrefix } from './realm-address';
import { SelfserviceWiring } from './wire-selfservice';

/**
 * OAuth2 (Hydra): clients, trusted JWT-bearer issuers, login/consent/logout challenges and the realm's
 * own node-oidc-provider engine (its issuer, keys, cookies and clients are the realm's).
 */
export abstract class OAuth2Wiring extends SelfserviceWiring {
  get clientStore(): TypeormClientStore {
    return this.once('clientStore', () => new TypeormClientStore(this.persistence));
  }

  get clientManager(): ClientManager {
    return this.once('clientManager', () => new ClientManager(this.deps));
  }

  /** The engine's own client rules, checked before a client is stored. */
  get clientProtocolValidator(): EngineClientValidator {
    return this.once('clientProtocolValidator', () => new EngineClientValidator(this.deps));
  }

  get trustGrantStore(): TypeormTrustGrantStore {
    return this.once('trustGrantStore', () => new TypeormTrustGrantStore(this.persistence));
  }

  /** Used JWT-bearer assertion ids (replay protection), shared by every process on the database. */
  get jtiStore(): TypeormJtiStore {
    return this.once('jtiStore', () => new TypeormJtiStore(this.persistence));
  }

  /** Trusted JWT-bearer issuers (`/admin/trust/grants/jwt-bearer/issuers`); keys live in the issuer's JWK set. */
  get trustGrantManager(): TrustGrantManager {
    return this.once('trustGrantManager', () => new TrustGrantManager(this.deps));
  }

  /** Checks JWT-bearer assertions (and trusted-issuer JWTs in token exchange) against the trust grants. */
  get assertionVerifier(): AssertionVerifier {
    return this.once('assertionVerifier', () => new AssertionVerifier(this.deps));
  }

  get oidcPayloadStore(): TypeormOidcPayloadStore {
    return this.once('oidcPayloadStore', () => new TypeormOidcPayloadStore(this.persistence));
  }

  get loginSessionStore(): TypeormLoginSessionStore {
    return this.once('loginSessionStore', () => new TypeormLoginSessionStore(this.persistence));
  }

  get forcedSubjectStore(): TypeormForcedSubjectStore {
    return this.once('forcedSubjectStore', () => new TypeormForcedSubjectStore(this.persistence));
  }

  get consentSessionStore(): TypeormConsentSessionStore {
    return this.once('consentSessionStore', () => new TypeormConsentSessionStore(this.persistence));
  }

  get handledChallengeStore(): TypeormHandledChallengeStore {
    return this.once('handledChallengeStore', () => new TypeormHandledChallengeStore(this.persistence));
  }

  get logoutRequestStore(): TypeormLogoutRequestStore {
    return this.once('logoutRequestStore', () => new TypeormLogoutRequestStore(this.persistence));
  }

  /** The realm's OAuth2/OIDC engine (built on first use; closed by `RealmRegistry.dispose()`). */
  get oauth2Provider(): OAuth2Provider {
    return this.once('oauth2Provider', () => new OAuth2Provider(this.deps));
  }

  /**
   * The default realm's engine as `/realms/default/…` serves it (Keycloak's view of the default realm):
   * issuer `<default issuer>/realms/default`, so openid-client discovers it at that URL; the same data,
   * keys, clients, sessions and cookies as {@link oauth2Provider} (a second view, not a second realm).
   * Challenges resume where they started (`redirect_to` is the engine's own resume URL); its JWT access
   * tokens verify against its issuer (its own token introspector). `undefined` for a stored realm, whose
   * own engine already serves under its prefix with issuer `<base URL>realms/{name}`.
   */
  get prefixedOAuth2Provider(): OAuth2Provider | undefined {
    if (this.name !== DEFAULT_REALM) return undefined;
    return this.once('prefixedOAuth2Provider', () => {
      const overrides = new Map<PropertyKey, unknown>([
        ['config', underDefaultRealmPrefix(this.config)],
        ['mountPrefix', DEFAULT_REALM_PREFIX],
      ]);
      // Reads through to this realm with `this` = the realm, so services it builds never capture the overrides.
      const deps = new Proxy(this.deps, { get: (target, prop) => (overrides.has(prop) ? overrides.get(prop) : Reflect.get(target, prop, target)) }) as typeof this.deps & { readonly mountPrefix: string };
      const engine = new OAuth2Provider(deps);
      overrides.set('oauth2Provider', engine);
      overrides.set('tokenIntrospector', new TokenIntrospector(deps));
      return engine;
    });
  }

  /** The realm's issuers whose JWT access tokens are its own: the default realm's and, for it, `<issuer>/realms/default`. */
  get jwtIssuers(): readonly string[] {
    return this.once('jwtIssuers', () => {
      const own = oauth2Urls(this.config).issuer;
      return this.name === DEFAULT_REALM ? [own, oauth2Urls(underDefaultRealmPrefix(this.config)).issuer] : [own];
    });
  }

  get interactionPort(): OidcInteractionPort {
    return this.once('interactionPort', () => new OidcInteractionPort(this.deps));
  }

  /** Integrated login: self-service login flows accept OAuth2 login challenges through this bridge. */
  get oauth2LoginBridge(): OAuth2LoginBridge {
    return this.once('oauth2LoginBridge', () => ({
      inspect: async (ctx: Ctx, challenge: string) => {
        const read = await this.challengeService.getLoginRequest(ctx, challenge);
        if (read.kind === 'handled') throw new OryError(410).withReason('The login challenge was already handled.').withDetails({ redirect_to: read.redirectTo });
        return { skip: read.request.skip === true, subject: String(read.request.subject ?? '') };
      },
      accept: async (ctx: Ctx, challenge: string, input: { subject: string; remember: boolean; acr: string; amr: readonly string[] }) =>
        (await this.challengeService.acceptLoginRequest(ctx, challenge, input)).redirect_to,
    }));
  }

  /** Login/consent/logout challenges; `acceptLoginRequest` is the integrated-login entry point. */
  get challengeService(): ChallengeService {
    return this.once('challengeService', () => new ChallengeService(this.deps));
  }

  get consentSessionManager(): ConsentSessionManager {
    return this.once('consentSessionManager', () => new ConsentSessionManager(this.deps));
  }

  get tokenIntrospector(): TokenIntrospector {
    return this.once('tokenIntrospector', () => new TokenIntrospector(this.deps));
  }

  get logoutCompletion(): LogoutCompletion {
    return this.once('logoutCompletion', () => new LogoutCompletion(this.deps));
  }
}
