import type { RealmConfig } from '../../config';
import type { LifespanField } from '../client';

type Lifespans = Partial<Record<LifespanField, number>>;
type Ctx = { oidc?: { route?: string; params?: Record<string, unknown>; result?: Record<string, unknown> & { login?: Record<string, unknown>; consent?: unknown } } } | undefined;
type Token = { gty?: string; exp?: number } | undefined;
type Client = { tessera_lifespans?: Lifespans } | undefined;

const seconds = (ms: number): number => Math.max(1, Math.round(ms / 1000));

/**
 * The engine's `ttl` functions (synchronous, as oidc-provider requires): a client's `*_lifespan`
 * for the grant at hand wins over `ttl.*` (hydra-api.md §7.6). All values are seconds.
 */
export function tokenLifetimes(config: RealmConfig): Record<string, number | ((ctx: Ctx, token: Token, client: Client) => number)> {
  const ttl = config.ttl;
  const pick = (client: Client, field: LifespanField | undefined, fallbackMs: number): number => {
    const own = field ? client?.tessera_lifespans?.[field] : undefined;
    return own ?? seconds(fallbackMs);
  };
  const grantOf = (ctx: Ctx, token: Token): string => token?.gty ?? String(ctx?.oidc?.params?.grant_type ?? '');
  const longest = Math.max(ttl.refresh_token, ttl.access_token, ttl.id_token);
  return {
    AccessToken: (ctx, token, client) => {
      const gty = grantOf(ctx, token);
      const field: LifespanField | undefined = gty.includes('refresh_token')
        ? 'refresh_token_grant_access_token_lifespan'
        : gty.includes('authorization_code')
          ? 'authorization_code_grant_access_token_lifespan'
          : gty.includes('implicit')
            ? 'implicit_grant_access_token_lifespan'
            : undefined;
      return pick(client, field, ttl.access_token);
    },
    ClientCredentials: (_ctx, _token, client) => pick(client, 'client_credentials_grant_access_token_lifespan', ttl.access_token),
    RefreshToken: (ctx, token, client) =>
      pick(client, grantOf(ctx, token).includes('refresh_token') ? 'refresh_token_grant_refresh_token_lifespan' : 'authorization_code_grant_refresh_token_lifespan', ttl.refresh_token),
    IdToken: (ctx, _token, client) => {
      const route = ctx?.oidc?.route;
      const grant = String(ctx?.oidc?.params?.grant_type ?? '');
      const field: LifespanField =
        route === 'token' ? (grant === 'refresh_token' ? 'refresh_token_grant_id_token_lifespan' : 'authorization_code_grant_id_token_lifespan') : 'implicit_grant_id_token_lifespan';
      return pick(client, field, ttl.id_token);
    },
    AuthorizationCode: seconds(ttl.auth_code),
    DeviceCode: 600,
    BackchannelAuthenticationRequest: 600,
    PreAuthorizedCode: 600,
    Interaction: seconds(ttl.login_consent_request),
    Grant: seconds(longest),
    Session: (ctx, session) => {
      const result = ctx?.oidc?.result;
      if (result?.login && !result.consent) {
        const rememberFor = Number(result.login.remember_for ?? 0);
        return rememberFor > 0 ? rememberFor : seconds(ttl.login_session);
      }
      const remaining = session?.exp ? session.exp - Math.floor(Date.now() / 1000) : 0;
      return remaining > 0 ? remaining : seconds(ttl.login_session);
    },
  };
}
