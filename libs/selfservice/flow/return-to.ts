import { badRequest } from '../../http/errors';

/**
 * Checks a `return_to` URL against `selfservice.allowed_return_urls` (same scheme, host and port, and
 * path prefix) plus the default browser return URL. Relative URLs resolve against the default.
 * @returns the absolute URL, or `undefined` when none was given.
 * @throws OryError 400 `self_service_flow_return_to_forbidden`
 */
export function validateReturnTo(returnTo: string | undefined, allowed: readonly string[], defaultUrl: string): string | undefined {
  if (returnTo === undefined || returnTo === '') return undefined;
  const target = URL.parse(returnTo, defaultUrl);
  const ok =
    target !== null &&
    (target.protocol === 'http:' || target.protocol === 'https:') &&
    [defaultUrl, ...allowed].some((a) => {
      const base = URL.parse(a);
      return base !== null && base.origin === target.origin && target.pathname.startsWith(base.pathname);
    });
  if (!ok || target === null) {
    throw badRequest('Requested return_to URL is not allowed.')
      .withId('self_service_flow_return_to_forbidden')
      .withDebug(`Allowed domains are: ${[defaultUrl, ...allowed].join(', ')}`);
  }
  return target.toString();
}
