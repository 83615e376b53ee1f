import { scopeRefusal } from './requested-scopes';

describe('scopeRefusal', () => {
  const known = new Set(['openid', 'offline', 'offline_access', 'photos.*', 'photos.read', 'videos.read']);

  it('allows what the client registered or (wildcard strategy) covers, once the engine knows it', () => {
    expect(scopeRefusal('videos.read', 'photos.* videos.read', 'exact', known)).toBeUndefined();
    expect(scopeRefusal('photos.read', 'photos.* videos.read', 'wildcard', known)).toBeUndefined();
    expect(scopeRefusal('photos.*', 'photos.* videos.read', 'exact', known)).toBeUndefined();
  });

  it("refuses, naming it, a scope the client's scope strategy does not allow (known to the engine or not)", () => {
    expect(scopeRefusal('photos', 'photos.* videos.read', 'wildcard', known)).toBe("The requested scope is invalid, unknown, or malformed. The OAuth 2.0 Client is not allowed to request scope 'photos'.");
    expect(scopeRefusal('photos.read', 'photos.* videos.read', 'exact', known)).toContain("scope 'photos.read'.");
    expect(scopeRefusal('videos.read', 'photos.*', 'wildcard', known)).toContain("scope 'videos.read'.");
    expect(scopeRefusal('videos.read', undefined, 'wildcard', known)).toContain("scope 'videos.read'.");
  });

  it('refuses an allowed scope the engine does not know (it would drop it silently)', () => {
    expect(scopeRefusal('photos.write', 'photos.*', 'wildcard', known)).toContain("The scope 'photos.write' cannot be granted");
  });

  it('leaves the OIDC scopes to the engine', () => {
    for (const scope of ['openid', 'offline', 'offline_access']) expect(scopeRefusal(scope, 'photos.*', 'wildcard', known)).toBeUndefined();
  });
});
