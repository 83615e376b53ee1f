import type { AfterConfig, RealmConfig } from '../../config';
import type { AnyFlow } from './flow';
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
  config: Pick<RealmConfig, 'selfservice' | 'serve'>,
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

/**
 * Where a browser goes once a flow completes (Kratos): the flow's validated `return_to`, else the
 * completing method's `after.<method>.default_browser_return_url`, else the flow's
 * `after.default_browser_return_url`, else `fallback` (the global default, or a flow's own UI).
 */
export function completedReturnUrl(after: AfterConfig, method: string | undefined, returnTo: string | undefined, fallback: string): string {
  // Per-method blocks (`after.password`, `after.code`, …) exist only for some flows and methods.
  const byMethod = method === undefined || method === 'hooks' ? undefined : (after as unknown as Readonly<Record<string, unknown>>)[method];
  const methodUrl =
    typeof byMethod === 'object' && byMethod !== null && !Array.isArray(byMethod) ? (byMethod as { default_browser_return_url?: unknown }).default_browser_return_url : undefined;
  return returnTo ?? (typeof methodUrl === 'string' ? methodUrl : undefined) ?? after.default_browser_return_url ?? fallback;
}

/** The configured UI URL of a flow with `?flow=<id>` (where browsers are sent to render it). */
export function flowUiUrl(config: Pick<RealmConfig, 'selfservice'>, flow: Pick<AnyFlow, 'kind' | 'id'>): string {
  const url = new URL(config.selfservice.flows[flow.kind].ui_url);
  url.searchParams.set('flow', flow.id);
  return url.toString();
}
