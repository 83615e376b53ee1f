import { createHash } from 'node:crypto';
import { SecretCipher } from '../../../x';
import { RECOVERY_CODE_COUNT, findRecoveryCode, newRecoveryCodes, normalizeRecoveryCode, recoveryCodeDigest } from './recovery-codes';

const cipher = new SecretCipher('lookup_secret', ['k'.repeat(32)]);
const ID = '4d9b8c1e-2f0a-4b6e-9c3d-7a1b2c3d4e5f';

describe('recovery codes', () => {
  it('generates 12 distinct 8-character [a-z0-9] codes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(RECOVERY_CODE_COUNT).toBe(12);
    for (const c of codes) expect(c).toMatch(/^[a-z0-9]{8}$/);
    expect(new Set(codes).size).toBe(12);
    expect(newRecoveryCodes()).not.toEqual(codes);
  });

  it('stores a keyed digest that contains neither the code nor a plain SHA-256 of it', () => {
    const digest = recoveryCodeDigest(cipher, ID, 'abcd1234');
    expect(digest).toMatch(/^hmac256\$[\w-]{43}$/);
    expect(digest).not.toContain('abcd1234');
    const plain = createHash('sha256').update('abcd1234').digest('base64url');
    expect(digest).not.toContain(plain);
    // The same code of another identity has another digest.
    expect(recoveryCodeDigest(cipher, '00000000-0000-4000-8000-000000000000', 'abcd1234')).not.toBe(digest);
  });

  it('finds a code by what the user typed (case and surrounding spaces ignored), and nothing else', () => {
    const codes = newRecoveryCodes();
    const stored = codes.map((code) => ({ code: recoveryCodeDigest(cipher, ID, code) }));
    expect(findRecoveryCode(cipher, ID, codes[5], stored)).toBe(5);
    expect(findRecoveryCode(cipher, ID, ` ${codes[7].toUpperCase()} `, stored)).toBe(7);
    expect(findRecoveryCode(cipher, ID, 'zzzzzzzz', stored)).toBe(-1);
    expect(findRecoveryCode(cipher, '00000000-0000-4000-8000-000000000000', codes[5], stored)).toBe(-1);
    expect(findRecoveryCode(new SecretCipher('lookup_secret', ['x'.repeat(32)]), ID, codes[5], stored)).toBe(-1);
    expect(normalizeRecoveryCode(' AbC ')).toBe('abc');
  });

  it('keeps finding codes after the cipher secret is rotated (old secret kept)', () => {
    const stored = [{ code: recoveryCodeDigest(cipher, ID, 'code0001') }];
    const rotated = new SecretCipher('lookup_secret', ['n'.repeat(32), 'k'.repeat(32)]);
    expect(findRecoveryCode(rotated, ID, 'code0001', stored)).toBe(0);
  });
});
