import { createHash } from 'node:crypto';
import type * as CommonPasswords from 'fxa-common-password-list';
import { lazy } from '../../../x';

/** Mozilla's common-password list, loaded on the first password check (not at boot). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const commonPasswordList = lazy(() => require('fxa-common-password-list') as typeof CommonPasswords);

/** Password policy settings (`selfservice.methods.password.config`). */
export interface PasswordPolicySettings {
  readonly min_password_length: number;
  readonly identifier_similarity_check_enabled: boolean;
  readonly haveibeenpwned_enabled: boolean;
  readonly haveibeenpwned_host: string;
  readonly max_breaches: number;
  readonly ignore_network_errors: boolean;
}

/**
 * Why a password is refused (the `%s` of Kratos message 4000005), or `undefined` when it is fine.
 * Checks, cheapest first: length, the 72-byte bcrypt limit, similarity to the identifier, Mozilla's
 * common-password list (shipped in `fxa-common-password-list`), then, only when enabled, the HIBP
 * k-anonymity range API (only the first five hex characters of the SHA-1 leave the server).
 */
export async function passwordPolicyViolation(
  password: string,
  identifier: string,
  settings: PasswordPolicySettings,
  fetchRange: (prefix: string) => Promise<string> = (prefix) => hibpRange(settings.haveibeenpwned_host, prefix),
): Promise<string | undefined> {
  const length = [...password].length;
  if (length < settings.min_password_length) {
    return `password length must be at least ${settings.min_password_length} characters but only got ${length}`;
  }
  if (Buffer.byteLength(password, 'utf8') > 72) return 'password length must be at most 72 bytes';
  if (settings.identifier_similarity_check_enabled && identifier && tooSimilar(password, identifier)) {
    return 'the password is too similar to the user identifier';
  }
  const commonPasswords = commonPasswordList();
  if (commonPasswords.test(password) || commonPasswords.test(password.toLowerCase())) {
    return 'the password has been found in data breaches and must no longer be used';
  }
  if (settings.haveibeenpwned_enabled) {
    try {
      const sha1 = createHash('sha1').update(password).digest('hex').toUpperCase();
      const body = await fetchRange(sha1.slice(0, 5));
      const line = body.split('\n').find((l) => l.startsWith(sha1.slice(5)));
      const count = line ? Number(line.split(':')[1]) : 0;
      if (count > settings.max_breaches) return 'the password has been found in data breaches and must no longer be used';
    } catch {
      if (!settings.ignore_network_errors) return 'the password could not be checked against data breaches';
    }
  }
  return undefined;
}

/**
 * Kratos's rule: the password is too similar when the longest common substring of the lower-cased
 * password and identifier covers half or more of either.
 */
export function tooSimilar(password: string, identifier: string): boolean {
  const a = password.toLowerCase();
  const b = identifier.toLowerCase();
  const lcs = longestCommonSubstring(a, b);
  return lcs >= 3 && (lcs / a.length >= 0.5 || lcs / b.length >= 0.5);
}

function longestCommonSubstring(a: string, b: string): number {
  let best = 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        cur[j] = prev[j - 1] + 1;
        if (cur[j] > best) best = cur[j];
      }
    }
    prev = cur;
  }
  return best;
}

async function hibpRange(host: string, prefix: string): Promise<string> {
  const res = await fetch(`https://${host}/range/${prefix}`, { headers: { 'Add-Padding': 'true' }, signal: AbortSignal.timeout(3000) });
  if (!res.ok) throw new Error(`HIBP answered ${res.status}`);
  return res.text();
}
