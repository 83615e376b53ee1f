import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { type Browser, chromium } from 'playwright-core';
import type { RunningServer } from '../../../apps/cli/src/server';
import { startExampleUi } from '../../../examples/ui/server';
import { bootApps, freePort } from '../../helpers/boot-apps';

/**
 * A real browser (Debian's Chromium driven by playwright-core; no browser download) signs up and in
 * through the example UI in examples/ui, which renders flow JSON generically.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('journey: sign up and sign in through a server-rendered UI in Chromium', () => {
  let server: RunningServer;
  let ui: Server;
  let browser: Browser;
  let uiUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (see .ci/run)`);
    const uiPort = await freePort();
    uiUrl = `http://127.0.0.1:${uiPort}`;
    server = await bootApps({
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: `${uiUrl}/`,
      SELFSERVICE_FLOWS_LOGIN_UI_URL: `${uiUrl}/login`,
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL: `${uiUrl}/registration`,
      SELFSERVICE_FLOWS_ERROR_UI_URL: `${uiUrl}/error`,
    });
    ui = await startExampleUi(server.publicUrl, uiPort);
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

  it('registers, sees the session, signs in again in a fresh browser, and sees a wrong password rejected', async () => {
    const email = 'chromium@example.com';
    const password = 'a chromium passphrase';

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${uiUrl}/registration`);
    await page.fill('input[name="traits.email"]', email);
    await page.fill('input[name="password"]', password);
    await page.click('button[name="method"][value="password"]');
    await page.waitForSelector('#session');
    const session = JSON.parse((await page.textContent('#session')) ?? '{}');
    expect(session.identity.traits.email).toBe(email);
    expect(session.active).toBe(true);
    await context.close();

    const fresh = await browser.newContext();
    const login = await fresh.newPage();
    await login.goto(`${uiUrl}/login`);
    await login.fill('input[name="identifier"]', email);
    await login.fill('input[name="password"]', 'not the passphrase');
    await login.click('button[name="method"][value="password"]');
    await login.waitForSelector('.message[data-id="4000006"]');
    await login.fill('input[name="password"]', password);
    await login.click('button[name="method"][value="password"]');
    await login.waitForSelector('#session');
    expect(JSON.parse((await login.textContent('#session')) ?? '{}').identity.traits.email).toBe(email);
    await fresh.close();
  }, 120_000); // Chromium on a busy CI box: twice the e2e default
});
