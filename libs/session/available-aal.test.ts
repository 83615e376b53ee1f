import { makeIdentity } from '../identity/testing/identity-pool.contract';
import type { Credentials, CredentialsType } from '../identity';
import { aalSatisfies, highestAvailableAal } from './available-aal';

const cred = (type: CredentialsType, config: Record<string, unknown>): Credentials => ({ type, identifiers: ['x'], config, version: 0, createdAt: new Date(), updatedAt: new Date() });

describe('highestAvailableAal', () => {
  const password = makeIdentity('a@example.com');
  it('is aal1 with a first factor only and aal0 without credentials', () => {
    expect(highestAvailableAal(password)).toBe('aal1');
    expect(highestAvailableAal({ ...password, credentials: {} })).toBe('aal0');
  });

  it('is aal2 with a usable TOTP key, lookup secrets or a second-factor WebAuthn key', () => {
    const withCred = (c: Credentials) => highestAvailableAal({ ...password, credentials: { ...password.credentials, [c.type]: c } });
    expect(withCred(cred('totp', { totp_url: 'otpauth://totp/x' }))).toBe('aal2');
    expect(withCred(cred('totp', { totp_url: '' }))).toBe('aal1');
    expect(withCred(cred('lookup_secret', { recovery_codes: [{ code: 'a' }] }))).toBe('aal2');
    expect(withCred(cred('lookup_secret', { recovery_codes: [] }))).toBe('aal1');
    expect(withCred(cred('webauthn', { credentials: [{ id: 'k', is_passwordless: false }] }))).toBe('aal2');
    expect(withCred(cred('webauthn', { credentials: [{ id: 'k', is_passwordless: true }] }))).toBe('aal1');
  });
});

describe('aalSatisfies', () => {
  it('orders aal0 < aal1 < aal2 < aal3', () => {
    expect(aalSatisfies('aal2', 'aal1')).toBe(true);
    expect(aalSatisfies('aal1', 'aal1')).toBe(true);
    expect(aalSatisfies('aal1', 'aal2')).toBe(false);
    expect(aalSatisfies('aal0', 'aal1')).toBe(false);
  });
});
