import { SecretCipher } from './secret-cipher';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('SecretCipher', () => {
  it('round-trips a value and never stores the plaintext', () => {
    const cipher = new SecretCipher('totp', [A]);
    const sealed = cipher.encrypt('otpauth://totp/x?secret=JBSWY3DPEHPK3PXPJBSWY3DP');
    expect(sealed).toMatch(/^aes256gcm\$[\w-]+\$[\w-]+$/);
    expect(sealed).not.toContain('JBSWY3DP');
    expect(cipher.decrypt(sealed)).toBe('otpauth://totp/x?secret=JBSWY3DPEHPK3PXPJBSWY3DP');
    expect(SecretCipher.isEncrypted(sealed)).toBe(true);
    expect(SecretCipher.isEncrypted('otpauth://totp/x')).toBe(false);
  });

  it('uses a fresh IV for every encryption', () => {
    const cipher = new SecretCipher('totp', [A]);
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('decrypts with an older secret after rotation, and encrypts with the newest', () => {
    const old = new SecretCipher('totp', [A]).encrypt('kept across rotation');
    const rotated = new SecretCipher('totp', [B, A]);
    expect(rotated.decrypt(old)).toBe('kept across rotation');
    expect(() => new SecretCipher('totp', [B]).decrypt(rotated.encrypt('new'))).not.toThrow();
    expect(() => new SecretCipher('totp', [A]).decrypt(rotated.encrypt('new'))).toThrow();
  });

  it('refuses a value under the wrong secret, another purpose, or after tampering', () => {
    const sealed = new SecretCipher('totp', [A]).encrypt('value');
    expect(() => new SecretCipher('totp', [B]).decrypt(sealed)).toThrow(/no configured cipher secret/);
    expect(() => new SecretCipher('other', [A]).decrypt(sealed)).toThrow();
    const [p, iv, body] = sealed.split('$');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(() => new SecretCipher('totp', [A]).decrypt(`${p}$${iv}$${flipped.toString('base64url')}`)).toThrow();
    expect(() => new SecretCipher('totp', [A]).decrypt('plain text')).toThrow(/not an encrypted value/);
  });

  it('recognises keyed digests under any configured secret, never the wrong value', () => {
    const digest = new SecretCipher('lookup', [A]).digest('id:abcd1234');
    expect(digest).toMatch(/^hmac256\$/);
    expect(digest).not.toContain('abcd1234');
    expect(new SecretCipher('lookup', [B, A]).matchesDigest('id:abcd1234', digest)).toBe(true);
    expect(new SecretCipher('lookup', [B]).matchesDigest('id:abcd1234', digest)).toBe(false);
    expect(new SecretCipher('lookup', [A]).matchesDigest('id:abcd1235', digest)).toBe(false);
    expect(new SecretCipher('lookup', [A]).matchesDigest('id:abcd1234', 'abcd1234')).toBe(false);
  });

  it('needs at least one secret', () => {
    expect(() => new SecretCipher('totp', [])).toThrow();
  });
});
