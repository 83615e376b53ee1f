import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { type Browser, chromium } from 'playwright-core';
import type { RunningServer } from '../../../apps/cli/src/server';
import { startExampleUi } from '../../../examples/ui/server';
import { bootApps, freePort } from '../../helpers/boot-apps';

/**
 * Passkeys in a real browser: Debian's Chromium (playwright-core) with Chrome's virtual authenticator
 * (CDP `WebAuthn.addVirtualAuthenticator`: CTAP2, internal transport, resident keys, user
 * verification) registers a passkey through the example UI's settings page — the trigger node's
 * `onclick` runs webauthn.js, loaded from the script node with its SRI hash — and then signs in with it
 * and no password. Everything runs on `localhost` (WebAuthn needs a secure context and a domain RP id).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('journey: a passkey registered and used in Chromium through the example UI', () => {
  let server: RunningServer;
  let ui: Server;
  let browser: Browser;
  let uiUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
    const [uiPort, publicPort] = [await freePort(), await freePort()];
    uiUrl = `http://localhost:${uiPort}`;
    server = await bootApps({
      SERVE_PUBLIC_PORT: String(publicPort),
      SERVE_PUBLIC_BASE_URL: `http://localhost:${publicPort}/`,
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: `${uiUrl}/`,
      SELFSERVICE_FLOWS_LOGIN_UI_URL: `${uiUrl}/login`,
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL: `${uiUrl}/registration`,
      SELFSERVICE_FLOWS_SETTINGS_UI_URL: `${uiUrl}/settings`,
      SELFSERVICE_FLOWS_ERROR_UI_URL: `${uiUrl}/error`,
      SELFSERVICE_METHODS_WEBAUTHN_ENABLED: 'true',
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_PASSWORDLESS: 'true',
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ID: 'localhost',
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_DISPLAY_NAME: 'Tessera',
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ORIGINS: uiUrl,
    });
    ui = await startExampleUi(`http://localhost:${publicPort}`, uiPort);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000); // Chromium on a busy CI box: twice the e2e default

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => ui?.close(resolve));
    await server?.close();
  });

  it('adds a passkey in settings, then signs in with it alone', async () => {
    const email = 'passkey-chromium@example.com';
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });

    await page.goto(`${uiUrl}/registration`);
    await page.fill('input[name="traits.email"]', email);
    await page.fill('input[name="password"]', 'a chromium passphrase');
    await page.click('button[name="method"][value="password"]');
    await page.waitForSelector('#session');

    await page.goto(`${uiUrl}/settings`);
    await page.waitForFunction('typeof window.__oryWebAuthnRegistration === "function"');
    await page.fill('input[name="webauthn_register_displayname"]', 'Chromium passkey');
    await page.click('button[name="webauthn_register_trigger"]');
    await page.waitForSelector('.message[data-id="1050001"]');
    expect(await page.textContent('button[name="webauthn_remove"]')).toBe('Remove security key "Chromium passkey"');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toEqual([expect.objectContaining({ isResidentCredential: true, rpId: 'localhost', signCount: expect.any(Number) })]);

    await context.clearCookies();
    await page.goto(`${uiUrl}/`);
    await page.waitForSelector('#anonymous');
    await page.goto(`${uiUrl}/login`);
    await page.waitForFunction('typeof window.__oryWebAuthnLogin === "function"');
    await page.click('button[name="webauthn_login_trigger"]');
    await page.waitForSelector('#session');
    const session = JSON.parse((await page.textContent('#session')) ?? '{}');
    expect(session.identity.traits.email).toBe(email);
    expect(session.authentication_methods).toEqual([expect.objectContaining({ method: 'webauthn', aal: 'aal1' })]);
    expect(dialogs).toEqual([]);
    await context.close();
  }, 120_000); // Chromium on a busy CI box: twice the e2e default
});
