import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import type { ConfigProvider, SecretsProvider } from '../../../libs/config';
import { type Session, decodeSessionCookie, hashToken } from '../../../libs/session';
import type { ClockProvider } from '../../../libs/x';
import { headerOf, readCookie, setSessionCookie } from './request-context';

/**
 * Kratos `RefreshCookie`: when the request was authenticated by the session cookie and that cookie
 * remembers an earlier expiry than the session now has (an admin extended it), the cookie is issued
 * again so the browser keeps it as long as the session lives.
 */
export function refreshSessionCookie(req: Request, res: Response, session: Session, deps: ConfigProvider & SecretsProvider & ClockProvider): void {
  const token = cookieToRefresh(req, session, deps);
  if (token !== undefined) setSessionCookie(res, token, session.expiresAt, deps.config, deps.secrets, deps.clock.now());
}

/** The session token whose cookie {@link refreshSessionCookie} issues again, or `undefined` when the cookie is current (or none was used). */
export function cookieToRefresh(req: IncomingMessage, session: Session, deps: ConfigProvider & SecretsProvider): string | undefined {
  if (headerOf(req, 'x-session-token')) return undefined;
  const raw = readCookie(req, deps.config.session.cookie.name);
  const decoded = raw ? decodeSessionCookie(raw, deps.secrets.cookie) : undefined;
  if (!decoded || hashToken(decoded.token) !== session.tokenHash) return undefined;
  if (decoded.expiresAt.getTime() >= session.expiresAt.getTime()) return undefined;
  return decoded.token;
}
