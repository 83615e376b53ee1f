/** Token models bound to a grant (oidc-provider's own plus Tessera's JWT access-token index). */
export const GRANT_TOKEN_MODELS: readonly string[] = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'BackchannelAuthenticationRequest', 'JwtAccessToken'];
