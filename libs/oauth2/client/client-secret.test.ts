import { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret';

describe('client secrets', () => {
  const pepper = 'system-secret-aaaaaaaaaaaaaaaa';

  it('generates 256-bit secrets that differ each time', () => {
    const a = generateClientSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateClientSecret()).not.toBe(a);
  });

  it('stores an HMAC, not the secret, and verifies only the right secret', () => {
    const hash = hashClientSecret('s3cret-value', [pepper]);
    expect(hash).toMatch(/^hmac-sha256\$/);
    expect(hash).not.toContain('s3cret');
    expect(verifyClientSecret('s3cret-value', hash, [pepper])).toBe(true);
    expect(verifyClientSecret('s3cret-valuf', hash, [pepper])).toBe(false);
    expect(verifyClientSecret('s3cret-value', undefined, [pepper])).toBe(false);
  });

  it('depends on the pepper and survives pepper rotation', () => {
    const hash = hashClientSecret('s3cret-value', [pepper]);
    expect(verifyClientSecret('s3cret-value', hash, ['other-secret-bbbbbbbbbbbbbbbbb'])).toBe(false);
    expect(verifyClientSecret('s3cret-value', hash, ['other-secret-bbbbbbbbbbbbbbbbb', pepper])).toBe(true);
  });

  it('refuses a stored value that is not a whole HMAC digest (truncated or foreign)', () => {
    const hash = hashClientSecret('s3cret-value', [pepper]);
    expect(verifyClientSecret('s3cret-value', hash.slice(0, -2), [pepper])).toBe(false);
    expect(verifyClientSecret('s3cret-value', `${hash}AA`, [pepper])).toBe(false);
    expect(verifyClientSecret('s3cret-value', 'hmac-sha256$', [pepper])).toBe(false);
    expect(verifyClientSecret('s3cret-value', '$2b$10$abcdefghijklmnopqrstuv', [pepper])).toBe(false);
  });
});
