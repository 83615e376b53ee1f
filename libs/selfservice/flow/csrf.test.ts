import { csrfCookieName, maskCsrfToken, newCsrfToken, sameCsrfToken, verifyMaskedCsrfToken } from './csrf';

describe('CSRF tokens', () => {
  it('masks freshly each time and unmasks to the token', () => {
    const token = newCsrfToken();
    const a = maskCsrfToken(token);
    const b = maskCsrfToken(token);
    expect(a).not.toBe(b);
    expect(verifyMaskedCsrfToken(a, token)).toBe(true);
    expect(verifyMaskedCsrfToken(b, token)).toBe(true);
  });

  it('rejects another token, a tampered value and garbage', () => {
    const token = newCsrfToken();
    const masked = Buffer.from(maskCsrfToken(token), 'base64');
    masked[40] ^= 1;
    expect(verifyMaskedCsrfToken(masked.toString('base64'), token)).toBe(false);
    expect(verifyMaskedCsrfToken(maskCsrfToken(newCsrfToken()), token)).toBe(false);
    expect(verifyMaskedCsrfToken('short', token)).toBe(false);
    expect(verifyMaskedCsrfToken(token, token)).toBe(false);
  });

  it('compares raw tokens', () => {
    const token = newCsrfToken();
    expect(sameCsrfToken(token, token)).toBe(true);
    expect(sameCsrfToken(token, newCsrfToken())).toBe(false);
    expect(sameCsrfToken('', token)).toBe(false);
  });

  it('names the cookie after the SHA-256 of the public base URL, as Kratos does', () => {
    expect(csrfCookieName('http://127.0.0.1:4433/')).toMatch(/^csrf_token_[0-9a-f]{64}$/);
    expect(csrfCookieName('http://127.0.0.1:4433/')).not.toBe(csrfCookieName('http://127.0.0.1:4434/'));
  });
});
