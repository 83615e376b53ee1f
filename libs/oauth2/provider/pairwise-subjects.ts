import type { ClientInstance } from 'oidc-provider';
import type { RealmConfigProvider } from '../../config';
import { pairwiseSubject } from '../client';
import type { ForcedSubjectStoreProvider } from '../consent';
import type { Ctx } from '../../x';

/**
 * The `sub` a pairwise client sees for `accountId`: the `force_subject_identifier` a login app set for
 * this subject and client, else Hydra's SHA-256 of the client's sector + subject + salt. The engine
 * calls it for ID tokens, userinfo and `id_token_hint` checks; introspection for `obfuscated_subject`.
 */
export async function pairwiseSubjectFor(ctx: Ctx, deps: RealmConfigProvider & ForcedSubjectStoreProvider, client: ClientInstance, accountId: string): Promise<string> {
  const forced = await deps.forcedSubjectStore.get(ctx, accountId, client.clientId);
  if (forced) return forced;
  return pairwiseSubject(String(client.tessera_sector ?? client.sectorIdentifier), accountId, deps.config.oidc.subject_identifiers.pairwise.salt ?? '');
}
