import type { Config } from '../../config';
import { badRequest } from '../../http/errors';

/**
 * Checks a `return_to` URL (Kratos §11): allowed are URLs under `selfservice.allowed_return_urls`
 * (same origin, path prefix), under the default browser return URL, and under
 * `{public}/self-service`. Relative URLs resolve against the default.
 * @returns the absolute URL, or `undefined` when none was given.
 * @throws OryError 400 `self_service_flow_return_to_forbidden`
 */
export function validateReturnTo(
  returnTo: string | undefined,
  config: Pick<Config, 'selfservice' | 'serve'>,
  defaultUrl: string = config.selfservice.default_browser_return_url,
): string | undefined {
  if (returnTo === undefined || returnTo === '') return undefined;
  const allowed = [defaultUrl, ...config.selfservice.allowed_return_urls, `${config.serve.public.base_url}self-service`];
  const target = URL.parse(returnTo, defaultUrl);
  const ok =
    target !== null &&
    (target.protocol === 'http:' || target.protocol === 'https:') &&
    allowed.some((a) => {
      const base = URL.parse(a);
      return base !== null && base.origin === target.origin && target.pathname.startsWith(base.pathname);
    });
  if (!ok || target === null) {
    throw badRequest('Requested return_to URL is not allowed.')
      .withId('self_service_flow_return_to_forbidden')
      .withDebug(`Allowed domains are: ${allowed.join(', ')}`);
  }
  return target.toString();
}
