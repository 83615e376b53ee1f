import type { OAuth2Client } from '../client';

/** RFC 8693 §2.1. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** RFC 8693 §3 token type identifiers Tessera understands. */
export const TOKEN_TYPE = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

/** The key of a client's Hydra `metadata` that lists the audiences it may exchange tokens into. */
export const TOKEN_EXCHANGE_AUDIENCES_METADATA = 'token_exchange_audiences';

/**
 * The per-client token exchange policy: the audiences listed in the client's `metadata.token_exchange_audiences`
 * (matched like Hydra's audience whitelist: same scheme and host, equal or deeper path). A client without
 * that list may not exchange tokens into any audience. `metadata` is set by operators through the admin
 * API only (dynamic client registration cannot set it), so clients cannot grant themselves targets.
 */
export function tokenExchangeAudiences(client: Pick<OAuth2Client, 'metadata'>): readonly string[] {
  const value = client.metadata.metadata[TOKEN_EXCHANGE_AUDIENCES_METADATA];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}
