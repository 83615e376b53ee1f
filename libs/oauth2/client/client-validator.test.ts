import { OryError } from '../../http';
import type { OAuth2ClientBody } from './client-body';
import { validateClientMetadata } from './client-validator';

const ctx = { defaultScope: ['offline_access', 'offline', 'openid'], subjectTypes: ['public'], dcr: false };
const validate = (body: OAuth2ClientBody, dcr = false) => validateClientMetadata(body, { ...ctx, dcr });

function rejection(body: OAuth2ClientBody, dcr = false): { error?: string; description?: string } {
  try {
    validate(body, dcr);
  } catch (e) {
    expect(e).toBeInstanceOf(OryError);
    return { error: (e as OryError).oauth2Error, description: (e as OryError).reason };
  }
  throw new Error('expected a rejection');
}

describe('validateClientMetadata', () => {
  it('applies Hydra defaults to an empty body', () => {
    const m = validate({});
    expect(m).toMatchObject({
      client_name: '',
      scope: 'offline_access offline openid',
      token_endpoint_auth_method: 'client_secret_basic',
      subject_type: 'public',
      userinfo_signed_response_alg: 'none',
      grant_types: [],
      response_types: [],
      audience: [],
      allowed_cors_origins: [],
      metadata: {},
      lifespans: {},
    });
  });

  it('rejects a fragment or a relative redirect URI with invalid_redirect_uri', () => {
    expect(rejection({ redirect_uris: ['https://a.example/cb#frag'] }).error).toBe('invalid_redirect_uri');
    expect(rejection({ redirect_uris: ['/relative'] }).error).toBe('invalid_redirect_uri');
  });

  it.each<[string, OAuth2ClientBody, RegExp]>([
    ['an unsupported auth method', { token_endpoint_auth_method: 'client_secret_jwt' }, /token_endpoint_auth_method/],
    ['jwks together with jwks_uri', { jwks: { keys: [] }, jwks_uri: 'https://a.example/jwks' }, /jwks and jwks_uri/],
    ['private_key_jwt without keys', { token_endpoint_auth_method: 'private_key_jwt' }, /private_key_jwt/],
    ['a bad signing alg', { token_endpoint_auth_signing_alg: 'HS256' }, /token_endpoint_auth_signing_alg/],
    ['a short secret', { client_secret: 'abc' }, /at least 6 characters/],
    ['a bad userinfo alg', { userinfo_signed_response_alg: 'ES256' }, /userinfo_signed_response_alg/],
    ['an unsupported subject type', { subject_type: 'pairwise' }, /not supported/],
    ['a CORS origin with a path', { allowed_cors_origins: ['https://a.example/path'] }, /must not have a path/],
    ['a CORS origin with another scheme', { allowed_cors_origins: ['ftp://a.example'] }, /scheme/],
    ['a post-logout URI on another host', { redirect_uris: ['https://a.example/cb'], post_logout_redirect_uris: ['https://b.example/bye'] }, /post_logout_redirect_uri/],
    ['jwks that is not a key set', { jwks: { nope: true } }, /JSON Web Key Set/],
  ])('rejects %s with invalid_client_metadata', (_name, body, hint) => {
    const r = rejection(body);
    expect(r.error).toBe('invalid_client_metadata');
    expect(r.description).toMatch(/^The value of one of the Client Metadata fields is invalid/);
    expect(r.description).toMatch(hint);
  });

  it('refuses admin-only fields in dynamic registration only', () => {
    expect(validate({ metadata: { a: 1 } }).metadata).toEqual({ a: 1 });
    expect(rejection({ metadata: { a: 1 } }, true).description).toMatch(/"metadata" cannot be set/);
    expect(validate({ skip_consent: true, refresh_token_grant_access_token_lifespan: '1h' })).toMatchObject({ skip_consent: true, lifespans: { refresh_token_grant_access_token_lifespan: 3_600_000 } });
    expect(rejection({ skip_consent: true }, true)).toMatchObject({ error: 'invalid_client_metadata', description: expect.stringContaining('"skip_consent" cannot be set') });
    expect(rejection({ refresh_token_grant_access_token_lifespan: '1h' }, true).description).toContain('"refresh_token_grant_access_token_lifespan" cannot be set');
    // Values that grant nothing (a client echoing its own registration back) pass.
    expect(validate({ skip_consent: false, skip_logout_consent: false, access_token_strategy: undefined }, true).skip_consent).toBe(false);
  });

  it('keeps skip_logout_consent when set (true or false) and leaves it out when not', () => {
    expect(validate({ skip_logout_consent: true }).skip_logout_consent).toBe(true);
    expect(validate({ skip_logout_consent: false }).skip_logout_consent).toBe(false);
    expect(validate({})).not.toHaveProperty('skip_logout_consent');
    expect(rejection({ skip_logout_consent: true }, true).description).toContain('"skip_logout_consent" cannot be set');
  });

  it('normalises CORS origins and parses lifespans', () => {
    const m = validate({ allowed_cors_origins: ['https://a.example/'], client_credentials_grant_access_token_lifespan: '1h30m' });
    expect(m.allowed_cors_origins).toEqual(['https://a.example']);
    expect(m.lifespans).toEqual({ client_credentials_grant_access_token_lifespan: 5_400_000 });
  });

  it('accepts a post-logout URI that shares scheme, host and port with a redirect URI', () => {
    expect(validate({ redirect_uris: ['https://a.example/cb'], post_logout_redirect_uris: ['https://a.example/bye'] }).post_logout_redirect_uris).toEqual(['https://a.example/bye']);
  });
});
