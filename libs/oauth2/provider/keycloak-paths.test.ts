import { PROVIDER_ROUTES } from './create-provider';
import { KEYCLOAK_INTROSPECTION_ROUTE, isKeycloakView, keycloakEnginePath, rewriteDiscovery } from './keycloak-paths';

describe('keycloakEnginePath', () => {
  it("maps Keycloak's and FerrisKey's paths to the engine's routes", () => {
    expect(keycloakEnginePath('/protocol/openid-connect/auth', PROVIDER_ROUTES)).toBe('/oauth2/auth');
    expect(keycloakEnginePath('/protocol/openid-connect/token', PROVIDER_ROUTES)).toBe('/oauth2/token');
    expect(keycloakEnginePath('/protocol/openid-connect/certs', PROVIDER_ROUTES)).toBe('/.well-known/jwks.json');
    expect(keycloakEnginePath('/protocol/openid-connect/jwks.json', PROVIDER_ROUTES)).toBe('/.well-known/jwks.json');
    expect(keycloakEnginePath('/protocol/openid-connect/userinfo', PROVIDER_ROUTES)).toBe('/userinfo');
    expect(keycloakEnginePath('/protocol/openid-connect/logout', PROVIDER_ROUTES)).toBe('/oauth2/sessions/logout');
    expect(keycloakEnginePath('/protocol/openid-connect/revoke', PROVIDER_ROUTES)).toBe('/oauth2/revoke');
    expect(keycloakEnginePath('/protocol/openid-connect/token/introspect', PROVIDER_ROUTES)).toBe(KEYCLOAK_INTROSPECTION_ROUTE);
  });

  it('leaves every other path alone (exact matches only)', () => {
    for (const path of ['/oauth2/token', '/protocol/openid-connect/', '/protocol/openid-connect/token/', '/protocol/openid-connect/Token', '/protocol/openid-connect/auth/device', '/protocol/saml', '/protocol/openid-connect/constructor']) {
      expect(keycloakEnginePath(path, PROVIDER_ROUTES)).toBeUndefined();
    }
  });
});

describe('isKeycloakView', () => {
  it('holds when the request named the realm by path and the issuer is that URL', () => {
    expect(isKeycloakView('https://auth.test/realms/acme', '/realms/acme')).toBe(true);
    expect(isKeycloakView('https://auth.test/base/realms/acme/', '/realms/acme')).toBe(true);
  });

  it('does not for unprefixed requests, a host-addressed issuer or another realm', () => {
    expect(isKeycloakView('https://auth.test/', '')).toBe(false);
    expect(isKeycloakView('https://acme.auth.test', '/realms/acme')).toBe(false);
    expect(isKeycloakView('https://auth.test/realms/acme', '/realms/other')).toBe(false);
    expect(isKeycloakView('https://auth.test/realms/xacme', '/realms/acme')).toBe(false);
  });
});

describe('rewriteDiscovery', () => {
  const engine = () => ({ issuer: 'https://auth.test/realms/acme', token_endpoint: 'https://auth.test/realms/acme/oauth2/token', introspection_endpoint: 'https://auth.test/realms/acme/protocol/openid-connect/token/introspect', introspection_endpoint_auth_methods_supported: ['client_secret_basic'], registration_endpoint: 'https://auth.test/realms/acme/oauth2/register' });

  it("lists Keycloak's seven endpoints under the issuer in the Keycloak view", () => {
    const body: Record<string, unknown> = engine();
    rewriteDiscovery(body, 'https://auth.test/realms/acme', true);
    const kc = (name: string) => `https://auth.test/realms/acme/protocol/openid-connect/${name}`;
    expect(body).toMatchObject({
      authorization_endpoint: kc('auth'),
      token_endpoint: kc('token'),
      jwks_uri: kc('certs'),
      userinfo_endpoint: kc('userinfo'),
      end_session_endpoint: kc('logout'),
      revocation_endpoint: kc('revoke'),
      introspection_endpoint: kc('token/introspect'),
      registration_endpoint: 'https://auth.test/realms/acme/oauth2/register',
    });
  });

  it("keeps Hydra's document otherwise: no introspection endpoint", () => {
    const body: Record<string, unknown> = engine();
    rewriteDiscovery(body, 'https://auth.test/', false);
    expect(Object.keys(body).sort()).toEqual(['issuer', 'registration_endpoint', 'token_endpoint']);
    expect(body.token_endpoint).toBe('https://auth.test/realms/acme/oauth2/token');
  });
});
