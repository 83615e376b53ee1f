import { KeyCipher } from './key-cipher';

describe('KeyCipher', () => {
  const secret = 'system-secret-aaaaaaaaaaaaaaaa';

  it('round-trips and never stores the plaintext', () => {
    const cipher = new KeyCipher([secret]);
    const sealed = cipher.encrypt('{"d":"private"}');
    expect(sealed).toMatch(/^aes256gcm\$/);
    expect(sealed).not.toContain('private');
    expect(cipher.decrypt(sealed)).toBe('{"d":"private"}');
  });

  it('uses a fresh IV for every encryption', () => {
    const cipher = new KeyCipher([secret]);
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('decrypts with an older secret after rotation, and fails without it', () => {
    const sealed = new KeyCipher([secret]).encrypt('rotate me');
    expect(new KeyCipher(['new-secret-bbbbbbbbbbbbbbbbbbb', secret]).decrypt(sealed)).toBe('rotate me');
    expect(() => new KeyCipher(['new-secret-bbbbbbbbbbbbbbbbbbb']).decrypt(sealed)).toThrow(/no configured cipher secret decrypts/);
  });

  it('rejects tampered values', () => {
    const cipher = new KeyCipher([secret]);
    const sealed = cipher.encrypt('integrity');
    const parts = sealed.split('$');
    const body = Buffer.from(parts[2], 'base64url');
    body[0] ^= 1;
    expect(() => cipher.decrypt(`${parts[0]}$${parts[1]}$${body.toString('base64url')}`)).toThrow();
    expect(() => cipher.decrypt('plain')).toThrow(/not an encrypted/);
  });
});
