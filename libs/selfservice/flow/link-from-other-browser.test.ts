import { FixedClock } from '../../x';
import { maskCsrfToken, newCsrfToken } from './csrf';
import type { LoginFlow } from './flow';
import { baseFlowFields, canFetchFlow, isLinkFromOtherBrowser } from './flow-helpers';
import type { FlowRequester } from './requester';

const clock = new FixedClock();
const requester = (csrfCookie?: string, csrfHeader?: string): FlowRequester => ({
  url: 'https://auth.example.com/self-service/login/browser',
  query: {},
  csrfCookie,
  csrfHeader,
  hasOrigin: false,
  hasBrowserCookies: csrfCookie !== undefined,
  device: { ipAddress: '203.0.113.1', userAgent: 'jest', location: '' },
});

function flowOf(type: 'browser' | 'api', cookie: string): LoginFlow {
  const base = baseFlowFields('login', type, requester(cookie), clock, 60_000, (id) => `https://auth.example.com/self-service/login?flow=${id}`, undefined);
  return { ...base, kind: 'login', refresh: false, requestedAal: 'aal1' };
}

const link = { method: 'code', code: '12345678' };

describe('canFetchFlow', () => {
  const cookie = newCsrfToken();
  const flow = flowOf('browser', cookie);

  it('is true for the browser holding the flow’s cookie, for API flows and for exempt flows', () => {
    expect(canFetchFlow(flow, requester(cookie))).toBe(true);
    expect(canFetchFlow(flowOf('api', cookie), requester())).toBe(true);
    expect(canFetchFlow(flow, requester(), true)).toBe(true);
  });

  it('is false without a cookie, with an empty one, or with another browser’s', () => {
    expect(canFetchFlow(flow, requester())).toBe(false);
    expect(canFetchFlow(flow, requester(''))).toBe(false);
    expect(canFetchFlow(flow, requester(newCsrfToken()))).toBe(false);
  });
});

describe('isLinkFromOtherBrowser', () => {
  const cookie = newCsrfToken();
  const flow = flowOf('browser', cookie);

  it('is true for a tokenless code link from a browser without the flow’s cookie', () => {
    expect(isLinkFromOtherBrowser(flow, requester(), link)).toBe(true);
    expect(isLinkFromOtherBrowser(flow, requester(newCsrfToken()), link)).toBe(true);
  });

  it('is false in the flow’s browser, for API flows, without a code, or when a CSRF token is sent (a real CSRF check follows)', () => {
    expect(isLinkFromOtherBrowser(flow, requester(cookie), link)).toBe(false);
    expect(isLinkFromOtherBrowser(flowOf('api', cookie), requester(), link)).toBe(false);
    expect(isLinkFromOtherBrowser(flow, requester(), { method: 'code', identifier: 'a@b.co' })).toBe(false);
    expect(isLinkFromOtherBrowser(flow, requester(), { ...link, csrf_token: maskCsrfToken(cookie) })).toBe(false);
    expect(isLinkFromOtherBrowser(flow, requester(undefined, maskCsrfToken(cookie)), link)).toBe(false);
  });
});
