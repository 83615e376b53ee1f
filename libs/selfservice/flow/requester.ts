import type { DeviceInfo } from '../../session';

/**
 * What a flow service knows about the HTTP request, extracted by the router: no express types cross
 * into the domain.
 */
export interface FlowRequester {
  /** The full request URL as the client saw it (scheme and host honour X-Forwarded-*). */
  readonly url: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** From X-Session-Token, the session cookie, X-Session-Cookie or Authorization: Bearer. */
  readonly sessionToken?: string;
  /** The raw CSRF cookie value, if the browser sent one. */
  readonly csrfCookie?: string;
  /** The `X-CSRF-Token` header, if sent. */
  readonly csrfHeader?: string;
  /** True when the request carried an `Origin` header (browser artefact; refused on API flows). */
  readonly hasOrigin: boolean;
  /** True when the request carried cookies other than `__cf*` ones (refused on API flows). */
  readonly hasBrowserCookies: boolean;
  readonly device: DeviceInfo;
}
