import { createHash } from 'node:crypto';
import type { V0alpha2Api } from '@ory/client';
import type { RunningServer } from '../../apps/cli/src/server';
import { Browser } from '../helpers/browser';
import { bootOAuth2, challengeIn, isExternal } from '../helpers/oauth2';
import { oryClient } from '../helpers/ory-client';

jest.setTimeout(60_000);

/** `script-src` etc. of a CSP header as a map of directive → sources. */
function directives(csp: string | null): Record<string, string[]> {
  expect(csp).toBeTruthy();
  return Object.fromEntries((csp as string).split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

/** What every HTML page must carry: never framed, no inline code unless hashed/nonced, no eval. */
function expectHardened(headers: Headers | undefined, body: string | undefined): Record<string, string[]> {
  expect(headers?.get('content-type')).toMatch(/^text\/html/);
  expect(body).toMatch(/^<!DOCTYPE html>/i);
  expect(headers?.get('x-frame-options')).toBe('DENY');
  const csp = headers?.get('content-security-policy') ?? null;
  const d = directives(csp);
  expect(d['frame-ancestors']).toEqual(["'none'"]);
  expect(d['default-src']).toEqual(["'none'"]);
  expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
  return d;
}

describe('browser hardening of the HTML pages the server renders', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  beforeAll(async () => {
    server = await bootOAuth2();
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  it('the device verification page', async () => {
    const page = await new Browser().navigate(`${server.publicUrl}/oauth2/device/verify`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('op.deviceInputForm');
    expectHardened(page.headers, page.body);
  });

  it.each(['login', 'consent', 'logout', 'logout/callback', 'error'])('the fallback page /oauth2/fallbacks/%s', async (name) => {
    const page = await new Browser().navigate(`${server.publicUrl}/oauth2/fallbacks/${name}`);
    expect(page.status).toBe(200);
    expectHardened(page.headers, page.body);
  });

  it('the error page an authorization error lands on', async () => {
    const q = new URLSearchParams({ client_id: 'no-such-client', response_type: 'code', redirect_uri: 'https://rp.example/cb', scope: 'openid' });
    const page = await new Browser().navigate(`${server.publicUrl}/oauth2/auth?${q}`);
    expect(page.url).toContain('/oauth2/fallbacks/error');
    expect(page.body).toContain('invalid_client');
    expectHardened(page.headers, page.body);
  });

  it('the front-channel logout page frames exactly the clients’ frontchannel_logout_uri origins and runs only its nonced script', async () => {
    const browser = new Browser();
    const rps = ['https://rp-one.example', 'https://rp-two.example:8443'];
    const clients: string[] = [];
    for (const rp of rps) {
      const created = await admin.adminCreateOAuth2Client({
        redirect_uris: [`${rp}/cb`],
        post_logout_redirect_uris: [`${rp}/bye`],
        grant_types: ['implicit'],
        response_types: ['id_token'],
        scope: 'openid',
        frontchannel_logout_uri: `${rp}/frontchannel/logout?x=1`,
      });
      clients.push(created.data.client_id!);
    }
    let idToken = '';
    for (const [i, clientId] of clients.entries()) {
      const q = new URLSearchParams({ client_id: clientId, response_type: 'id_token', redirect_uri: `${rps[i]}/cb`, scope: 'openid', state: 'state-abcdefgh', nonce: 'nonce-abcdefgh' });
      let at = await browser.navigate(`${server.publicUrl}/oauth2/auth?${q}`, isExternal(server));
      // Walk the login and consent apps (the second client's login is skipped, but still accepted).
      while (!at.url.startsWith(rps[i])) {
        const kind = at.url.includes('login_challenge') ? 'login' : 'consent';
        const accepted =
          kind === 'login'
            ? await admin.adminAcceptOAuth2LoginRequest(challengeIn(at.url, 'login'), { subject: 'frames-user', remember: true })
            : await admin.adminAcceptOAuth2ConsentRequest(challengeIn(at.url, 'consent'), { grant_scope: ['openid'] });
        at = await browser.navigate(accepted.data.redirect_to, isExternal(server));
      }
      idToken = new URLSearchParams(new URL(at.url).hash.slice(1)).get('id_token') ?? '';
    }
    expect(idToken).not.toBe('');
    const q = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${rps[1]}/bye`, state: 'st-1' });
    const landing = await browser.navigate(`${server.publicUrl}/oauth2/sessions/logout?${q}`, isExternal(server));
    const accepted = await admin.adminAcceptOAuth2LogoutRequest(challengeIn(landing.url, 'logout'));
    const page = await browser.navigate(accepted.data.redirect_to, isExternal(server));
    expect(page.status).toBe(200);
    const d = expectHardened(page.headers, page.body);
    expect(page.body).toContain('<iframe');
    expect(d['frame-src']?.sort()).toEqual([...rps].sort());
    expect(d['script-src']).toHaveLength(1);
    const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(d['script-src'][0])?.[1];
    expect(nonce).toBeDefined();
    const scripts = [...page.body!.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    expect(scripts).toEqual([` nonce="${nonce}"`]);
    expect(page.body).not.toMatch(/\son\w+=|style=/);
  });

  it('the form_post page: its inline script is allowed by hash only', async () => {
    const created = await admin.adminCreateOAuth2Client({ redirect_uris: ['https://rp.example/cb'], grant_types: ['implicit'], response_types: ['id_token'], scope: 'openid' });
    const browser = new Browser();
    const q = new URLSearchParams({ client_id: created.data.client_id!, response_type: 'id_token', response_mode: 'form_post', redirect_uri: 'https://rp.example/cb', scope: 'openid', state: 'state-abcdefgh', nonce: 'nonce-abcdefgh' });
    const landing = await browser.navigate(`${server.publicUrl}/oauth2/auth?${q}`, isExternal(server));
    const login = await admin.adminAcceptOAuth2LoginRequest(challengeIn(landing.url, 'login'), { subject: 'form-post-user' });
    const consentUrl = (await browser.navigate(login.data.redirect_to, isExternal(server))).url;
    const consent = await admin.adminAcceptOAuth2ConsentRequest(challengeIn(consentUrl, 'consent'), { grant_scope: ['openid'] });
    const page = await browser.navigate(consent.data.redirect_to, isExternal(server));
    expect(page.body).toContain('name="id_token"');
    const d = expectHardened(page.headers, page.body);
    const script = /<script>([\s\S]*?)<\/script>/.exec(page.body!)![1];
    expect(d['script-src']).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  });
});
