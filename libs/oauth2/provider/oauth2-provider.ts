import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { oauth2Urls } from '../../config';
import { type JsonWebKey, JWT_ACCESS_TOKEN_SET, type KeyManagerProvider, OPENID_ID_TOKEN_SET, isPrivateJwk } from '../../keys';
import type { ConsentSessionStoreProvider, HandledChallengeStoreProvider, LoginSessionStoreProvider, LogoutRequestStoreProvider } from '../consent';
import type { JtiStoreProvider } from '../trust';
import { type ProviderDeps, createProvider } from './create-provider';
import { allowScopes } from './engine-patches';
import { requestRealmOf, systemCtx } from '../../x';

export type OAuth2ProviderDeps = ProviderDeps &
  KeyManagerProvider &
  HandledChallengeStoreProvider &
  LoginSessionStoreProvider &
  ConsentSessionStoreProvider &
  LogoutRequestStoreProvider &
  JtiStoreProvider & {
    /** The realm this engine serves: its keys are read and its expired rows swept there (default: `default`). */
    readonly realm?: string;
  };

/** How often expired OAuth2 rows are swept. */
const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * Owns the engine instance: builds it on first use (loading or generating the signing keys), serves
 * HTTP for the public app, and sweeps expired rows. Invariant: one engine per process at a time;
 * everything it knows lives in the database, so a restart or another process continues any flow.
 */
export class OAuth2Provider {
  private built?: Promise<{ provider: Provider; handler: (req: IncomingMessage, res: ServerResponse) => void }>;
  /** The engine last built, once ready, with the key arrays it was built for (the synchronous fast path of `handle`). */
  private ready?: { handler: (req: IncomingMessage, res: ServerResponse) => void; idTokenKeys: readonly JsonWebKey[]; accessTokenKeys: readonly JsonWebKey[] };
  private builtFor?: { idTokenKeys: readonly JsonWebKey[]; accessTokenKeys: readonly JsonWebKey[] };
  private sweeper?: NodeJS.Timeout;
  private pub?: URL;

  constructor(private readonly deps: OAuth2ProviderDeps) {}

  /** The engine, built once (keys are generated on first use: ES256 + RS256 for ID tokens, ES256 for JWT access tokens). */
  async provider(): Promise<Provider> {
    return (await this.build()).provider;
  }

  /**
   * The Node handler mounted on the public app. It restores the full URL express stripped (less the
   * realm's path prefix, which the engine sees as its mount path) and pins
   * the forwarded host and scheme to `urls.self.public`, so absolute endpoint URLs are right behind
   * any proxy (oidc-provider builds them from the request).
   */
  readonly handle = async (req: IncomingMessage & { originalUrl?: string; baseUrl?: string }, res: ServerResponse): Promise<void> => {
    const ready = this.ready;
    const km = this.deps.keyManager;
    const handler =
      ready && km.freshSigningKeys(OPENID_ID_TOKEN_SET) === ready.idTokenKeys && km.freshSigningKeys(JWT_ACCESS_TOKEN_SET) === ready.accessTokenKeys
        ? ready.handler
        : (await this.build()).handler;
    // A request the client already aborted has no body left to read; the engine would log a warning.
    if (req.destroyed) return;
    // The realm's `/realms/{realm}` prefix stays in `originalUrl` only: the engine builds its endpoint URLs with it.
    if (req.originalUrl) req.url = withoutPrefix(req.originalUrl, requestRealmOf(req).prefix);
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
    const ctx = systemCtx(this.deps.logger, this.deps.realm);
    const now = this.deps.clock.now();
    while ((await this.deps.oidcPayloadStore.deleteExpired(ctx, now, 1000)) >= 1000);
    await this.deps.loginSessionStore.deleteExpired(ctx, now);
    await this.deps.consentSessionStore.deleteExpired(ctx, now);
    await this.deps.handledChallengeStore.deleteExpired(ctx, now);
    await this.deps.logoutRequestStore.deleteExpired(ctx, now);
    await this.deps.jtiStore.deleteExpired(ctx, now);
  }

  /** Stops the sweeper. */
  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /**
   * The engine for the current signing keys. Keys are read through KeyManager's cache (refreshed every
   * `oauth2.keys.refresh_interval`); when a set changed (a key added or removed through the admin API,
   * in this or another process), a new engine is built with all keys of the sets, newest first, so
   * the newest key signs and older keys stay published until deleted. Everything else lives in the
   * database, so swapping engines loses no flow.
   */
  private async build(): Promise<{ provider: Provider; handler: (req: IncomingMessage, res: ServerResponse) => void }> {
    // The engine is the realm's: built once, with a system ctx of its realm, never with the ctx of the request that triggered it.
    const ctx = systemCtx(this.deps.logger, this.deps.realm);
    const idTokenKeys = await this.deps.keyManager.signingKeys(ctx, OPENID_ID_TOKEN_SET, ['ES256', 'RS256']);
    const accessTokenKeys = await this.deps.keyManager.signingKeys(ctx, JWT_ACCESS_TOKEN_SET, ['ES256']);
    if (this.built && this.builtFor?.idTokenKeys === idTokenKeys && this.builtFor.accessTokenKeys === accessTokenKeys) return this.built;
    this.builtFor = { idTokenKeys, accessTokenKeys };
    const accessTokenKey = accessTokenKeys.find(isPrivateJwk) ?? accessTokenKeys[0];
    const privateKeys = [...idTokenKeys, ...accessTokenKeys].filter(isPrivateJwk);
    const built = (async () => {
      const provider = createProvider(this.deps, {
        jwks: privateKeys,
        accessTokenKid: accessTokenKey.kid,
        accessTokenAlg: accessTokenKey.alg,
        accessTokenKeys,
        publishedJwks: () => this.deps.keyManager.publicJwks(ctx),
      });
      if (!this.sweeper) {
        this.sweeper = setInterval(() => {
          this.sweep().catch((error: unknown) => ctx.logger.warn({ err: error }, 'sweeping expired OAuth2 rows failed'));
        }, SWEEP_EVERY_MS);
        this.sweeper.unref();
      }
      const handler = provider.callback();
      if (this.builtFor?.idTokenKeys === idTokenKeys && this.builtFor.accessTokenKeys === accessTokenKeys) this.ready = { handler, idTokenKeys, accessTokenKeys };
      return { provider, handler };
    })();
    this.built = built;
    built.catch(() => {
      if (this.built === built) {
        this.built = undefined;
        this.builtFor = undefined;
        this.ready = undefined;
      }
    });
    return built;
  }
}

export interface OAuth2ProviderProvider {
  readonly oauth2Provider: OAuth2Provider;
}

function withoutPrefix(url: string, prefix: string): string {
  if (!prefix || !url.startsWith(prefix)) return url;
  const rest = url.slice(prefix.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
