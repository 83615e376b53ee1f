import { coversScopes, isConsentRemembered } from './consent-session';
import type { ConsentSession } from './consent-session';
import { isRemembered } from './login-session';

describe('isRemembered', () => {
  const base = { id: 's', subject: 'a', remember: true, rememberFor: 60, authenticatedAt: new Date('2026-01-01T00:00:00Z') };
  it('needs remember and a remember_for not yet over (0 = for the browser session)', () => {
    expect(isRemembered(base, new Date('2026-01-01T00:00:59Z'))).toBe(true);
    expect(isRemembered(base, new Date('2026-01-01T00:01:00Z'))).toBe(false);
    expect(isRemembered({ ...base, rememberFor: 0 }, new Date('2030-01-01T00:00:00Z'))).toBe(true);
    expect(isRemembered({ ...base, remember: false }, new Date('2026-01-01T00:00:01Z'))).toBe(false);
    expect(isRemembered(undefined, new Date())).toBe(false);
  });
});

describe('remembered consent', () => {
  const c = { remember: true, rememberFor: 3600, skip: false, handledAt: new Date('2026-01-01T00:00:00Z') } as ConsentSession;
  it('applies until remember_for runs out (0 = forever), never for skipped consents', () => {
    expect(isConsentRemembered(c, new Date('2026-01-01T00:59:59Z'))).toBe(true);
    expect(isConsentRemembered(c, new Date('2026-01-01T01:00:00Z'))).toBe(false);
    expect(isConsentRemembered({ ...c, rememberFor: 0 }, new Date('2040-01-01T00:00:00Z'))).toBe(true);
    expect(isConsentRemembered({ ...c, skip: true }, new Date('2026-01-01T00:00:01Z'))).toBe(false);
  });

  it('covers a request only when every scope was granted', () => {
    expect(coversScopes(['openid', 'offline'], ['openid'])).toBe(true);
    expect(coversScopes(['openid'], ['openid', 'offline'])).toBe(false);
  });
});
