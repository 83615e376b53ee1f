import type { V0alpha2Api } from '@ory/client';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser } from '../../helpers/browser';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const REDIRECT = 'https://rp-race.example/cb';

/** Codes and refresh tokens are single-use even when two requests redeem them at the same moment. */
describe('OAuth2 concurrent redemption', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let auth: string;
  let clientId: string;

  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
    const created = await admin.adminCreateOAuth2Client({ redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], scope: 'openid offline' });
    clientId = created.data.client_id!;
    auth = `Basic ${Buffer.from(`${clientId}:${created.data.client_secret}`).toString('base64')}`;
  });
  afterAll(() => server.close());

  const token = async (params: Record<string, string>) => {
    const res = await fetch(`${server.publicUrl}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth }, body: new URLSearchParams(params) });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };

  async function code(): Promise<{ code: string; verifier: string }> {
    const browser = new Browser();
    const follow = async (to: string) => (await browser.navigate(to, isExternal(server))).url;
    const verifier = oidc.randomPKCECodeVerifier();
    const url = `${server.publicUrl}/oauth2/auth?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid offline', state: 'race-state', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' })}`;
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(await follow(url), 'login'), { subject: 'racer' });
    const consent = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(await follow(login.data.redirect_to), 'consent'), { grant_scope: ['openid', 'offline'] });
    return { code: new URL(await follow(consent.data.redirect_to)).searchParams.get('code')!, verifier };
  }

  it('lets one of two simultaneous code exchanges win; the replay revokes what the winner got', async () => {
    for (let i = 0; i < 3; i++) {
      const { code: c, verifier } = await code();
      const params = { grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier };
      const results = await Promise.all([token(params), token(params)]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(results.find((r) => r.status === 400)?.body.error).toBe('invalid_grant');
      const winner = results.find((r) => r.status === 200)!.body;
      expect((await admin.adminIntrospectOAuth2Token(winner.access_token)).data.active).toBe(false);
    }
  });

  it('lets one of two simultaneous refreshes win', async () => {
    for (let i = 0; i < 3; i++) {
      const { code: c, verifier } = await code();
      const first = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier });
      expect(first.status).toBe(200);
      const results = await Promise.all([token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }), token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(results.find((r) => r.status === 400)?.body.error).toBe('invalid_grant');
    }
  });
});
