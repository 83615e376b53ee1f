import { newId } from '../x';
import type { Credentials, CredentialsType, Identity } from './identity';
import type { TraitsExtensions } from './identity-schemas';

/**
 * A new identity for self-service registration, from traits already validated against `schemaId`:
 * addresses come from the schema extension (unverified, `pending`), and each credential gets the
 * identifiers the extension names for its type.
 */
export function newIdentity(input: {
  readonly schemaId: string;
  readonly traits: Readonly<Record<string, unknown>>;
  readonly ext: TraitsExtensions;
  readonly credentials: readonly { readonly type: CredentialsType; readonly config: Readonly<Record<string, unknown>> }[];
  readonly now: Date;
}): Identity {
  const { now, ext } = input;
  const credentials: Partial<Record<CredentialsType, Credentials>> = {};
  for (const c of input.credentials) {
    credentials[c.type] = { type: c.type, identifiers: ext.identifiers.get(c.type) ?? [], config: c.config, version: 0, createdAt: now, updatedAt: now };
  }
  return {
    id: newId(),
    schemaId: input.schemaId,
    state: 'active',
    stateChangedAt: now,
    traits: input.traits,
    verifiableAddresses: ext.verifiable.map((a) => ({ id: newId(), value: a.value, via: a.via, verified: false, status: 'pending', createdAt: now, updatedAt: now })),
    recoveryAddresses: ext.recovery.map((a) => ({ id: newId(), value: a.value, via: a.via, createdAt: now, updatedAt: now })),
    metadataPublic: null,
    metadataAdmin: null,
    credentials,
    createdAt: now,
    updatedAt: now,
  };
}
