import type { IncomingMessage, ServerResponse } from 'node:http';
import { oauth2Urls } from '../../config';
import type { ChallengeServiceProvider } from '../consent';
import { FRONTCHANNEL_LOGOUTS } from './logout-hooks';
import type { OAuth2ProviderProvider } from './oauth2-provider';
import { ctxOf } from '../../http';
import { requestRealmOf } from '../../x';

export type LogoutCompletionDeps = ChallengeServiceProvider & OAuth2ProviderProvider & { readonly config: Parameters<typeof oauth2Urls>[0] };

/**
 * Completes an accepted logout when the browser returns with `logout_verifier` (findings §5): the
 * verifier is redeemed once, then the browser's own request is replayed to the engine as its
 * confirmation POST (with the confirmation secret stored on the logout request). The engine revokes
 * nothing (tokens survive logout, as in Hydra), sends back-channel logout tokens, ends the session and
 * redirects to `post_logout_redirect_uri?state=`; with front-channel clients a page of iframes comes first.
 */
export class LogoutCompletion {
  constructor(private readonly deps: LogoutCompletionDeps) {}

  /** False when the request carries no verifier (it is a plain logout request for the engine). */
  async handle(req: IncomingMessage & { query?: Record<string, unknown>; originalUrl?: string }, res: ServerResponse): Promise<boolean> {
    const ctx = ctxOf(req);
    const verifier = new URL(req.originalUrl ?? req.url ?? '/', 'http://x').searchParams.get('logout_verifier');
    if (!verifier) return false;
    const request = await this.deps.challengeService.redeemLogoutVerifier(ctx, verifier);
    if (!request) {
      const target = new URL(oauth2Urls(this.deps.config).error);
      target.searchParams.set('error', 'invalid_request');
      target.searchParams.set('error_description', 'The logout verifier has already been used, has not been granted, or is invalid.');
      res.statusCode = 302;
      res.setHeader('Location', target.href);
      res.end();
      return true;
    }
    const body = new URLSearchParams({ xsrf: request.xsrf, logout: 'yes' }).toString();
    req.method = 'POST';
    req.url = '/oauth2/sessions/logout/confirm';
    // The realm's path prefix stays the engine's mount path (see OAuth2Provider.handle).
    if ('originalUrl' in req) req.originalUrl = `${requestRealmOf(req).prefix}${req.url}`;
    req.headers['content-type'] = 'application/x-www-form-urlencoded';
    req.headers['content-length'] = String(Buffer.byteLength(body));
    delete req.headers['transfer-encoding'];
    // The GET has no body; the engine reads one from the stream, so put the confirmation in front of its end.
    req.unshift(Buffer.from(body));
    if (request.frontchannelUrls.length) FRONTCHANNEL_LOGOUTS.set(req, request.frontchannelUrls);
    await this.deps.oauth2Provider.handle(req, res);
    return true;
  }
}

export interface LogoutCompletionProvider {
  readonly logoutCompletion: LogoutCompletion;
}
