import type * as Otplib from 'otplib';
import type * as QrCode from 'qrcode';
import { lazy } from '../../../x';

// Loaded on first use (a TOTP enrolment or code check), not at boot.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const otplib = lazy(() => require('otplib') as typeof Otplib);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const qrcode = lazy(() => require('qrcode') as typeof QrCode);

/** RFC 6238 parameters every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;

/** How many steps either side of the current one a code may come from (clock drift, slow typing). */
export const TOTP_WINDOW_STEPS = 1;

/** A new shared secret: 160 random bits, Base32 (as Kratos and Google Authenticator use). */
export function newTotpSecret(): string {
  return otplib().generateSecret({ length: 20 });
}

/** The `otpauth://totp/<issuer>:<account>?secret=…&issuer=…` URL an authenticator app scans. */
export function totpUrl(issuer: string, accountName: string, secret: string): string {
  return otplib().generateURI({ issuer, label: accountName, secret, digits: DIGITS, period: TOTP_PERIOD_SECONDS });
}

/** The Base32 secret inside an `otpauth://` URL, or `undefined` when the URL carries none. */
export function secretOfTotpUrl(url: string): string | undefined {
  try {
    const secret = new URL(url).searchParams.get('secret');
    return secret || undefined;
  } catch {
    return undefined;
  }
}

/** The time step an instant falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for the step `at` falls in (tests and tooling; login never needs to generate one). */
export function totpCodeAt(secret: string, at: Date): string {
  return otplib().generateSync({ secret, epoch: Math.floor(at.getTime() / 1000), digits: DIGITS, period: TOTP_PERIOD_SECONDS });
}

/**
 * Checks `code` against the steps within `TOTP_WINDOW_STEPS` of `at`. With `afterStep` (the last step a
 * code was accepted for) every step up to and including it is refused, so a code cannot be replayed
 * inside its window, nor an older one used after a newer one. Returns the matched step to remember.
 */
export function verifyTotpCode(secret: string, code: string, at: Date, afterStep?: number): { valid: true; step: number } | { valid: false } {
  if (!/^\d{6}$/.test(code)) return { valid: false };
  const result = otplib().verifySync({
    secret,
    token: code,
    epoch: Math.floor(at.getTime() / 1000),
    epochTolerance: TOTP_WINDOW_STEPS * TOTP_PERIOD_SECONDS,
    digits: DIGITS,
    period: TOTP_PERIOD_SECONDS,
    ...(afterStep !== undefined ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid ? { valid: true, step: totpStep(at) + result.delta } : { valid: false };
}

/** The QR code of `url` as a 256×256 PNG `data:` URL (what Kratos puts in the `totp_qr` image node). */
export function qrCodeDataUrl(url: string): Promise<string> {
  return qrcode().toDataURL(url, { type: 'image/png', width: 256, margin: 1, errorCorrectionLevel: 'M' });
}
