import type { ClientProtocolValidator, OAuth2Client } from '../client';
import { invalidClientMetadata } from '../client';
import { toProviderMetadata } from './client-metadata';
import { registeredGrantTypes } from './trusted-grants';
import type { OAuth2ProviderProvider } from './oauth2-provider';
import type { Ctx } from '../../x';

/**
 * Checks a client against the engine's own client rules before it is stored, so a client the engine
 * would refuse at the token endpoint is refused at the admin API instead (as `invalid_client_metadata`).
 */
export class EngineClientValidator implements ClientProtocolValidator {
  constructor(private readonly deps: OAuth2ProviderProvider) {}

  async validate(ctx: Ctx, client: OAuth2Client): Promise<void> {
    const provider = await this.deps.oauth2Provider.provider();
    await this.deps.oauth2Provider.allowScopes(client.metadata.scope);
    try {
      const metadata = toProviderMetadata(client, registeredGrantTypes(provider));
      new provider.Client(metadata);
      // Only here does the engine fetch the sector document (HTTPS, public addresses only) and check that it
      // lists every redirect URI; clients loaded for requests never fetch it (`sectorIdentifierUriValidate`).
      if (client.metadata.sector_identifier_uri) await provider.Client.validate({ ...metadata, tessera_validate_sector: true });
    } catch (error) {
      const e = error as { error?: string; error_description?: string; message?: string };
      if (e.error === 'invalid_client_metadata' || e.error === 'invalid_redirect_uri') throw invalidClientMetadata(e.error_description ?? e.message ?? 'The client is invalid.');
      throw error;
    }
  }
}
