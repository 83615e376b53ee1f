import type { OAuth2Provider } from '../oauth2/provider';
import { OAuth2Wiring } from './wire-oauth2';

/**
 * One realm's services, built lazily from the {@link Platform} and the realm's configuration: a
 * memoised getter per service, declared in one `wire-<domain>.ts` per domain (Kratos'
 * `registry_default_<domain>.go`). It satisfies every `<Service>Deps` structurally, so services and
 * apps take the registry itself. `Realms` builds, caches and disposes these.
 */
export class RealmRegistry extends OAuth2Wiring {
  /** Touches what a bad realm configuration would break (identity schemas, courier templates), so it fails now. */
  validate(): this {
    void this.identitySchemas;
    void this.courierTemplates;
    return this;
  }

  /** Releases what the realm holds beyond the platform: its OAuth2 engines, if they were built. */
  dispose(): void {
    this.built<OAuth2Provider>('oauth2Provider')?.close();
    this.built<OAuth2Provider>('prefixedOAuth2Provider')?.close();
  }
}
