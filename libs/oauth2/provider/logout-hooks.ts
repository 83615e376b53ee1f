import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { RealmConfigProvider, ResolvedOAuth2Urls } from '../../config';
import { type ClockProvider, newId } from '../../x';
import type { ClientStoreProvider } from '../client';
import type { LogoutRequestStoreProvider } from '../consent';
import { engineCtx } from './engine-ctx';
import { frontchannelLogoutCsp, frontchannelLogoutPage } from './html-pages';

export type LogoutHooksDeps = RealmConfigProvider & ClockProvider & ClientStoreProvider & LogoutRequestStoreProvider;

/** Requests replayed by the logout completion that must render front-channel iframes (set by the replay). */
export const FRONTCHANNEL_LOGOUTS = new WeakMap<IncomingMessage, readonly string[]>();

/**
 * The engine's `logoutSource`: instead of its own confirmation page, record a Hydra logout request
 * (the engine's confirmation secret included, to replay later) and send the browser to the logout
 * app with `logout_challenge`. It runs only when the engine session has a logged-in account.
 */
export function createLogoutSource(deps: LogoutHooksDeps, urls: ResolvedOAuth2Urls) {
  return async (ctx: KoaContextWithOIDC): Promise<void> => {
    const session = ctx.oidc.session!;
    const state = session.state ?? {};
    const now = deps.clock.now();
    const frontchannelUrls: string[] = [];
    for (const clientId of Object.keys(session.authorizations ?? {})) {
      const uri = (await deps.clientStore.get(engineCtx(ctx), clientId))?.metadata.frontchannel_logout_uri;
      if (!uri) continue;
      const url = new URL(uri);
      url.searchParams.set('iss', urls.issuer);
      url.searchParams.set('sid', session.uid);
      frontchannelUrls.push(url.href);
    }
    const challenge = newId();
    await deps.logoutRequestStore.create(engineCtx(ctx), {
      challenge,
      state: 'pending',
      subject: session.accountId ?? '',
      sid: session.uid,
      ...(state.clientId ? { clientId: String(state.clientId) } : {}),
      rpInitiated: typeof ctx.oidc.params?.id_token_hint === 'string',
      requestUrl: ctx.req.url ?? '/oauth2/sessions/logout',
      xsrf: String(state.secret ?? ''),
      frontchannelUrls,
      expiresAt: new Date(now.getTime() + deps.config.ttl.login_consent_request),
      createdAt: now,
    });
    const target = new URL(urls.logout);
    target.searchParams.set('logout_challenge', challenge);
    ctx.status = 303;
    ctx.redirect(target.href);
  };
}

/** After the replayed confirmation: render the front-channel iframes instead of the plain redirect. */
export function frontchannelMiddleware() {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    const iframes = FRONTCHANNEL_LOGOUTS.get(ctx.req);
    if (!iframes?.length || ctx.oidc?.route !== 'end_session_confirm' || ctx.status < 300 || ctx.status >= 400) return;
    const next_ = ctx.response.get('Location');
    const nonce = randomBytes(16).toString('base64');
    ctx.status = 200;
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', frontchannelLogoutCsp(iframes, nonce));
    ctx.body = frontchannelLogoutPage(iframes, next_, nonce);
  };
}

/**
 * Hydra sends a browser without a logged-in session straight on (oidc-provider would render an
 * auto-submitting form): to the validated `post_logout_redirect_uri` with `state`, else to
 * `urls.post_logout_redirect`.
 */
export function noSessionLogoutMiddleware(urls: ResolvedOAuth2Urls) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    if (ctx.oidc?.route !== 'end_session' || ctx.status !== 200 || ctx.oidc.session?.accountId) return;
    const params = ctx.oidc.params ?? {};
    let target = urls.postLogoutRedirect;
    if (typeof params.post_logout_redirect_uri === 'string') {
      const url = new URL(params.post_logout_redirect_uri);
      if (typeof params.state === 'string') url.searchParams.set('state', params.state);
      target = url.href;
    }
    ctx.status = 302;
    ctx.redirect(target);
  };
}
