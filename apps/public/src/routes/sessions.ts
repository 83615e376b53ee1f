import express, { type Request, type Router } from 'express';
import type { ConfigProvider, SecretsProvider } from '../../../../libs/config';
import { parseListRequest, setListLinks, ctxOf } from '../../../../libs/http';
import {
  type MySessionsManagerProvider,
  ROUTE_MY_SESSION,
  ROUTE_MY_SESSIONS,
  ROUTE_WHOAMI,
  SESSION_LIST_KEY,
  type SessionManagerProvider,
  type SessionTokenizerProvider,
  type WhoamiServiceProvider,
  toWire,
} from '../../../../libs/session';
import type { ClockProvider } from '../../../../libs/x';
import { refreshSessionCookie } from '../refresh-session-cookie';
import { extractSessionToken } from '../request-context';

export type SessionsRouterDeps = ConfigProvider &
  SecretsProvider &
  ClockProvider &
  SessionManagerProvider &
  MySessionsManagerProvider &
  SessionTokenizerProvider &
  WhoamiServiceProvider;

/**
 * Kratos session routes (§1b, §7): `/sessions/whoami` on every method (with `?tokenize_as=<template>`
 * adding a `tokenized` JWT), and the caller's other sessions at `GET/DELETE /sessions` and
 * `DELETE /sessions/{id}`. All need a valid session (401 `session_inactive`). The app serves whoami
 * before express (`whoamiEndpoint`, same contract); this route answers what that hands back (a cookie
 * to refresh) and routers mounted alone.
 */
export function createSessionsRouter(deps: SessionsRouterDeps): Router {
  const router = express.Router();
  const token = (req: Request): string | undefined => extractSessionToken(req, deps.config, deps.secrets);

  router.all(ROUTE_WHOAMI, async (req, res) => {
    const ctx = ctxOf(req);
    const sessionToken = token(req);
    // Kratos lets proxies cache the "no credentials at all" answer for a minute.
    if (sessionToken === undefined) res.setHeader('Ory-Session-Cache-For', '60');
    const { session, identity, cacheForSeconds } = await deps.whoamiService.whoami(ctx, sessionToken);
    const tokenizeAs = typeof req.query.tokenize_as === 'string' ? req.query.tokenize_as : undefined;
    const body = await deps.sessionTokenizer.withTokenized(ctx, toWire(session, identity, deps.config), session, tokenizeAs);
    refreshSessionCookie(req, res, session, deps);
    res.setHeader('X-Kratos-Authenticated-Identity-Id', identity.id);
    res.setHeader('Ory-Session-Cache-For', String(cacheForSeconds));
    res.json(body);
  });

  router.get(ROUTE_MY_SESSIONS, async (req, res) => {
    const ctx = ctxOf(req);
    const page = parseListRequest(req.query as Record<string, unknown>, SESSION_LIST_KEY);
    const result = await deps.mySessionsManager.list(ctx, token(req), page);
    // Kratos quirk (§1e): the links point at the admin URL even on this public list.
    setListLinks(res, req, `${deps.config.serve.admin.base_url}sessions`, page, result.next);
    res.json(result.items.map((i) => toWire(i.session, i.identity, deps.config)));
  });

  router.delete(ROUTE_MY_SESSIONS, async (req, res) => {
    const ctx = ctxOf(req);
    res.json({ count: await deps.mySessionsManager.revokeOthers(ctx, token(req)) });
  });

  router.delete(ROUTE_MY_SESSION, async (req, res) => {
    const ctx = ctxOf(req);
    await deps.mySessionsManager.revoke(ctx, token(req), req.params.id as string);
    res.status(204).end();
  });

  return router;
}
