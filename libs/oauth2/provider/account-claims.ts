import type { IncomingMessage } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { IdentityPool } from '../../identity';
import { isUuid } from '../../x';
import type { ConsentSession, ConsentSessionStore } from '../consent';
import { engineCtx } from './engine-ctx';

/** Claims the consent app may not set: the engine's and the login's own (Hydra: standard claims win). */
export const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'at_hash', 'c_hash', 's_hash', 'sid', 'azp', 'auth_time', 'acr', 'amr', 'client_id', 'scope', 'scp', 'ext']);

export interface AccountClaimsDeps {
  readonly identityPool: IdentityPool;
  readonly consentSessionStore: ConsentSessionStore;
}

type TokenLike = { grantId?: unknown } | undefined;

/** The grant behind the request: the token being used, or the authorization's grant. */
function grantIdOf(ctx: KoaContextWithOIDC | undefined, token: TokenLike): string | undefined {
  const e = ctx?.oidc?.entities;
  const id = token?.grantId ?? e?.AuthorizationCode?.grantId ?? e?.RefreshToken?.grantId ?? e?.DeviceCode?.grantId ?? e?.AccessToken?.grantId ?? e?.Grant?.jti;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Reads consent sessions by grant id, once per request (the ID token, userinfo and token claims of a
 * request all need the same one).
 */
export class ConsentLookup {
  private readonly perRequest = new WeakMap<object, Map<string, Promise<ConsentSession | undefined>>>();

  constructor(private readonly store: ConsentSessionStore) {}

  get(koa: object | undefined, grantId: string): Promise<ConsentSession | undefined> {
    const ctx = engineCtx(koa && 'req' in koa ? (koa as { req: IncomingMessage }) : undefined);
    if (!koa) return this.store.getByGrantId(ctx, grantId);
    let cache = this.perRequest.get(koa);
    if (!cache) this.perRequest.set(koa, (cache = new Map()));
    let found = cache.get(grantId);
    if (!found) cache.set(grantId, (found = this.store.getByGrantId(ctx, grantId)));
    return found;
  }

  /** What this request reads from now on for the consent's grant (it was just changed in the store). */
  set(ctx: object, consent: ConsentSession): void {
    let cache = this.perRequest.get(ctx);
    if (!cache) this.perRequest.set(ctx, (cache = new Map()));
    cache.set(consent.grantId, Promise.resolve(consent));
  }
}

/**
 * oidc-provider's `findAccount`: the subject is the consent app's `subject` (an identity id when
 * Tessera's own login is used). An identity that exists but is inactive has no account, so its
 * tokens stop working; other subjects (external users of a consent app) are accepted as they are.
 * Claims are the consent session's `id_token` claims plus the login's acr/amr/auth_time.
 */
export function createFindAccount(deps: AccountClaimsDeps, consents: ConsentLookup) {
  return async (ctx: KoaContextWithOIDC | undefined, sub: string, token?: TokenLike) => {
    const route = ctx?.oidc?.route;
    if (isUuid(sub) && route !== 'authorization' && route !== 'resume') {
      const identity = await deps.identityPool.get(engineCtx(ctx), sub);
      if (identity && identity.state !== 'active') return undefined;
    }
    return {
      accountId: sub,
      claims: async (): Promise<Record<string, unknown>> => {
        const grantId = grantIdOf(ctx, token);
        const consent = grantId ? await consents.get(ctx ?? {}, grantId) : undefined;
        const own = Object.fromEntries(Object.entries(consent?.session.id_token ?? {}).filter(([k]) => !RESERVED_CLAIMS.has(k)));
        return {
          ...own,
          ...(consent?.acr ? { acr: consent.acr } : {}),
          ...(consent?.amr ? { amr: [...consent.amr] } : {}),
          ...(consent?.authenticatedAt ? { auth_time: Math.floor(consent.authenticatedAt.getTime() / 1000) } : {}),
          sub,
        };
      },
    };
  };
}
