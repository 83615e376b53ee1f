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

/** A request's session credential: the token, and — when it came from the session cookie itself — that cookie decoded (with the expiry it remembers). */
export interface SessionCredential {
  readonly token: string | undefined;
  readonly cookie?: { readonly token: string; readonly expiresAt: Date };
}

/**
 * The session credential a request presents, in Kratos's order (§7b): `X-Session-Token`, the session
 * cookie, the raw cookie value in `X-Session-Cookie`, then `Authorization: Bearer`. `header` reads one
 * request header by name (case-insensitive, as express's `req.get`). `cookie` is set only for the session
 * cookie itself (what `RefreshCookie` compares), so a hot path decrypts it once.
 */
export function sessionCredentialFromHeaders(header: (name: string) => string | undefined, cookie: SessionCookieKeys): SessionCredential {
  const token = header('X-Session-Token');
  if (token) return { token };
  const named = cookieFromHeader(header('Cookie'), cookie.name);
  const value = named ?? header('X-Session-Cookie');
  if (value) {
    const decoded = decodeSessionCookie(value, cookie.secrets);
    if (decoded) return named === undefined ? { token: decoded.token } : { token: decoded.token, cookie: decoded };
  }
  const auth = header('Authorization');
  const match = auth ? /^bearer\s+(.+)$/i.exec(auth) : null;
  return { token: match ? match[1].trim() : undefined };
}

/**
 * The session token of {@link sessionCredentialFromHeaders}. Used by the public app and by the admin plane
 * (an operator's session of the default realm).
 */
export function sessionTokenFromHeaders(header: (name: string) => string | undefined, cookie: SessionCookieKeys): string | undefined {
  return sessionCredentialFromHeaders(header, cookie).token;
}
