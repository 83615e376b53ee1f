import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { Config, Secrets } from '../../../libs/config';
import { csrfCookieName, type FlowRequester } from '../../../libs/selfservice/flow';
import { type DeviceInfo, type SessionCredential, cookieFromHeader, encodeSessionCookie, sessionCredentialFromHeaders } from '../../../libs/session';

/** Reads one cookie from the Cookie header (no cookie-parser dependency). */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  return cookieFromHeader(req.headers.cookie, name);
}

/**
 * The session token of a request, in Kratos's order (§7b): `X-Session-Token`, the session cookie, the
 * raw cookie value in `X-Session-Cookie`, then `Authorization: Bearer`.
 */
export function extractSessionToken(req: IncomingMessage, config: Pick<Config, 'session'>, secrets: Secrets): string | undefined {
  return sessionCredentialOf(req, config, secrets).token;
}

/** {@link extractSessionToken}, with the session cookie decoded when the token came from it (see `sessionCredentialFromHeaders`). */
export function sessionCredentialOf(req: IncomingMessage, config: Pick<Config, 'session'>, secrets: Secrets): SessionCredential {
  return sessionCredentialFromHeaders((name) => headerOf(req, name.toLowerCase()), { name: config.session.cookie.name, secrets: secrets.cookie });
}

/** A request header as express's `req.get` reads it (`name` in lower case), for plain Node requests too. */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The client device: IP from True-Client-IP → X-Real-IP → first X-Forwarded-For → socket; user agent; location. */
export function clientDevice(req: Request): DeviceInfo {
  const forwarded = req.get('X-Forwarded-For')?.split(',')[0]?.trim();
  const ip = req.get('True-Client-IP') ?? req.get('X-Real-IP') ?? forwarded ?? req.socket.remoteAddress ?? '';
  const city = req.get('Cf-Ipcity');
  const country = req.get('Cf-Ipcountry');
  return { ipAddress: ip.slice(0, 64), userAgent: (req.get('User-Agent') ?? '').slice(0, 512), location: city || country ? `${city ?? ''}, ${country ?? ''}` : '' };
}

/** The full URL the client requested, honouring X-Forwarded-Proto/Host. */
export function requestUrl(req: Request): string {
  const proto = req.get('X-Forwarded-Proto')?.split(',')[0]?.trim() || req.protocol;
  const host = req.get('X-Forwarded-Host')?.split(',')[0]?.trim() || req.get('Host') || 'localhost';
  return `${proto}://${host}${req.originalUrl}`;
}

/**
 * Kratos `x.IsJSONRequest`: JSON when the Content-Type is application/json or content negotiation over
 * text/html, text/*, *\/*, application/json picks application/json (no Accept → HTML).
 */
export function isJsonRequest(req: Request): boolean {
  if ((req.get('Content-Type') ?? '').split(';')[0].trim().toLowerCase() === 'application/json') return true;
  return prefersJson(req);
}

/** Content negotiation between HTML and JSON only (Kratos init endpoints). */
export function prefersJson(req: Request): boolean {
  const accept = req.get('Accept');
  if (!accept) return false;
  return req.accepts(['text/html', 'application/json']) === 'application/json';
}

/** Everything a flow service needs from the request. */
export function toRequester(req: Request, config: Config, secrets: Secrets): FlowRequester {
  const cookieHeader = req.headers.cookie ?? '';
  const browserCookies = cookieHeader
    .split(';')
    .map((c) => c.trim().split('=')[0])
    .filter((name) => name !== '' && !name.startsWith('__cf'));
  const query: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.query)) query[k] = typeof v === 'string' ? v : undefined;
  return {
    url: requestUrl(req),
    query,
    sessionToken: extractSessionToken(req, config, secrets),
    csrfCookie: readCookie(req, csrfCookieName(config.serve.public.base_url)),
    csrfHeader: req.get('X-CSRF-Token'),
    hasOrigin: req.get('Origin') !== undefined,
    hasBrowserCookies: browserCookies.length > 0,
    device: clientDevice(req),
  };
}

/** Whether cookies get `Secure`: always, except in dev mode or for a plain-http loopback base URL. */
export function secureCookies(config: Config): boolean {
  if (config.dev) return false;
  const base = new URL(config.serve.public.base_url);
  return !(base.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname));
}

/** Sets the session cookie (HttpOnly, SameSite, Secure per `secureCookies`, Max-Age when persistent). */
export function setSessionCookie(res: Response, token: string, expiresAt: Date, config: Config, secrets: Secrets, now: Date = new Date()): void {
  const c = config.session.cookie;
  res.cookie(c.name, encodeSessionCookie(token, expiresAt, secrets.cookie), {
    httpOnly: true,
    secure: secureCookies(config),
    sameSite: c.same_site.toLowerCase() as 'lax' | 'strict' | 'none',
    path: c.path,
    ...(c.domain ?? config.cookies.domain ? { domain: c.domain ?? config.cookies.domain } : {}),
    ...(c.persistent ? { maxAge: Math.max(0, expiresAt.getTime() - now.getTime()) } : {}),
    encode: (v: string) => v,
  });
}

/** Deletes the session cookie. */
export function clearSessionCookie(res: Response, config: Config): void {
  const c = config.session.cookie;
  res.clearCookie(c.name, { path: c.path, ...(c.domain ?? config.cookies.domain ? { domain: c.domain ?? config.cookies.domain } : {}) });
}

/** Sets the CSRF cookie (Kratos: 365 days, HttpOnly, SameSite from `cookies.same_site`). */
export function setCsrfCookie(res: Response, token: string, config: Config): void {
  res.cookie(csrfCookieName(config.serve.public.base_url), token, {
    httpOnly: true,
    secure: secureCookies(config),
    sameSite: (config.dev ? 'lax' : config.cookies.same_site.toLowerCase()) as 'lax' | 'strict' | 'none',
    path: config.cookies.path,
    ...(config.cookies.domain ? { domain: config.cookies.domain } : {}),
    maxAge: 365 * 24 * 3600 * 1000,
    encode: (v: string) => v,
  });
}
