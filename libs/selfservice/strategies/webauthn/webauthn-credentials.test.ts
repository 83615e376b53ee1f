import type { Identity } from '../../../identity';
import { type StoredWebAuthnKey, bytesToUuid, canSignInWithout, keyHexId, storedKeys, uuidToBytes, withKeys } from './webauthn-credentials';

const now = new Date('2024-01-01T00:00:00Z');
const key = (id: string, passwordless: boolean): StoredWebAuthnKey => ({
  id: Buffer.from(id).toString('base64'),
  public_key: 'AA==',
  attestation_type: 'none',
  authenticator: { aaguid: Buffer.alloc(16).toString('base64'), sign_count: 0, clone_warning: false },
  display_name: id,
  added_at: now.toISOString(),
  is_passwordless: passwordless,
});
const identity = (credentials: Identity['credentials'] = {}): Identity => ({
  id: '0b3c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3',
  schemaId: 'default',
  state: 'active',
  traits: {},
  verifiableAddresses: [],
  recoveryAddresses: [],
  metadataPublic: null,
  metadataAdmin: null,
  credentials,
  createdAt: now,
  updatedAt: now,
});

describe('webauthn credentials', () => {
  it('stores keys in Kratos shape with the identity id as user handle, and drops the credential with the last key', () => {
    const withTwo = withKeys(identity(), [key('a', true), key('b', false)], ['x@example.com'], now);
    expect(withTwo.credentials.webauthn).toMatchObject({ type: 'webauthn', identifiers: ['x@example.com'], config: { user_handle: Buffer.from(uuidToBytes(withTwo.id)).toString('base64') } });
    expect(storedKeys(withTwo).map((k) => k.display_name)).toEqual(['a', 'b']);
    expect(keyHexId(storedKeys(withTwo)[0])).toBe(Buffer.from('a').toString('hex'));
    expect(withKeys(withTwo, [], [], now).credentials.webauthn).toBeUndefined();
    expect(bytesToUuid(uuidToBytes(withTwo.id))).toBe(withTwo.id);
    expect(bytesToUuid(new Uint8Array(15))).toBeUndefined();
  });

  it('never lets the last credential that can sign in go', () => {
    const passkey = key('a', true);
    const only = withKeys(identity(), [passkey, key('mfa', false)], [], now);
    expect(canSignInWithout(only, passkey)).toBe(false);
    expect(canSignInWithout(only, key('mfa', false))).toBe(true);
    expect(canSignInWithout(withKeys(identity(), [passkey, key('b', true)], [], now), passkey)).toBe(true);
    const withPassword = withKeys(identity({ password: { type: 'password', identifiers: ['x'], config: { hashed_password: '$2a$04$x' }, version: 0, createdAt: now, updatedAt: now } }), [passkey], [], now);
    expect(canSignInWithout(withPassword, passkey)).toBe(true);
  });
});
