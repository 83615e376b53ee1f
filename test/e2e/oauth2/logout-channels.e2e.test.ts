import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { V0alpha2Api } from '@ory/client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { RunningServer } from '../../../apps/cli/src/server';
import { Browser, urlParams } from '../../helpers/browser';
import { bootOAuth2, challengeIn, isExternal } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

const RP = 'https://rp.example';

describe('front- and back-channel logout', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let receiver: Server;
  const received: string[] = [];

  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(body);
        res.end();
      });
    }).listen(0, '127.0.0.1');
    await once(receiver, 'listening');
  });
  afterAll(async () => {
    receiver.close();
    await server.close();
  });

  /** Logs `subject` in to a client (login + consent), returning the browser and the ID token's sid. */
  async function signIn(clientId: string, subject: string) {
    const browser = new Browser();
    const q = new URLSearchParams({ client_id: clientId, response_type: 'id_token', redirect_uri: `${RP}/cb`, scope: 'openid', state: 'state-abcdefgh', nonce: 'nonce-abcdefgh' });
    const landing = await browser.navigate(`${server.publicUrl}/oauth2/auth?${q}`, isExternal(server));
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject, remember: true });
    const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(server))).url;
    const consent = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), { grant_scope: ['openid'] });
    const done = await browser.navigate(consent.data.redirect_to, isExternal(server));
    return { browser, idToken: urlParams(done.url).id_token };
  }

  async function logout(browser: Browser, idToken: string) {
    const q = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${RP}/bye`, state: 'st-1' });
    const landing = await browser.navigate(`${server.publicUrl}/oauth2/sessions/logout?${q}`, isExternal(server));
    const accepted = await admin.adminAcceptOAuth2LogoutRequest(challengeIn(landing.url, 'logout'));
    return browser.navigate(accepted.data.redirect_to, isExternal(server));
  }

  it('posts a logout token with sid and the back-channel event to backchannel_logout_uri', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const created = await admin.adminCreateOAuth2Client({
      redirect_uris: [`${RP}/cb`],
      post_logout_redirect_uris: [`${RP}/bye`],
      grant_types: ['implicit'],
      response_types: ['id_token'],
      scope: 'openid',
      backchannel_logout_uri: `http://127.0.0.1:${port}/backchannel`,
    });
    const { browser, idToken } = await signIn(created.data.client_id!, 'bc-user');
    const done = await logout(browser, idToken);
    expect(done.url).toBe(`${RP}/bye?state=st-1`);
    expect(received).toHaveLength(1);
    const token = new URLSearchParams(received[0]).get('logout_token')!;
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${server.publicUrl}/.well-known/jwks.json`)), { audience: created.data.client_id! });
    const { payload: id } = await jwtVerify(idToken, createRemoteJWKSet(new URL(`${server.publicUrl}/.well-known/jwks.json`)));
    expect(payload).toMatchObject({ iss: server.registry.config.serve.public.base_url, sid: id.sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } });
  });

  it('renders the front-channel iframes with iss and sid, then continues to the post-logout URI', async () => {
    const created = await admin.adminCreateOAuth2Client({
      redirect_uris: [`${RP}/cb`],
      post_logout_redirect_uris: [`${RP}/bye`],
      grant_types: ['implicit'],
      response_types: ['id_token'],
      scope: 'openid',
      frontchannel_logout_uri: `${RP}/frontchannel`,
    });
    const { browser, idToken } = await signIn(created.data.client_id!, 'fc-user');
    const done = await logout(browser, idToken);
    expect(done.status).toBe(200);
    const src = /<iframe src="([^"]+)"/.exec(done.body!)![1].replace(/&amp;/g, '&');
    const frame = new URL(src);
    expect(frame.origin + frame.pathname).toBe(`${RP}/frontchannel`);
    expect(frame.searchParams.get('iss')).toBe(server.registry.config.serve.public.base_url);
    expect(frame.searchParams.get('sid')).toBe(decodeJwt(idToken).sid);
    expect(done.body).toContain(JSON.stringify(`${RP}/bye?state=st-1`));
  });
});
