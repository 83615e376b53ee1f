import { createHash } from 'node:crypto';
import type { ClientMetadata } from './oauth2-client';

/**
 * Hydra's sector identifier of a pairwise client: the whole `sector_identifier_uri` when set, else the
 * host of its only redirect URI. `undefined` when neither applies (several redirect URIs and no sector
 * URI — client validation refuses that for pairwise clients — or no redirect URI at all).
 */
export function sectorIdentifier(m: Pick<ClientMetadata, 'sector_identifier_uri' | 'redirect_uris'>): string | undefined {
  if (m.sector_identifier_uri) return m.sector_identifier_uri;
  if (m.redirect_uris.length !== 1) return undefined;
  return URL.parse(m.redirect_uris[0])?.host || undefined;
}

/**
 * Hydra's pairwise subject: lowercase hex of SHA-256(sector + subject + salt). The same subject gets a
 * different, stable identifier per sector, so clients of different sectors cannot correlate users.
 */
export function pairwiseSubject(sector: string, subject: string, salt: string): string {
  return createHash('sha256').update(sector + subject + salt, 'utf8').digest('hex');
}
