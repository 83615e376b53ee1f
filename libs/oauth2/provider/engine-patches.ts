import type { ClientInstance, Provider } from 'oidc-provider';
import type { RealmConfigProvider, SecretsProvider } from '../../config';
import { verifyClientSecret } from '../client';
import { RESERVED_CLAIMS } from './account-claims';
import { engineInternals } from './engine';

/**
 * Makes scopes known to an engine. oidc-provider only grants scopes in its configured list; Hydra
 * clients invent their own, so every scope of a loaded (or validated) client is added to the
 * engine's live set (its configuration is a private clone, reached through its instance cache).
 * Discovery still advertises Hydra's defaults only.
 */
export function allowScopes(provider: Provider, scope: string): void {
  const known = engineInternals(provider)?.configuration.scopes;
  if (!known) throw new Error('oidc-provider internals changed: no configuration.scopes');
  for (const s of scope.split(' ')) if (s) known.add(s);
}

/**
 * Per-instance patches of engine internals (pinned to oidc-provider 9.13; covered by the e2e suites):
 * HMAC client secrets, Hydra's session-wide `sid`, consent claims in ID tokens and userinfo, and
 * Hydra's looser redirect URI rules for implicit clients on loopback.
 */
export function patchEngine(provider: Provider, deps: RealmConfigProvider & SecretsProvider): void {
  provider.Client.prototype.compareClientSecret = async function compareClientSecret(this: ClientInstance, actual: string) {
    return verifyClientSecret(actual, this.clientSecret, deps.secrets.system);
  };
  // Hydra: one sid per login session for every client (ID tokens, logout tokens, front-channel).
  provider.Session.prototype.ensureClientContainer = function ensureClientContainer(this: { uid: string; sidFor(c: string, v?: string): string | undefined }, clientId: string) {
    if (!this.sidFor(clientId)) this.sidFor(clientId, this.uid);
  };
  (provider.Client.prototype as unknown as { includeSid(): boolean }).includeSid = () => true;
  // Hydra puts whatever the consent app set in `session.id_token` into the ID token and userinfo.
  const result = provider.Claims.prototype.result;
  provider.Claims.prototype.result = async function claimsResult(this: { available: Record<string, unknown> }) {
    const masked = await result.call(this);
    const extra = Object.fromEntries(Object.entries(this.available).filter(([k]) => !(k in masked) && (k === 'acr' || k === 'amr' || k === 'auth_time' || !RESERVED_CLAIMS.has(k))));
    return { ...extra, ...masked };
  };
  const invalidate = provider.Client.Schema.prototype.invalidate;
  provider.Client.Schema.prototype.invalidate = function invalidateLoosely(this: { redirect_uris?: string[] }, message: string, code?: string) {
    const loopbackOnly = (this.redirect_uris ?? []).every((u) => ['localhost', '127.0.0.1', '[::1]'].includes(URL.parse(u)?.hostname ?? ''));
    if (code === 'implicit-forbid-localhost' || (code === 'implicit-force-https' && (loopbackOnly || deps.config.dev))) return;
    invalidate.call(this, message, code);
  };
}
