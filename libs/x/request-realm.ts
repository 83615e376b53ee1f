import type { IncomingMessage } from 'node:http';
import { DEFAULT_REALM } from './ctx';

/** How a request addressed its realm: the realm's name and the path prefix stripped from its URL (`''` when none). */
export interface RequestRealm {
  readonly name: string;
  /** `/realms/{name}` when the realm was named by the path (never for the default realm), else `''`. */
  readonly prefix: string;
  /**
   * Whether the path named the realm (`/realms/{name}/…`, `/realms/default/…` included): only such
   * requests reach the Keycloak-style paths `/realms/{name}/protocol/openid-connect/…`.
   */
  readonly byPath?: boolean;
}

/** Where a request keeps its realm: a symbol-keyed property (a WeakMap entry per request costs the GC more). */
const REALM = Symbol('tessera.realm');
type WithRealm = IncomingMessage & { [REALM]?: RequestRealm };
const DEFAULT: RequestRealm = { name: DEFAULT_REALM, prefix: '' };

/** Records how `req` addressed its realm (the realm resolver at the edge does, once per request). */
export function setRequestRealm(req: IncomingMessage, realm: RequestRealm): void {
  (req as WithRealm)[REALM] = realm;
}

/** The realm `req` addressed; the default realm, without prefix, when no resolver ran (or it recorded nothing). */
export function requestRealmOf(req: IncomingMessage): RequestRealm {
  return (req as WithRealm)[REALM] ?? DEFAULT;
}
