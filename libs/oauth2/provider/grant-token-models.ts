import type { OidcPayloadStore } from './oidc-payload-store';
import type { Ctx } from '../../x';

/** Token models bound to a grant (oidc-provider's own plus Tessera's JWT access-token index). */
export const GRANT_TOKEN_MODELS: readonly string[] = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'BackchannelAuthenticationRequest', 'JwtAccessToken'];

/** Deletes every token of the grant (all {@link GRANT_TOKEN_MODELS}); the Grant itself stays. */
export async function revokeGrantTokens(ctx: Ctx, store: OidcPayloadStore, grantId: string): Promise<void> {
  await Promise.all(GRANT_TOKEN_MODELS.map((model) => store.revokeByGrantId(ctx, model, grantId)));
}

/** Deletes the grant and every token of it. */
export async function revokeGrant(ctx: Ctx, store: OidcPayloadStore, grantId: string): Promise<void> {
  await revokeGrantTokens(ctx, store, grantId);
  await store.destroy(ctx, 'Grant', grantId);
}
