import type { IncomingMessage } from 'node:http';
import { DEFAULT_REALM, type RequestRealm, setRequestRealm } from '../x';
import type { NodeMiddleware } from './node-middleware';

/** `/realms/{realm}` followed by the end of the path, a slash or the query. */
const PREFIX = /^\/realms\/([^/?#]*)(?=[/?#]|$)/;

/**
 * Which realm a request addresses, and how (issue 14 item 5):
 * 1. the path prefix `/realms/{realm}` (both ports; wins over the host);
 * 2. else, when `hostSuffix` is set (e.g. `.auth.example.com`), a `Host` of `{realm}{hostSuffix}` (one label);
 * 3. else the default realm. `/realms/default/…` is the default realm, reported without prefix so that it
 *    answers as the unprefixed URL does; `byPath` tells it was named by the path: the Keycloak-style paths
 *    `/realms/{realm}/protocol/openid-connect/…` are served under a prefix only, and the OAuth2 engine of
 *    `/realms/default` is the default realm's second view, with issuer `<issuer>/realms/default`.
 * The name is not checked here: the app asks the registry, and an unknown name is a 404.
 */
export function resolveRealm(req: IncomingMessage, hostSuffix?: string): RequestRealm {
  const match = PREFIX.exec(req.url ?? '/');
  if (match) {
    let name: string;
    try {
      name = decodeURIComponent(match[1]);
    } catch {
      name = match[1];
    }
    return { name, prefix: name === DEFAULT_REALM ? '' : match[0], byPath: true };
  }
  if (hostSuffix) {
    const name = realmOfHost(req.headers.host, hostSuffix);
    if (name) return { name, prefix: '' };
  }
  return { name: DEFAULT_REALM, prefix: '' };
}

/** The realm label of `host` (port ignored) under `suffix`, or `undefined` when the host is not `{label}{suffix}`. */
export function realmOfHost(host: string | undefined, suffix: string): string | undefined {
  if (!host) return undefined;
  const hostname = host.toLowerCase().replace(/:\d+$/, '');
  const tail = (suffix.startsWith('.') ? suffix : `.${suffix}`).toLowerCase();
  if (!hostname.endsWith(tail)) return undefined;
  const label = hostname.slice(0, -tail.length);
  return label !== '' && !label.includes('.') ? label : undefined;
}

/**
 * The realm resolver at the edge, before the request's ctx is built: records the request's realm
 * (`requestRealmOf`) and strips a `/realms/{realm}` prefix from `req.url`, so routers and the engine
 * route as for the default realm. `req.originalUrl` keeps the full URL (express keeps a value already
 * set), so request URLs and the engine's endpoint URLs carry the prefix.
 */
export function realmResolver(hostSuffix?: string): NodeMiddleware {
  return (req, _res, next) => {
    const url = req.url ?? '/';
    // The default realm's requests (no prefix, no host suffix configured) record nothing: requestRealmOf answers default.
    if (!hostSuffix && !url.startsWith('/realms/')) return next();
    const match = PREFIX.exec(url);
    const realm = resolveRealm(req, hostSuffix);
    if (match) {
      const rest = url.slice(match[0].length);
      if (realm.prefix) (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
    }
    setRequestRealm(req, realm);
    next();
  };
}
