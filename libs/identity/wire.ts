import type { RealmConfig } from '../config';
import { toBase64Url } from '../x';
import type { Credentials, Identity, RecoveryAddress, VerifiableAddress } from './identity';

/**
 * Which fields a response carries (Kratos views): `public` (sessions, flows), `admin_list` (adds
 * `metadata_admin`), `admin` (adds credentials with type, identifiers, version and timestamps; never
 * `config`, which holds hashes and secrets).
 */
export type IdentityView = 'public' | 'admin_list' | 'admin';

const iso = (d: Date): string => d.toISOString();

/** `{public}/schemas/<base64url(schema id)>`, as Kratos builds `schema_url`. */
export function schemaUrl(config: Pick<RealmConfig, 'serve'>, schemaId: string): string {
  return `${config.serve.public.base_url}schemas/${toBase64Url(schemaId)}`;
}

/** The only place an identity becomes wire JSON (snake_case, RFC 3339 timestamps). */
export function toWire(identity: Identity, view: IdentityView, config: Pick<RealmConfig, 'serve'>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: identity.id,
    schema_id: identity.schemaId,
    schema_url: schemaUrl(config, identity.schemaId),
    state: identity.state,
    ...(identity.stateChangedAt ? { state_changed_at: iso(identity.stateChangedAt) } : {}),
    traits: identity.traits,
    ...(identity.verifiableAddresses.length ? { verifiable_addresses: identity.verifiableAddresses.map(verifiableToWire) } : {}),
    ...(identity.recoveryAddresses.length ? { recovery_addresses: identity.recoveryAddresses.map(recoveryToWire) } : {}),
    metadata_public: identity.metadataPublic ?? null,
    created_at: iso(identity.createdAt),
    updated_at: iso(identity.updatedAt),
  };
  if (view !== 'public' && identity.metadataAdmin !== null && identity.metadataAdmin !== undefined) {
    out.metadata_admin = identity.metadataAdmin;
  }
  if (view === 'admin') {
    out.credentials = Object.fromEntries(Object.values(identity.credentials).map((c) => [c.type, credentialsToWire(c)]));
  }
  return out;
}

function verifiableToWire(a: VerifiableAddress): Record<string, unknown> {
  return {
    id: a.id,
    value: a.value,
    verified: a.verified,
    via: a.via,
    status: a.status,
    ...(a.verifiedAt ? { verified_at: iso(a.verifiedAt) } : {}),
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
  };
}

function recoveryToWire(a: RecoveryAddress): Record<string, unknown> {
  return { id: a.id, value: a.value, via: a.via, created_at: iso(a.createdAt), updated_at: iso(a.updatedAt) };
}

function credentialsToWire(c: Credentials): Record<string, unknown> {
  return { type: c.type, identifiers: [...c.identifiers], version: c.version, created_at: iso(c.createdAt), updated_at: iso(c.updatedAt) };
}
