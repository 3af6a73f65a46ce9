import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Browser, chromium, Page } from 'playwright-core';
import { Environment } from '../../backend/src/config/environment';
import { GoogleStack, startGoogleSandbox } from '../../backend/src/test/google-flow';
import { startTestApp, TestApp } from '../../backend/src/test/test-app';
import { webDistDir } from '../../backend/src/modules/web/web-ui';

/** Debian's chromium by default; CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Screenshots of the pages, for people to look at (gitignored). */
const SHOTS = resolve(__dirname, '..', '..', 'test-results', 'browser');

describe('web UI in a real browser: sign in, Settings, Connect Gmail, deny, revoke -> Reconnect', () => {
  let t: TestApp;
  let google: GoogleStack;
  let browser: Browser;
  let page: Page;

  /** Runs a browser step; on failure saves a screenshot and names the page it was on. */
  const step = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      try {
        await fn();
      } catch (error) {
        const file = resolve(SHOTS, `failed-${name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}.png`);
        await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        (error as Error).message += `\n  (page: ${page?.url()}; screenshot: ${file})`;
        throw error;
      }
    });
  const shot = (name: string) => page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });
  const mailbox = (email: string) => page.locator('[data-testid="mailbox"]', { hasText: email });
  /** The sandbox's Google consent page: who signs in, which boxes stay ticked, which button. */
  async function consent(email: string, button: 'Continue' | 'Cancel') {
    await page.waitForURL((u) => u.pathname.startsWith('/o/oauth2/'));
    assert.match(await page.title(), /Google/);
    await page.getByLabel('Signed in as').fill(email);
    await page.getByRole('button', { name: button }).click();
  }

  beforeAll(async () => {
    // Fail, never skip: a missing browser must not pass for a green run.
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium is not installed at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
    mkdirSync(SHOTS, { recursive: true });
    google = await startGoogleSandbox();
    t = await startTestApp({ env: { ...google.env, SIGNUP_MODE: 'open', SCHEDULER_INTERVAL_MS: '0' } });
    assert.ok(webDistDir(t.app.get(Environment)), 'The web UI is not built: run `npm run build -w web` (the root `npm run build` does it)');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
    page = await browser.newPage({ viewport: { width: 1200, height: 820 } });
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await google?.close();
  });

  step('sends a signed-out visitor to the sign-in page, and signs in with Google', async () => {
    await page.goto(`${t.baseUrl}/settings`);
    await page.waitForURL((u) => u.pathname === '/signin');
    await page.getByRole('heading', { name: 'Sign in to Cadence' }).waitFor();
    await shot('01-sign-in');
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await consent('ann@acme.test', 'Continue');
    await page.waitForURL((u) => u.pathname === '/settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByText('ann@acme.test').first().waitFor();
    await page.getByText('No mailbox yet').waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'cadence_session');
    assert.ok(session?.httpOnly, 'the session cookie is httpOnly');
    assert.equal(session?.sameSite, 'Lax');
  });

  step('lists a Twilio channel with its status and tests its connection', async () => {
    // The page's own way of calling the API: same-origin fetch with the session cookie and the CSRF token.
    const csrf = (await page.context().cookies()).find((c) => c.name === 'cadence_csrf')!.value;
    const created = await page.evaluate(
      async ({ baseUrl, csrf }) => {
        const res = await fetch('/api/v1/channels', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({
            type: 'twilio',
            name: 'Support line',
            config: { accountSid: `AC${'1'.repeat(32)}`, from: '+14155550100', baseUrl },
            secrets: { authToken: 'sandbox-auth-token-123' },
          }),
        });
        return res.status;
      },
      { baseUrl: google.sandbox.url, csrf: decodeURIComponent(csrf) },
    );
    assert.equal(created, 201);
    await page.reload();
    const row = page.locator('[data-testid="channel"]', { hasText: 'Support line' });
    await row.getByText('Not tested').waitFor();
    await row.getByRole('button', { name: 'Test connection of Support line' }).click();
    await row.getByText('Connected', { exact: true }).waitFor();
  });

  step('Connect Gmail: approve on the consent page, land back on Settings with the mailbox connected', async () => {
    await page.getByRole('link', { name: 'Connect Gmail' }).click();
    await consent('sales@acme.test', 'Continue');
    await page.waitForURL((u) => u.pathname === '/settings');
    await page.getByRole('status').filter({ hasText: 'sales@acme.test is connected and ready to send.' }).waitFor();
    const row = mailbox('sales@acme.test');
    await row.getByText('Connected', { exact: true }).waitFor();
    await row.getByText('Primary', { exact: true }).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the outcome parameters are cleaned from the address bar');
    await shot('02-settings-connected');
  });

  step('denying on the consent page (keyboard only) shows a clear message and connects nothing', async () => {
    await page.getByRole('link', { name: 'Connect Gmail' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname.startsWith('/o/oauth2/'));
    await page.getByLabel('Signed in as').fill('other@acme.test');
    await page.getByRole('button', { name: 'Cancel' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/settings');
    await page.getByRole('alert').filter({ hasText: 'Gmail was not connected: access was not granted' }).waitFor();
    // The banner renders before the list has loaded: wait for the list, then count.
    await mailbox('sales@acme.test').waitFor();
    assert.equal(await page.locator('[data-testid="mailbox"]').count(), 1);
    await shot('03-settings-denied');
  });

  step('after a revoke at Google the next refresh marks the mailbox reauth_required and the page offers Reconnect', async () => {
    const res = await fetch(`${google.sandbox.url}/_sandbox/google/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'sales@acme.test' }),
    });
    assert.equal(res.status, 200);
    const row = mailbox('sales@acme.test');
    await row.getByRole('button', { name: 'Test connection of sales@acme.test' }).click();
    await row.getByText('Needs reconnect').waitFor();
    await row.getByRole('link', { name: 'Reconnect sales@acme.test' }).waitFor();
    await row
      .getByText(/invalid_grant/)
      .first()
      .waitFor();
    await shot('04-settings-reauth-required');
    // And Reconnect brings it back.
    await row.getByRole('link', { name: 'Reconnect sales@acme.test' }).click();
    await consent('sales@acme.test', 'Continue');
    await page.waitForURL((u) => u.pathname === '/settings');
    await mailbox('sales@acme.test').getByText('Connected', { exact: true }).waitFor();
    await shot('05-settings-reconnected');
  });
});
