import { encodeSessionCookie } from './session-cookie';
import { cookieFromHeader, sessionTokenFromHeaders } from './session-credentials';

const SECRETS = ['a-cookie-secret-of-32-characters!!'];
const keys = { name: 'ory_kratos_session', secrets: SECRETS };
const cookie = (token: string): string => encodeSessionCookie(token, new Date(Date.now() + 60_000), SECRETS);
const headers = (values: Record<string, string>) => (name: string) => Object.entries(values).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('sessionTokenFromHeaders (Kratos order: X-Session-Token, cookie, X-Session-Cookie, Bearer)', () => {
  it('prefers X-Session-Token, then the cookie, then X-Session-Cookie, then the bearer', () => {
    const all = { 'X-Session-Token': 'header', Cookie: `other=1; ory_kratos_session=${cookie('cookie')}`, 'X-Session-Cookie': cookie('raw'), Authorization: 'Bearer bearer' };
    expect(sessionTokenFromHeaders(headers(all), keys)).toBe('header');
    const { 'X-Session-Token': _t, ...noHeader } = all;
    expect(sessionTokenFromHeaders(headers(noHeader), keys)).toBe('cookie');
    const { Cookie: _c, ...noCookie } = noHeader;
    expect(sessionTokenFromHeaders(headers(noCookie), keys)).toBe('raw');
    const { 'X-Session-Cookie': _r, ...bearerOnly } = noCookie;
    expect(sessionTokenFromHeaders(headers(bearerOnly), keys)).toBe('bearer');
    expect(sessionTokenFromHeaders(headers({}), keys)).toBeUndefined();
  });

  it('ignores a forged cookie (wrong secret) and falls through to the bearer', () => {
    const forged = encodeSessionCookie('forged', new Date(Date.now() + 60_000), ['another-secret-of-32-characters!!!']);
    expect(sessionTokenFromHeaders(headers({ Cookie: `ory_kratos_session=${forged}`, Authorization: 'bearer b' }), keys)).toBe('b');
  });

  it('reads one cookie by name, percent-decoded', () => {
    expect(cookieFromHeader('a=1; b=x%20y', 'b')).toBe('x y');
    expect(cookieFromHeader('a=1', 'b')).toBeUndefined();
    expect(cookieFromHeader('b=%E0%A4%A', 'b')).toBeUndefined();
    expect(cookieFromHeader(undefined, 'b')).toBeUndefined();
  });
});
