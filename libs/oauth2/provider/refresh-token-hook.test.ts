import type { ConsentSession } from '../consent';
import { HOOK_DENIED_DESCRIPTION, refreshHookOutcome, refreshHookRequest } from './refresh-token-hook';

const consent = {
  grantId: 'g1',
  challenge: 'consent-challenge',
  subject: 'alice',
  clientId: 'rp',
  remember: false,
  rememberFor: 0,
  skip: false,
  grantedScope: ['openid', 'offline'],
  grantedAudience: ['https://api.example'],
  session: { access_token: { role: 'admin' }, id_token: { email: 'a@example.com' } },
  authenticatedAt: new Date('2026-01-01T00:00:00.000Z'),
  acr: '1',
  amr: ['pwd'],
  request: {},
  handledAt: new Date('2026-01-01T00:00:00.000Z'),
} satisfies ConsentSession;

describe('refreshHookRequest', () => {
  it("builds Hydra's RefreshTokenHookRequest, the consent's claims in Hydra's session shape", () => {
    const input = { subject: 'alice', clientSubject: 'pairwise-alice', clientId: 'rp', issuer: 'https://issuer.example/', grantedScopes: ['openid', 'offline'], consent, excludeNotBeforeClaim: false, allowedTopLevelClaims: ['role'] };
    expect(refreshHookRequest(input)).toEqual({
      subject: 'alice',
      session: {
        id_token: {
          id_token_claims: { iss: 'https://issuer.example/', sub: 'pairwise-alice', aud: ['rp'], acr: '1', amr: ['pwd'], auth_time: '2026-01-01T00:00:00.000Z', ext: { email: 'a@example.com' } },
          headers: { extra: {} },
          subject: 'alice',
        },
        extra: { role: 'admin' },
        client_id: 'rp',
        consent_challenge: 'consent-challenge',
        exclude_not_before_claim: false,
        allowed_top_level_claims: ['role'],
      },
      requester: { client_id: 'rp', granted_scopes: ['openid', 'offline'], granted_audience: ['https://api.example'], grant_types: ['refresh_token'] },
      client_id: 'rp',
      granted_scopes: ['openid', 'offline'],
      granted_audience: ['https://api.example'],
    });
  });

  it('sends empty claims when the grant has no consent session', () => {
    const request = refreshHookRequest({ subject: 'bob', clientSubject: 'bob', clientId: 'rp', issuer: 'https://i/', grantedScopes: [], consent: undefined, excludeNotBeforeClaim: true, allowedTopLevelClaims: [] });
    expect(request.session.extra).toEqual({});
    expect(request.session.id_token.id_token_claims.ext).toEqual({});
    expect(request.granted_audience).toEqual([]);
  });
});

describe('refreshHookOutcome', () => {
  it('200 replaces both claim sets; a missing or null one becomes empty', () => {
    expect(refreshHookOutcome(200, '{"session":{"access_token":{"a":1},"id_token":{"b":2}}}')).toEqual({ kind: 'replace', session: { access_token: { a: 1 }, id_token: { b: 2 } } });
    expect(refreshHookOutcome(200, '{"session":{"access_token":{"a":1},"id_token":null}}')).toEqual({ kind: 'replace', session: { access_token: { a: 1 }, id_token: {} } });
    expect(refreshHookOutcome(200, '{}')).toEqual({ kind: 'replace', session: { access_token: {}, id_token: {} } });
  });

  it('204 keeps, 403 denies', () => {
    expect(refreshHookOutcome(204, '')).toEqual({ kind: 'keep' });
    expect(refreshHookOutcome(403, '{"error":"no"}')).toEqual({ kind: 'deny' });
    expect(HOOK_DENIED_DESCRIPTION).toMatch(/^The token hook target responded with an error\. Make sure/);
  });

  it.each([
    [200, '', 'The token hook target responded with an error.'],
    [200, '[]', 'The token hook target responded with an error.'],
    [200, '{"session":"x"}', 'The token hook target responded with an error.'],
    [200, '{"session":{"id_token":[1]}}', 'The token hook target responded with an error.'],
    [201, '{}', 'The token hook target responded with an error.'],
    [401, '', 'The token hook target responded with an error.'],
    [501, '', 'The token hook target responded with an error.'],
    [500, '', 'An error occurred while executing the token hook.'],
    [503, '', 'An error occurred while executing the token hook.'],
    [429, '', 'An error occurred while executing the token hook.'],
  ])('%i %j is a server error: %s', (status, body, description) => {
    expect(refreshHookOutcome(status, body)).toMatchObject({ kind: 'fail', description });
  });
});
