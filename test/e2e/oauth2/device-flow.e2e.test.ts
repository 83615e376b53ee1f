import type { V0alpha2Api } from '@ory/client';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser } from '../../helpers/browser';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('device authorization grant (RFC 8628)', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;

  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  it('authorizes a device through the verification page and the login/consent challenges', async () => {
    const created = await admin.adminCreateOAuth2Client({ grant_types: [DEVICE_GRANT, 'refresh_token'], scope: 'openid offline', token_endpoint_auth_method: 'none' });
    const clientId = created.data.client_id!;
    const config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid offline' });
    expect(device.verification_uri).toBe(`${server.registry.config.serve.public.base_url}oauth2/device/verify`);
    expect(device.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);

    const poll = () =>
      fetch(`${server.publicUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: device.device_code, client_id: clientId }).toString(),
      });
    expect(await (await poll()).json()).toMatchObject({ error: 'authorization_pending' });

    const browser = new Browser();
    const page = await browser.navigate(device.verification_uri_complete!, isExternal(server));
    expect(page.status).toBe(200);
    // verification_uri_complete auto-submits the code, then the user confirms it.
    const confirmPage = await browser.submitForm(page.body!, page.url, isExternal(server));
    expect(confirmPage.body).toContain(device.user_code);
    const confirmed = await browser.submitForm(confirmPage.body!, confirmPage.url, isExternal(server));
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(confirmed.url, 'login'), { subject: 'tv-user' });
    const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(server))).url;
    const consent = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), { grant_scope: ['openid', 'offline'], session: { id_token: { room: 'living' } } });
    const success = await browser.navigate(consent.data.redirect_to, isExternal(server));
    expect(success.status).toBe(200);
    expect(success.body).toContain('signed in');

    const tokens = (await (await poll()).json()) as Record<string, string>;
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.id_token).toEqual(expect.any(String));
    expect((await admin.adminIntrospectOAuth2Token(tokens.access_token)).data).toMatchObject({ active: true, sub: 'tv-user', client_id: clientId });
  });
});
