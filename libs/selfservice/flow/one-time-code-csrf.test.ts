import { FixedClock } from '../../x';
import { maskCsrfToken, newCsrfToken } from './csrf';
import type { LoginFlow } from './flow';
import { assertCsrf, baseFlowFields, carriesOneTimeCode } from './flow-helpers';
import type { FlowRequester } from './requester';

const clock = new FixedClock();
const requester = (csrfCookie?: string): FlowRequester => ({
  url: 'https://auth.example.com/self-service/login/browser',
  query: {},
  csrfCookie,
  hasOrigin: false,
  hasBrowserCookies: csrfCookie !== undefined,
  device: { ipAddress: '203.0.113.1', userAgent: 'jest', location: '' },
});

function browserFlow(cookie: string): LoginFlow {
  const base = baseFlowFields('login', 'browser', requester(cookie), clock, 60_000, (id) => `https://auth.example.com/self-service/login?flow=${id}`, undefined);
  return { ...base, kind: 'login', refresh: false, requestedAal: 'aal1' };
}

describe('carriesOneTimeCode', () => {
  it('is true only for method=code with a non-empty code', () => {
    expect(carriesOneTimeCode({ method: 'code', code: '12345678' })).toBe(true);
    expect(carriesOneTimeCode({ method: 'code', code: '  ' })).toBe(false);
    expect(carriesOneTimeCode({ method: 'code', identifier: 'a@b.co' })).toBe(false);
    expect(carriesOneTimeCode({ method: 'password', code: '12345678' })).toBe(false);
    expect(carriesOneTimeCode({ method: 'code', code: ['1', '2'] })).toBe(false);
  });
});

describe('assertCsrf with a one-time secret', () => {
  const cookie = newCsrfToken();
  const flow = browserFlow(cookie);

  it('accepts a tokenless submission when the cookie is the flow’s (a magic link opened in the same browser)', () => {
    expect(() => assertCsrf(flow, requester(cookie), undefined, { oneTimeSecret: true })).not.toThrow();
  });

  it('refuses it without the cookie or with another browser’s cookie', () => {
    expect(() => assertCsrf(flow, requester(undefined), undefined, { oneTimeSecret: true })).toThrow(expect.objectContaining({ id: 'security_csrf_violation' }));
    expect(() => assertCsrf(flow, requester(newCsrfToken()), undefined, { oneTimeSecret: true })).toThrow(expect.objectContaining({ id: 'security_csrf_violation' }));
  });

  it('still checks a token that was sent, and still requires one without a secret', () => {
    expect(() => assertCsrf(flow, requester(cookie), maskCsrfToken(newCsrfToken()), { oneTimeSecret: true })).toThrow(expect.objectContaining({ id: 'security_csrf_violation' }));
    expect(() => assertCsrf(flow, requester(cookie), maskCsrfToken(cookie), { oneTimeSecret: true })).not.toThrow();
    expect(() => assertCsrf(flow, requester(cookie), undefined)).toThrow(expect.objectContaining({ id: 'security_csrf_violation' }));
  });
});
