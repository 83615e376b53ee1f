import type { Credentials, Identity } from '../../../identity';

/**
 * One stored key, in Kratos's `webauthn` credential config shape (§8a): binary values are standard
 * base64 (Go's `[]byte` JSON), `id` is the raw credential id, `public_key` the COSE key.
 */
export interface StoredWebAuthnKey {
  readonly id: string;
  readonly public_key: string;
  readonly attestation_type: string;
  readonly authenticator: { readonly aaguid: string; readonly sign_count: number; readonly clone_warning: boolean };
  readonly display_name: string;
  readonly added_at: string;
  /** A passkey (first factor, aal1) rather than a second-factor key (aal2). */
  readonly is_passwordless: boolean;
  readonly transports?: readonly string[];
}

/** The whole `webauthn` credential config. `user_handle` is the identity id's 16 bytes (as in Kratos). */
export interface WebAuthnCredentialConfig {
  readonly credentials: readonly StoredWebAuthnKey[];
  readonly user_handle: string;
}

/** The identity's keys (none when it has no `webauthn` credential or a malformed one). */
export function storedKeys(identity: Identity): StoredWebAuthnKey[] {
  const list = identity.credentials.webauthn?.config.credentials;
  return Array.isArray(list) ? (list.filter((k) => typeof (k as StoredWebAuthnKey)?.id === 'string') as StoredWebAuthnKey[]) : [];
}

/** The 16 bytes of a UUID. */
export function uuidToBytes(uuid: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(uuid.replace(/-/g, ''), 'hex'));
}

/** A UUID from its 16 bytes, or `undefined` for any other length. */
export function bytesToUuid(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 16) return undefined;
  const h = Buffer.from(bytes).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
export const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
/** Decodes standard base64 or base64url (padded or not). */
export const fromB64 = (value: string): Buffer => Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
/** The hex form used by `webauthn_remove` values. */
export const keyHexId = (key: StoredWebAuthnKey): string => fromB64(key.id).toString('hex');
/** The base64url form browsers use for credential ids. */
export const keyUrlId = (key: StoredWebAuthnKey): string => b64url(fromB64(key.id));

/**
 * The identity with `keys` as its `webauthn` credential (removed entirely when no key is left). The
 * identifiers are the schema's `credentials.webauthn.identifier` traits.
 */
export function withKeys(identity: Identity, keys: readonly StoredWebAuthnKey[], identifiers: readonly string[], now: Date): Identity {
  const { webauthn: previous, ...others } = identity.credentials;
  if (keys.length === 0) return { ...identity, credentials: others, updatedAt: now };
  const config: WebAuthnCredentialConfig = { credentials: keys, user_handle: b64(uuidToBytes(identity.id)) };
  const credential: Credentials = {
    type: 'webauthn',
    identifiers,
    config: config as unknown as Record<string, unknown>,
    version: 1,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  return { ...identity, credentials: { ...others, webauthn: credential }, updatedAt: now };
}

/**
 * True when the identity could still sign in without `removed` (Kratos refuses to remove the last
 * first factor): a password, an OIDC link, a login code identifier, or another passkey.
 */
export function canSignInWithout(identity: Identity, removed: StoredWebAuthnKey): boolean {
  if (!removed.is_passwordless) return true;
  if (storedKeys(identity).some((k) => k.is_passwordless && k.id !== removed.id)) return true;
  const { password, oidc, code } = identity.credentials;
  if (typeof password?.config.hashed_password === 'string' && password.config.hashed_password !== '') return true;
  if (Array.isArray(oidc?.config.providers) && oidc.config.providers.length > 0) return true;
  return (code?.identifiers.length ?? 0) > 0;
}
