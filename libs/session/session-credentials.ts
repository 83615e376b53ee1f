import { decodeSessionCookie } from './session-cookie';

/** One cookie's value from a `Cookie` header (percent-decoded), or `undefined`. */
export function cookieFromHeader(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Where the session cookie is read from: its name and the cookie secrets that decrypt it. */
export interface SessionCookieKeys {
  readonly name: string;
  readonly secrets: readonly string[];
}

/**
 * The session token a request presents, in Kratos's order (§7b): `X-Session-Token`, the session cookie,
 * the raw cookie value in `X-Session-Cookie`, then `Authorization: Bearer`. `header` reads one request
 * header by name (case-insensitive, as express's `req.get`). Used by the public app and by the admin
 * plane (an operator's session of the default realm).
 */
export function sessionTokenFromHeaders(header: (name: string) => string | undefined, cookie: SessionCookieKeys): string | undefined {
  const token = header('X-Session-Token');
  if (token) return token;
  const value = cookieFromHeader(header('Cookie'), cookie.name) ?? header('X-Session-Cookie');
  if (value) {
    const decoded = decodeSessionCookie(value, cookie.secrets);
    if (decoded) return decoded.token;
  }
  const auth = header('Authorization');
  const match = auth ? /^bearer\s+(.+)$/i.exec(auth) : null;
  return match ? match[1].trim() : undefined;
}
