import { generateSync } from 'otplib';
import { TOTP_PERIOD_SECONDS, newTotpSecret, qrCodeDataUrl, secretOfTotpUrl, totpCodeAt, totpStep, totpUrl, verifyTotpCode } from './totp-codes';

const T0 = new Date('2026-01-01T00:00:15.000Z');
const at = (steps: number): Date => new Date(T0.getTime() + steps * TOTP_PERIOD_SECONDS * 1000);

describe('totp codes', () => {
  const secret = newTotpSecret();

  it('generates 160-bit Base32 secrets, different each time', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('computes the same codes as an independent otplib call (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
    expect(totpCodeAt(secret, T0)).toBe(generateSync({ secret, epoch: Math.floor(T0.getTime() / 1000) }));
    expect(totpCodeAt(secret, T0)).toMatch(/^\d{6}$/);
  });

  it('accepts the current step and one step either side, and returns the matched step', () => {
    const now = totpStep(T0);
    expect(verifyTotpCode(secret, totpCodeAt(secret, T0), T0)).toEqual({ valid: true, step: now });
    expect(verifyTotpCode(secret, totpCodeAt(secret, at(-1)), T0)).toEqual({ valid: true, step: now - 1 });
    expect(verifyTotpCode(secret, totpCodeAt(secret, at(1)), T0)).toEqual({ valid: true, step: now + 1 });
  });

  it('refuses codes two steps away, codes of another secret, and malformed codes', () => {
    expect(verifyTotpCode(secret, totpCodeAt(secret, at(-2)), T0).valid).toBe(false);
    expect(verifyTotpCode(secret, totpCodeAt(secret, at(2)), T0).valid).toBe(false);
    const window = [at(-1), T0, at(1)].map((t) => totpCodeAt(secret, t));
    let other = newTotpSecret();
    while (window.includes(totpCodeAt(other, T0))) other = newTotpSecret(); // 6 digits: another secret's code may coincide
    expect(verifyTotpCode(secret, totpCodeAt(other, T0), T0).valid).toBe(false);
    for (const bad of ['', '12345', '1234567', 'abcdef', ' 123456']) expect(verifyTotpCode(secret, bad, T0).valid).toBe(false);
  });

  it('refuses a replayed code and older codes once a step was used', () => {
    const first = verifyTotpCode(secret, totpCodeAt(secret, T0), T0);
    expect(first.valid).toBe(true);
    const used = (first as { step: number }).step;
    expect(verifyTotpCode(secret, totpCodeAt(secret, T0), T0, used).valid).toBe(false);
    expect(verifyTotpCode(secret, totpCodeAt(secret, at(-1)), T0, used).valid).toBe(false);
    // Still refused later in the same window (the clock moved on by one step).
    expect(verifyTotpCode(secret, totpCodeAt(secret, T0), at(1), used).valid).toBe(false);
    expect(verifyTotpCode(secret, totpCodeAt(secret, at(1)), at(1), used)).toEqual({ valid: true, step: used + 1 });
  });

  it('builds an otpauth:// URL with issuer and account, and reads the secret back', () => {
    const url = totpUrl('Tessera Inc', 'ada@example.com', secret);
    expect(url.startsWith('otpauth://totp/Tessera%20Inc:ada%40example.com?')).toBe(true);
    expect(new URL(url).searchParams.get('issuer')).toBe('Tessera Inc');
    expect(secretOfTotpUrl(url)).toBe(secret);
    expect(secretOfTotpUrl('otpauth://totp/x')).toBeUndefined();
    expect(secretOfTotpUrl('not a url')).toBeUndefined();
  });

  it('renders the URL as a PNG data URL', async () => {
    const png = await qrCodeDataUrl(totpUrl('Tessera', 'ada@example.com', secret));
    expect(png.startsWith('data:image/png;base64,')).toBe(true);
    const bytes = Buffer.from(png.slice('data:image/png;base64,'.length), 'base64');
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBe(256);
  });
});
