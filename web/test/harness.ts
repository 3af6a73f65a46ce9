import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, it } from '@jest/globals';
import { Browser, chromium, Page } from 'playwright-core';
import { Environment } from '../../backend/src/config/environment';
import { GoogleStack, startGoogleSandbox } from '../../backend/src/test/google-flow';
import { startTestApp, TestApp } from '../../backend/src/test/test-app';
import { webDistDir } from '../../backend/src/modules/web/web-ui';

/** Debian's chromium by default; CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
export const SHOTS = resolve(__dirname, '..', '..', 'test-results', 'browser');

export interface BrowserHarness {
  t: TestApp;
  google: GoogleStack;
  browser: Browser;
  page: Page;
  /** An `it` that saves a screenshot and names the page when it fails. */
  step: (name: string, fn: () => Promise<void>) => void;
  shot: (name: string) => Promise<Buffer>;
  /** The sandbox's Google consent page: who signs in and which button. */
  consent: (email: string, button: 'Continue' | 'Cancel') => Promise<void>;
  /** Signs in through the sandbox's Google and waits for `landing`. */
  signIn: (email: string, landing?: string) => Promise<void>;
  /** A same-origin API call from the page, with the session cookie and the CSRF token, as the app makes them. */
  apiFromPage: <T = unknown>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
}

/**
 * One backend (in-process, PostgreSQL), the sandbox's Google and a Chromium page for a browser test file.
 * Call at the top of a `describe`; the returned object fills in during `beforeAll`.
 */
export function browserHarness(
  options: { env?: Record<string, string>; viewport?: { width: number; height: number } } = {},
): BrowserHarness {
  const h = {} as BrowserHarness;
  h.step = (name, fn) =>
    it(name, async () => {
      try {
        await fn();
      } catch (error) {
        const file = resolve(SHOTS, `failed-${name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}.png`);
        await h.page?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        (error as Error).message += `\n  (page: ${h.page?.url()}; screenshot: ${file})`;
        throw error;
      }
    });
  h.shot = (name) => h.page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });
  h.consent = async (email, button) => {
    await h.page.waitForURL((u) => u.pathname.startsWith('/o/oauth2/'));
    assert.match(await h.page.title(), /Google/);
    await h.page.getByLabel('Signed in as').fill(email);
    await h.page.getByRole('button', { name: button }).click();
  };
  h.signIn = async (email, landing = '/campaigns') => {
    await h.page.goto(`${h.t.baseUrl}${landing}`);
    await h.page.waitForURL((u) => u.pathname === '/signin');
    await h.page.getByRole('link', { name: 'Sign in with Google' }).click();
    await h.consent(email, 'Continue');
    await h.page.waitForURL((u) => u.pathname === landing);
  };
  h.apiFromPage = async (method, path, body) => {
    const csrf = (await h.page.context().cookies()).find((c) => c.name === 'cadence_csrf')?.value;
    return h.page.evaluate(
      async ({ method, path, body, csrf }) => {
        const res = await fetch(`/api/v1${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        return { status: res.status, body: text ? JSON.parse(text) : undefined };
      },
      { method, path, body, csrf: csrf && decodeURIComponent(csrf) },
    );
  };

  beforeAll(async () => {
    // Fail, never skip: a missing browser must not pass for a green run.
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium is not installed at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
    mkdirSync(SHOTS, { recursive: true });
    h.google = await startGoogleSandbox();
    h.t = await startTestApp({ env: { ...h.google.env, SIGNUP_MODE: 'open', SCHEDULER_INTERVAL_MS: '0', ...options.env } });
    assert.ok(
      webDistDir(h.t.app.get(Environment)),
      'The web UI is not built: run `npm run build -w web` (the root `npm run build` does it)',
    );
    h.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
    h.page = await h.browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 860 } });
    h.page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await h.browser?.close();
    await h.t?.close();
    await h.google?.close();
  });
  return h;
}
