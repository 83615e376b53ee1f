import { createHash } from 'node:crypto';
import { passwordPolicyViolation, tooSimilar } from './password-policy';

const settings = {
  min_password_length: 8,
  identifier_similarity_check_enabled: true,
  haveibeenpwned_enabled: false,
  haveibeenpwned_host: 'api.pwnedpasswords.com',
  max_breaches: 0,
  ignore_network_errors: true,
};

describe('passwordPolicyViolation', () => {
  it('accepts a long, unusual password', async () => {
    expect(await passwordPolicyViolation('vivid-otter-mango-42', 'alice@example.com', settings)).toBeUndefined();
  });

  it('counts characters, not bytes, for the minimum length', async () => {
    expect(await passwordPolicyViolation('ééééééé', 'a@b.co', settings)).toBe('password length must be at least 8 characters but only got 7');
    expect(await passwordPolicyViolation('short', 'a@b.co', { ...settings, min_password_length: 6 })).toBe('password length must be at least 6 characters but only got 5');
  });

  it('refuses passwords over 72 bytes', async () => {
    expect(await passwordPolicyViolation('é'.repeat(37), 'a@b.co', settings)).toBe('password length must be at most 72 bytes');
  });

  it('refuses passwords similar to the identifier unless the check is off', async () => {
    expect(await passwordPolicyViolation('alice@example.com!', 'alice@example.com', settings)).toBe('the password is too similar to the user identifier');
    expect(await passwordPolicyViolation('alice@example.com!', 'alice@example.com', { ...settings, identifier_similarity_check_enabled: false })).toBeUndefined();
  });

  it('refuses common passwords from the shipped list, case-insensitively', async () => {
    for (const pw of ['password123', 'iloveyou1', 'PASSWORD123']) {
      expect(await passwordPolicyViolation(pw, 'someone@example.com', settings)).toBe('the password has been found in data breaches and must no longer be used');
    }
  });

  it('asks the HIBP range API only when enabled, sending only a 5-character prefix', async () => {
    const prefixes: string[] = [];
    const breached = async (prefix: string): Promise<string> => {
      prefixes.push(prefix);
      // SHA-1 of "vivid-otter-mango-42" is looked up by suffix; answer with it as breached 3 times.
      const sha1 = createHash('sha1').update('vivid-otter-mango-42').digest('hex').toUpperCase();
      return `0000000000000000000000000000000000A:1\n${sha1.slice(5)}:3\n`;
    };
    expect(await passwordPolicyViolation('vivid-otter-mango-42', 'a@b.co', settings, breached)).toBeUndefined();
    expect(prefixes).toEqual([]);
    expect(await passwordPolicyViolation('vivid-otter-mango-42', 'a@b.co', { ...settings, haveibeenpwned_enabled: true }, breached)).toBe(
      'the password has been found in data breaches and must no longer be used',
    );
    expect(prefixes).toEqual([expect.stringMatching(/^[0-9A-F]{5}$/)]);
    expect(await passwordPolicyViolation('vivid-otter-mango-42', 'a@b.co', { ...settings, haveibeenpwned_enabled: true, max_breaches: 5 }, breached)).toBeUndefined();
  });

  it('treats HIBP network errors per ignore_network_errors', async () => {
    const down = async (): Promise<string> => {
      throw new Error('offline');
    };
    const on = { ...settings, haveibeenpwned_enabled: true };
    expect(await passwordPolicyViolation('vivid-otter-mango-42', 'a@b.co', on, down)).toBeUndefined();
    expect(await passwordPolicyViolation('vivid-otter-mango-42', 'a@b.co', { ...on, ignore_network_errors: false }, down)).toBe('the password could not be checked against data breaches');
  });
});

describe('tooSimilar', () => {
  it('compares by longest common substring', () => {
    expect(tooSimilar('bob12345', 'bob12345@x.io')).toBe(true);
    expect(tooSimilar('zebra-crossing-77', 'bob@example.com')).toBe(false);
  });
});
