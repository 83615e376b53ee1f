import type * as Engine from 'oidc-provider';

type WeakCache = typeof import('oidc-provider/lib/helpers/weak_cache.js');

let loaded: typeof Engine | undefined;
let cache: WeakCache | undefined;

/**
 * oidc-provider, loaded on first use. It is ESM-only and reaches CommonJS through Node's require(esm),
 * so processes and test suites that never serve OAuth2 never load (or transpile) it.
 */
export function engine(): typeof Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('oidc-provider') as typeof Engine);
}

/** oidc-provider's per-instance internals (pinned to 9.13; see `allowScopes`). */
export function engineInternals(provider: object): ReturnType<WeakCache['default']> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cache ??= require('oidc-provider/lib/helpers/weak_cache.js') as WeakCache;
  return cache.default(provider);
}
