/** Hydra's `strategies.scope`: how a client's registered scopes match a requested scope. */
export type ScopeStrategy = 'wildcard' | 'exact';

/**
 * Whether `pattern` (one registered scope) allows `scope` under fosite's wildcard strategy: dot-separated
 * parts compare one by one, `*` stands for any non-empty part, and a trailing `*` also covers deeper
 * parts (`foo.*` allows `foo.bar` and `foo.bar.baz`, never `foo`). Without `*` it is an exact match.
 */
export function wildcardScopeMatches(pattern: string, scope: string): boolean {
  if (pattern === scope) return true;
  if (!pattern.includes('*')) return false;
  const want = pattern.split('.');
  const have = scope.split('.');
  if (want.length > have.length) return false;
  for (let i = 0; i < want.length; i++) {
    const last = i === want.length - 1;
    if (want[i] === '*') {
      if (have[i] === '') return false;
      continue;
    }
    if (want[i] !== have[i]) return false;
    if (last && want.length !== have.length) return false;
  }
  return true;
}

/**
 * The requested scopes that only a wildcard of the client's `scope` allows (none under `exact`):
 * what has to be added to the client's allow-list for this request.
 */
export function wildcardGrantedScopes(clientScope: string, requested: readonly string[], strategy: ScopeStrategy): string[] {
  if (strategy !== 'wildcard') return [];
  const registered = clientScope.split(' ').filter(Boolean);
  const patterns = registered.filter((s) => s.includes('*'));
  if (patterns.length === 0) return [];
  return [...new Set(requested)].filter((s) => s && !registered.includes(s) && patterns.some((p) => wildcardScopeMatches(p, s)));
}

/**
 * Whether a client whose registered scopes are `clientScopes` may request `scope` (fosite's scope
 * strategy): a literal match, or under `wildcard` a registered pattern that covers it.
 */
export function scopeAllowed(clientScopes: readonly string[], scope: string, strategy: ScopeStrategy): boolean {
  if (clientScopes.includes(scope)) return true;
  return strategy === 'wildcard' && clientScopes.some((p) => wildcardScopeMatches(p, scope));
}
