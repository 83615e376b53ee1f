import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { oauth2Urls } from '../../config';
import { JWT_ACCESS_TOKEN_SET, type KeyManagerProvider, OPENID_ID_TOKEN_SET } from '../../keys';
import type { ConsentSessionStoreProvider, HandledChallengeStoreProvider, LoginSessionStoreProvider, LogoutRequestStoreProvider } from '../consent';
import { type ProviderDeps, createProvider } from './create-provider';
import { allowScopes } from './engine-patches';

export type OAuth2ProviderDeps = ProviderDeps & KeyManagerProvider & HandledChallengeStoreProvider & LoginSessionStoreProvider & ConsentSessionStoreProvider & LogoutRequestStoreProvider;

/** How often expired OAuth2 rows are swept. */
const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * Owns the engine instance: builds it on first use (loading or generating the signing keys), serves
 * HTTP for the public app, and sweeps expired rows. Invariant: one engine per process at a time;
 * everything it knows lives in the database, so a restart or another process continues any flow.
 */
export class OAuth2Provider {
  private built?: Promise<{ provider: Provider; handler: (req: IncomingMessage, res: ServerResponse) => void }>;
  private sweeper?: NodeJS.Timeout;
  private pub?: URL;

  constructor(private readonly deps: OAuth2ProviderDeps) {}

  /** The engine, built once (keys are generated on first use: ES256 + RS256 for ID tokens, ES256 for JWT access tokens). */
  async provider(): Promise<Provider> {
    return (await this.build()).provider;
  }

  /**
   * The Node handler mounted on the public app. It restores the full URL express stripped and pins
   * the forwarded host and scheme to `urls.self.public`, so absolute endpoint URLs are right behind
   * any proxy (oidc-provider builds them from the request).
   */
  readonly handle = async (req: IncomingMessage & { originalUrl?: string; baseUrl?: string }, res: ServerResponse): Promise<void> => {
    const { handler } = await this.build();
    // A request the client already aborted has no body left to read; the engine would log a warning.
    if (req.destroyed) return;
    if (req.originalUrl) req.url = req.originalUrl;
    req.baseUrl = '';
    req.headers['x-forwarded-host'] = this.publicUrl.host;
    req.headers['x-forwarded-proto'] = this.publicUrl.protocol.slice(0, -1);
    handler(req, res);
  };

  private get publicUrl(): URL {
    return (this.pub ??= new URL(oauth2Urls(this.deps.config).public));
  }

  /** Makes scopes known to the engine (a client is about to be validated with them). */
  async allowScopes(scope: string): Promise<void> {
    allowScopes(await this.provider(), scope);
  }

  /** Deletes expired rows now (also runs every five minutes once the engine is built). */
  async sweep(): Promise<void> {
    const now = this.deps.clock.now();
    while ((await this.deps.oidcPayloadStore.deleteExpired(now, 1000)) >= 1000);
    await this.deps.loginSessionStore.deleteExpired(now);
    await this.deps.consentSessionStore.deleteExpired(now);
    await this.deps.handledChallengeStore.deleteExpired(now);
    await this.deps.logoutRequestStore.deleteExpired(now);
  }

  /** Stops the sweeper. */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private build() {
    this.built ??= (async () => {
      const idTokenKeys = await this.deps.keyManager.ensureSet(OPENID_ID_TOKEN_SET, ['ES256', 'RS256']);
      const accessTokenKeys = await this.deps.keyManager.ensureSet(JWT_ACCESS_TOKEN_SET, ['ES256']);
      const accessTokenKey = accessTokenKeys.find((k) => k.alg === 'ES256')!;
      const provider = createProvider(this.deps, { jwks: [...idTokenKeys, ...accessTokenKeys], accessTokenKid: accessTokenKey.kid });
      this.sweeper = setInterval(() => {
        this.sweep().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'sweeping expired OAuth2 rows failed'));
      }, SWEEP_EVERY_MS);
      this.sweeper.unref();
      return { provider, handler: provider.callback() };
    })();
    this.built.catch(() => {
      this.built = undefined;
    });
    return this.built;
  }
}

export interface OAuth2ProviderProvider {
  readonly oauth2Provider: OAuth2Provider;
}
