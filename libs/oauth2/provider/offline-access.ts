import type { ClientInstance, KoaContextWithOIDC } from 'oidc-provider';
import { engine } from './engine';

const OFFLINE_ACCESS = 'offline_access';

/**
 * Hydra treats `offline_access` like `offline`: it stays in the request's scope (so `requested_scope` of the
 * login and consent requests lists it) and, once consented, yields a refresh token to a client that may
 * use the `refresh_token` grant (`issueRefreshToken`). oidc-provider follows OIDC Core §11 instead and drops
 * the scope from authorization requests without `prompt=consent`.
 *
 * Runs as the engine's `extraParams` validator of `scope`, which the engine calls after its own scope
 * check on every authorization (and device authorization) request: when the request asked for
 * `offline_access` and the engine removed it, it is put back in its place. A client whose registered
 * `scope` lacks it is refused with `invalid_scope`, as the engine does for any other scope (and Hydra).
 */
export async function keepOfflineAccess(ctx: KoaContextWithOIDC, client: ClientInstance | undefined): Promise<void> {
  const params = ctx.oidc.params;
  if (!params) return;
  const raw = ctx.method === 'POST' ? ctx.oidc.body : ctx.query;
  const requested = [...new Set(String(raw?.scope ?? '').split(' ').filter(Boolean))];
  if (!requested.includes(OFFLINE_ACCESS)) return;
  const kept = new Set(String(params.scope ?? '').split(' ').filter(Boolean));
  if (kept.has(OFFLINE_ACCESS)) return;
  const allowed = typeof client?.scope === 'string' ? client.scope.split(' ') : undefined;
  if (allowed && !allowed.includes(OFFLINE_ACCESS)) throw new (engine().errors.InvalidScope)('requested scope is not allowed', OFFLINE_ACCESS);
  params.scope = requested.filter((s) => kept.has(s) || s === OFFLINE_ACCESS).join(' ');
}
