import type { RealmConfigProvider } from '../config';
import type { ClockProvider, Ctx } from '../x';
import { type WhoamiResult, whoamiOf } from './session-manager';
import { sessionInactive } from './session-errors';
import type { SessionIdentityReaderProvider } from './session-identity-reader';
import { hashToken } from './session-tokens';
import type { WhoamiCacheProvider } from './whoami-cache';

export type WhoamiServiceDeps = RealmConfigProvider & ClockProvider & SessionIdentityReaderProvider & WhoamiCacheProvider;

/**
 * `/sessions/whoami`, the hottest read: the session and identity of a token come from the per-process
 * {@link WhoamiCache} or from one database round trip ({@link SessionIdentityReader}), and are judged
 * on every call exactly as `SessionManager.whoami` judges them (active, unexpired by the clock now,
 * identity active, the realm's required AAL), so the cache can only delay what another process changed,
 * by at most its TTL, never an expiry.
 */
export class WhoamiService {
  constructor(private readonly deps: WhoamiServiceDeps) {}

  /**
   * @throws OryError 401 `session_inactive` (no token, unknown, revoked or expired session, inactive
   * identity); 403 `session_aal2_required` with `redirect_browser_to`
   */
  async whoami(ctx: Ctx, token: string | undefined): Promise<WhoamiResult> {
    if (!token || token.length > 512) throw sessionInactive();
    const tokenHash = hashToken(token);
    const cache = this.deps.whoamiCache;
    let found = cache.get(ctx.realm, tokenHash);
    if (!found) {
      const ticket = cache.ticket();
      found = await this.deps.sessionIdentityReader.getWithIdentityByTokenHash(ctx, tokenHash);
      if (found) cache.set(ctx.realm, tokenHash, found, ticket);
    }
    const now = this.deps.clock.now();
    if (!found || !found.session.active || found.session.expiresAt.getTime() <= now.getTime() || found.identity.state !== 'active') throw sessionInactive();
    return whoamiOf(found, this.deps.config, now);
  }
}

export interface WhoamiServiceProvider {
  readonly whoamiService: WhoamiService;
}
