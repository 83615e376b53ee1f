import type { AdminTrustOAuth2JwtGrantIssuerBody, JsonWebKey as SdkJsonWebKey, V0alpha2Api } from '@ory/client';
import { exportJWK, generateKeyPair } from 'jose';
import type { RunningServer } from '../../../apps/cli/src/server';
import { isUuid } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../helpers/ory-client';

const MISSING = 'One of the required parameters is missing. Check your request parameters.';
const CONFLICT = { error: 'Unable to insert or update resource because a resource with that value exists already', error_description: '', status_code: 409 };
const NOT_FOUND = { error: 'Unable to locate the resource', error_description: '', status_code: 404 };
const inAnHour = (): string => new Date(Date.now() + 3_600_000).toISOString();

describe('admin trusted JWT-bearer issuers (Hydra §6, @ory/client)', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let publicJwk: SdkJsonWebKey;
  let privateJwk: SdkJsonWebKey;
  let n = 0;
  const issuer = (): string => `https://idp-${++n}.example.com`;
  const body = (overrides: Partial<AdminTrustOAuth2JwtGrantIssuerBody> = {}): AdminTrustOAuth2JwtGrantIssuerBody => ({
    issuer: issuer(),
    subject: 'alice@example.com',
    scope: ['openid', 'api:read'],
    jwk: publicJwk,
    expires_at: inAnHour(),
    ...overrides,
  });

  beforeAll(async () => {
    server = await bootApps();
    admin = oryClient(server.adminUrl);
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: 'idp-key-1', alg: 'ES256', use: 'sig' } as SdkJsonWebKey;
    const { d: _d, ...pub } = privateJwk;
    publicJwk = pub as SdkJsonWebKey;
  });
  afterAll(() => server.close());

  it('creates a grant (201, Hydra shape) and stores the public key in the set named after the issuer', async () => {
    const input = body({ jwk: privateJwk, expires_at: '2031-05-06T07:08:09.123Z' });
    const res = await admin.adminTrustOAuth2JwtGrantIssuer(input);
    expect(res.status).toBe(201);
    expect(isUuid(res.data.id)).toBe(true);
    expect(res.data).toEqual({
      id: res.data.id,
      issuer: input.issuer,
      subject: 'alice@example.com',
      allow_any_subject: false,
      scope: ['openid', 'api:read'],
      public_key: { set: input.issuer, kid: 'idp-key-1' },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      expires_at: '2031-05-06T07:08:09Z',
    });
    expect(res.headers.location).toBe(`${server.registry.config.serve.admin.base_url}admin/trust/grants/jwt-bearer/issuers/${res.data.id}`);
    const { data } = await admin.adminGetJsonWebKey(input.issuer, 'idp-key-1');
    expect(data.keys).toEqual([{ ...publicJwk }]);
    expect(data.keys![0]).not.toHaveProperty('d');
  });

  it('gets, lists (issuer filter, token pagination) and deletes grants', async () => {
    const iss = issuer();
    const a = (await admin.adminTrustOAuth2JwtGrantIssuer(body({ issuer: iss, subject: 'a' }))).data;
    const b = (await admin.adminTrustOAuth2JwtGrantIssuer(body({ issuer: iss, subject: undefined, allow_any_subject: true, scope: [] }))).data;
    await admin.adminTrustOAuth2JwtGrantIssuer(body());
    expect((await admin.adminGetTrustedOAuth2JwtGrantIssuer(b.id!)).data).toEqual(b);
    expect(b).toMatchObject({ subject: '', allow_any_subject: true, scope: [] });

    const list = await admin.adminListTrustedOAuth2JwtGrantIssuers(undefined, undefined, iss);
    expect(list.data.map((g) => g.id)).toEqual([a.id, b.id]);
    expect(list.headers['x-total-count']).toBeUndefined();
    expect((await admin.adminListTrustedOAuth2JwtGrantIssuers()).data.length).toBeGreaterThanOrEqual(3);

    const page = await fetch(`${server.adminUrl}/admin/trust/grants/jwt-bearer/issuers?issuer=${encodeURIComponent(iss)}&page_size=1`);
    expect(((await page.json()) as { id: string }[]).map((g) => g.id)).toEqual([a.id]);
    const next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    expect(((await (await fetch(new URL(next!, server.adminUrl))).json()) as { id: string }[]).map((g) => g.id)).toEqual([b.id]);

    // Both grants share the key: it stays until the last one goes.
    expect((await admin.adminDeleteTrustedOAuth2JwtGrantIssuer(a.id!)).status).toBe(204);
    expect((await admin.adminGetJsonWebKey(iss, 'idp-key-1')).status).toBe(200);
    await admin.adminDeleteTrustedOAuth2JwtGrantIssuer(b.id!);
    expect(await oryFailure(admin.adminGetJsonWebKey(iss, 'idp-key-1'))).toMatchObject({ status: 404 });
    expect((await admin.adminListTrustedOAuth2JwtGrantIssuers(undefined, undefined, iss)).data).toEqual([]);
  });

  it('answers 404 for an unknown grant (get and delete)', async () => {
    for (const call of [admin.adminGetTrustedOAuth2JwtGrantIssuer('3a6b0b5e-5d3c-4c71-9d7e-000000000000'), admin.adminDeleteTrustedOAuth2JwtGrantIssuer('nope')]) {
      expect(await oryFailure(call)).toMatchObject({ status: 404, data: NOT_FOUND });
    }
  });

  it('answers 409 for a second grant with the same issuer, subject and kid', async () => {
    const first = body();
    await admin.adminTrustOAuth2JwtGrantIssuer(first);
    expect(await oryFailure(admin.adminTrustOAuth2JwtGrantIssuer({ ...first, scope: ['other'] }))).toMatchObject({ status: 409, data: CONFLICT });
    // Another subject with the same key is a new grant.
    expect((await admin.adminTrustOAuth2JwtGrantIssuer({ ...first, subject: 'bob@example.com' })).status).toBe(201);
  });

  it.each<[string, Partial<AdminTrustOAuth2JwtGrantIssuerBody>, string]>([
    ['no issuer', { issuer: '' }, `${MISSING} Field 'issuer' is required.`],
    ['neither subject nor allow_any_subject', { subject: undefined }, `${MISSING} One of 'subject' or 'allow_any_subject' field must be set.`],
    ['subject and allow_any_subject', { allow_any_subject: true }, `${MISSING} Both 'subject' and 'allow_any_subject' fields cannot be set at the same time.`],
    ['no expires_at', { expires_at: undefined }, `${MISSING} Field 'expires_at' is required.`],
    ['a JWK without kid', { jwk: { kty: 'EC', alg: 'ES256', use: 'sig' } as SdkJsonWebKey }, `${MISSING} Field 'jwk' must contain JWK with kid header.`],
  ])('answers 400 missing_required_parameter for %s', async (_name, overrides, description) => {
    expect(await oryFailure(admin.adminTrustOAuth2JwtGrantIssuer(body(overrides)))).toMatchObject({
      status: 400,
      data: { error: 'missing_required_parameter', error_description: description, status_code: 400 },
    });
  });

  it('answers 400 for a past expires_at, an invalid JWK and unknown fields', async () => {
    const past = await oryFailure(admin.adminTrustOAuth2JwtGrantIssuer(body({ expires_at: '2020-01-01T00:00:00Z' })));
    expect(past).toMatchObject({ status: 400, data: { error: 'invalid_request', error_description: expect.stringContaining("Field 'expires_at' must be in the future.") } });
    const badKey = await oryFailure(admin.adminTrustOAuth2JwtGrantIssuer(body({ jwk: { ...publicJwk, alg: 'RS256' } })));
    expect(badKey).toMatchObject({ status: 400, data: { error: 'Bad Request', error_description: expect.stringContaining('alg RS256 needs kty RSA') } });
    const unknown = await oryFailure(admin.adminTrustOAuth2JwtGrantIssuer({ ...body(), id: 'mine' } as AdminTrustOAuth2JwtGrantIssuerBody));
    expect(unknown).toMatchObject({ status: 400, data: { error_description: 'property id is not allowed' } });
    expect((await admin.adminListTrustedOAuth2JwtGrantIssuers(undefined, undefined, 'https://never.example.com')).data).toEqual([]);
  });
});
