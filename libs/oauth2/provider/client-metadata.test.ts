import type { ClientMetadata, OAuth2Client } from '../client';
import { audienceAllowed, toProviderMetadata } from './client-metadata';

const client = (m: Partial<ClientMetadata>): OAuth2Client => ({
  id: 'c1',
  secretHash: 'hmac-sha256$x',
  createdAt: new Date(),
  updatedAt: new Date(),
  metadata: {
    client_name: '',
    redirect_uris: [],
    grant_types: [],
    response_types: [],
    scope: 'openid',
    audience: [],
    owner: '',
    policy_uri: '',
    allowed_cors_origins: [],
    tos_uri: '',
    client_uri: '',
    logo_uri: '',
    contacts: [],
    subject_type: 'public',
    token_endpoint_auth_method: 'client_secret_basic',
    request_uris: [],
    userinfo_signed_response_alg: 'none',
    frontchannel_logout_session_required: false,
    backchannel_logout_session_required: false,
    post_logout_redirect_uris: [],
    metadata: {},
    skip_consent: false,
    lifespans: {},
    ...m,
  },
});

describe('audienceAllowed', () => {
  it('matches equal values and sub-paths of the same scheme and host only', () => {
    const allowed = ['https://api.example.com/v1', 'urn:thing'];
    expect(audienceAllowed(allowed, 'https://api.example.com/v1')).toBe(true);
    expect(audienceAllowed(allowed, 'https://api.example.com/v1/users')).toBe(true);
    expect(audienceAllowed(allowed, 'https://api.example.com/v10')).toBe(false);
    expect(audienceAllowed(allowed, 'http://api.example.com/v1')).toBe(false);
    expect(audienceAllowed(allowed, 'https://evil.example.com/v1')).toBe(false);
    expect(audienceAllowed(allowed, 'urn:thing')).toBe(true);
  });
});

describe('toProviderMetadata', () => {
  it("applies Hydra's use-time defaults and hands the engine the HMAC, never a plaintext", () => {
    const m = toProviderMetadata(client({ redirect_uris: ['https://a.example/cb'] }));
    expect(m).toMatchObject({ client_id: 'c1', client_secret: 'hmac-sha256$x', grant_types: ['authorization_code'], response_types: ['code'], application_type: 'web' });
  });

  it('drops browser grants without redirect URIs and unsupported types', () => {
    const m = toProviderMetadata(client({ grant_types: ['client_credentials', 'authorization_code', 'password'], response_types: ['token', 'code'] }));
    expect(m).toMatchObject({ grant_types: ['client_credentials'], response_types: [] });
    const web = toProviderMetadata(client({ redirect_uris: ['https://a.example/cb'], grant_types: ['implicit'], response_types: ['token', 'id_token token'] }));
    expect(web.response_types).toEqual(['id_token token']);
  });

  it('marks custom-scheme clients native, leaves public clients without a secret and converts lifespans to seconds', () => {
    const m = toProviderMetadata(client({ redirect_uris: ['com.example.app:/cb'], token_endpoint_auth_method: 'none', lifespans: { authorization_code_grant_access_token_lifespan: 90_000 } }));
    expect(m).toMatchObject({ application_type: 'native', tessera_lifespans: { authorization_code_grant_access_token_lifespan: 90 } });
    expect(m.client_secret).toBeUndefined();
  });
});
