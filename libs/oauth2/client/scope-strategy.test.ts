import { scopeAllowed, wildcardGrantedScopes, wildcardScopeMatches } from './scope-strategy';

describe("Hydra's wildcard scope strategy", () => {
  it.each([
    ['foo.*', 'foo.bar', true],
    ['foo.*', 'foo.bar.baz', true],
    ['foo.*', 'foo', false],
    ['foo.*', 'foo.', false],
    ['foo.*', 'bar.baz', false],
    ['foo.*.baz', 'foo.bar.baz', true],
    ['foo.*.baz', 'foo.bar.qux', false],
    ['foo.*.baz', 'foo.bar.baz.qux', false],
    ['*', 'anything', true],
    ['foo', 'foo', true],
    ['foo', 'foo.bar', false],
    ['foo.bar', 'foo.bar.baz', false],
  ])('%s allows %s: %s', (pattern, scope, expected) => {
    expect(wildcardScopeMatches(pattern, scope)).toBe(expected);
  });

  it('lists the requested scopes only a wildcard allows; none under the exact strategy', () => {
    expect(wildcardGrantedScopes('openid offline photos.*', ['openid', 'photos.read', 'photos.write', 'videos.read', 'photos.read'], 'wildcard')).toEqual(['photos.read', 'photos.write']);
    expect(wildcardGrantedScopes('openid photos.*', ['photos.read'], 'exact')).toEqual([]);
    expect(wildcardGrantedScopes('openid offline', ['photos.read'], 'wildcard')).toEqual([]);
  });

  it('allows a scope a registered one names or (wildcard strategy only) covers', () => {
    expect(scopeAllowed(['photos.*', 'videos.read'], 'videos.read', 'exact')).toBe(true);
    expect(scopeAllowed(['photos.*', 'videos.read'], 'photos.*', 'exact')).toBe(true);
    expect(scopeAllowed(['photos.*', 'videos.read'], 'photos.read', 'exact')).toBe(false);
    expect(scopeAllowed(['photos.*', 'videos.read'], 'photos.read', 'wildcard')).toBe(true);
    expect(scopeAllowed(['photos.*', 'videos.read'], 'photos', 'wildcard')).toBe(false);
    expect(scopeAllowed([], 'photos', 'wildcard')).toBe(false);
  });
});
