// The product in a browser, end to end: Chromium signs in through the sandbox's Google as a new user, walks
// the create-campaign wizard, launches, and watches the campaign complete on its detail page (live, no
// reload) while a real n8n sends through the provider sandbox; then exports the recipients as CSV, and
// pauses and resumes a larger campaign from the detail page. Senders, templates and leads are set up
// through the page's own same-origin API (they are other pages' flows).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { chromium } from 'playwright-core';
import { ROOT, startStack, waitFor } from './stack.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-results', 'browser');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'];
const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'];
/** Valid US numbers that none of the sandbox's behaviour conventions (…999x) touches. */
const phone = (block, i) => `+1415${block}${String(i).padStart(4, '0')}`;

describe('web UI end to end: wizard, live detail page, export, pause/resume, with a real n8n', () => {
  let s;
  let browser;
  let page;
  let campaignId;

  const counter = (status) => page.locator(`[data-testid="counters"] [data-status="${status}"] dd`);
  const badge = () => page.getByTestId('campaign-summary').locator('.badge');
  const sandboxTwilio = async () => (await s.sandboxApi('GET', '/messages?provider=twilio&limit=1000')).items;

  /** A same-origin API call from the page, with the session cookie and the CSRF token, as the app makes them. */
  async function api(method, path, body) {
    const csrf = (await page.context().cookies()).find((c) => c.name === 'cadence_csrf')?.value;
    const res = await page.evaluate(
      async ({ method, path, body, csrf }) => {
        const r = await fetch(`/api/v1${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await r.text();
        return { status: r.status, body: text ? JSON.parse(text) : undefined };
      },
      { method, path, body, csrf: csrf && decodeURIComponent(csrf) },
    );
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** An `it` that keeps a screenshot and the stack's last log lines when it fails. */
  const step = (name, fn) =>
    it(name, async () => {
      try {
        await fn();
      } catch (error) {
        const file = join(SHOTS, `e2e-failed-${name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}.png`);
        await page?.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        error.message += `\n  (page: ${page?.url()}; screenshot: ${file})\n${s?.logs.slice(-40).join('')}`;
        throw error;
      }
    });

  /** Waits until a counter of the detail page shows `value`, read as the user reads it. */
  const untilCounter = (status, value, timeoutMs = 120_000) =>
    waitFor(async () => (await counter(status).textContent()) === value, `the ${status} counter to show ${value}`, timeoutMs, 200);

  beforeAll(async () => {
    // Fail, never skip: a missing browser must not pass for a green run.
    assert.ok(existsSync(CHROMIUM), `Chromium is not installed at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    assert.ok(existsSync(join(ROOT, 'web', 'dist', 'index.html')), 'The web UI is not built: npm run build -w web');
    mkdirSync(SHOTS, { recursive: true });
    s = await startStack({ google: true });
    // Every SMS is delivered and nobody answers: the counts below are exact (the sandbox's seeded rates
    // would otherwise bounce about 3% of numbers).
    await s.sandboxApi('PUT', '/behaviour', { rates: { bounce: 0, reply: 0, unsubscribe: 0, complain: 0, stop: 0 } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page.setDefaultTimeout(30_000);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  step('a new user signs in through Google (the sandbox) and lands on the campaigns list', async () => {
    await page.goto(`${s.backendUrl}/campaigns`);
    await page.waitForURL((u) => u.pathname === '/signin');
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/o/oauth2/'));
    await page.getByLabel('Signed in as').fill('grace@e2e.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.pathname === '/campaigns');
    await page.getByText('No campaign yet').waitFor();
    const session = await api('GET', '/session');
    assert.equal(session.user.email, 'grace@e2e.test');
  });

  step('setup through the same-origin API: a Twilio number at the sandbox, an SMS template, 5 leads with SMS consent', async () => {
    await api('POST', '/channels', {
      type: 'twilio',
      name: 'E2E line',
      config: { accountSid: `AC${'7'.repeat(32)}`, from: '+14155550170', baseUrl: s.sandboxUrl },
      secrets: { authToken: 'sandbox-twilio-auth-token' },
    });
    await api('POST', '/templates', { name: 'Hello SMS', channel: 'sms', body: 'Hi {{ lead.first_name }}, your spring offer is here.' });
    const created = await api(
      'POST',
      '/leads',
      FIRST_NAMES.map((firstName, i) => ({ firstName, phone: phone('801', i), consent: { sms: true } })),
    );
    assert.equal(created.ids.length, 5);
  });

  step('the wizard, walked as a user, launches the campaign and lands on its detail page', async () => {
    await page.goto(`${s.backendUrl}/campaigns/new`);
    const next = () => page.getByRole('button', { name: 'Next →' }).click();
    await page.getByLabel('Campaign name').fill('Spring SMS');
    await next();
    await page.getByLabel('Step 1 channel').selectOption('sms');
    await page.getByLabel('Step 1 sender').selectOption({ label: 'E2E line (Twilio)' });
    await page.getByLabel('Step 1 template').selectOption({ label: 'Hello SMS' });
    // Rendered by the backend for the first lead listed (leads created in one request share their creation time).
    await page
      .getByTestId('template-preview')
      .filter({ hasText: new RegExp(`^Hi (${FIRST_NAMES.join('|')}), your spring offer is here\\.$`) })
      .waitFor();
    await next();
    await page.getByTestId('audience-count').filter({ hasText: '5 leads in the audience' }).waitFor();
    await next();
    await page.getByLabel('Rate (messages per second)').fill('5');
    // Texts to US numbers: the wizard proposes US quiet hours (08:00–21:00 in every US zone). This test sends
    // whatever the hour of its run, so it turns the window off (the window itself: web/test/send-window).
    const quietHours = page.getByLabel('Only send during set hours');
    assert.equal(await quietHours.isChecked(), true, 'the wizard proposes a send window for texts');
    await quietHours.uncheck();
    await next();
    await page.getByTestId('review-total').filter({ hasText: '5' }).waitFor();
    assert.equal(await page.getByTestId('review-eligible').textContent(), '5');
    await page.screenshot({ path: join(SHOTS, 'e2e-1-review.png'), fullPage: true });
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.waitForURL((u) => /^\/campaigns\/[0-9a-f-]{36}$/.test(u.pathname));
    campaignId = new URL(page.url()).pathname.split('/')[2];
    await page.getByRole('heading', { name: 'Spring SMS', level: 1 }).waitFor();
  });

  step('the detail page follows the campaign to completion without a reload: 5 delivered', async () => {
    const navigations = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    await untilCounter('delivered', '5');
    await badge().getByText('Completed').waitFor({ timeout: 60_000 });
    assert.equal(await counter('total').textContent(), '5');
    for (const status of ['queued', 'failed', 'unknown', 'skipped']) assert.equal(await counter(status).textContent(), '0', status);
    assert.equal(await page.getByRole('progressbar', { name: 'Messages with an outcome' }).getAttribute('aria-valuenow'), '5');
    await waitFor(async () => (await page.getByTestId('recipient').count()) === 5, 'the recipients table to list 5 messages', 30_000, 200);
    await page.getByTestId('timeline-totals').filter({ hasText: '5 delivered' }).waitFor();
    assert.deepEqual(navigations, [], 'the page was not reloaded nor left');
    // What the page shows is what the API says; the campaign is the signed-in user's organization's alone.
    const shown = await api('GET', `/campaigns/${campaignId}`);
    assert.equal(shown.status, 'completed');
    assert.equal(shown.counts.delivered, 5);
    assert.equal((await s.api('GET', `/campaigns/${campaignId}`)).status, 404, 'not visible to the other organization');
    await page.screenshot({ path: join(SHOTS, 'e2e-2-detail-completed.png'), fullPage: true });

    // What the provider received: one personalised SMS per lead, from the sender's number.
    const received = (await sandboxTwilio()).filter((m) => m.to.startsWith('+1415801'));
    assert.equal(received.length, 5);
    for (const [i, name] of FIRST_NAMES.entries()) {
      const sms = received.find((m) => m.to === phone('801', i));
      assert.ok(sms, `an SMS to ${phone('801', i)}`);
      assert.equal(sms.body, `Hi ${name}, your spring offer is here.`);
      assert.equal(sms.from, '+14155550170');
    }
  });

  step('the recipients export downloads a CSV of the 5 delivered messages', async () => {
    const recipients = page.getByRole('region', { name: 'Recipients' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      recipients.getByRole('link', { name: 'Export all (CSV)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'spring-sms-recipients.csv');
    const lines = readFileSync(await download.path(), 'utf8')
      .split('\r\n')
      .filter(Boolean);
    assert.match(lines[0], /^message_id,lead_id,step,channel,to,status,/);
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => l.split(','));
    assert.equal(rows.length, 5);
    assert.ok(rows.every((r) => r[header.indexOf('status')] === 'delivered' && r[header.indexOf('channel')] === 'sms'));
    // Phone numbers are quoted with a leading apostrophe so spreadsheets do not run them as formulas.
    assert.deepEqual(rows.map((r) => r[header.indexOf('to')]).sort(), FIRST_NAMES.map((_, i) => `"'${phone('801', i)}"`).sort());
  });

  step(
    'a 30-lead campaign at 1 msg/s is launched, paused and resumed from its detail page (each confirmed) and finishes with no duplicates',
    async () => {
      const created = await api(
        'POST',
        '/leads',
        Array.from({ length: 30 }, (_, i) => ({ firstName: `Lead${i}`, phone: phone('802', i), consent: { sms: true } })),
      );
      const channels = await api('GET', '/channels');
      const templates = await api('GET', '/templates');
      const slow = await api('POST', '/campaigns', {
        name: 'Slow drip',
        type: 'blast',
        sender: { channelId: channels.items.find((c) => c.name === 'E2E line').id },
        audience: { leadIds: created.ids },
        steps: [{ channel: 'sms', templateId: templates.items.find((t) => t.name === 'Hello SMS').id }],
        settings: { ratePerSecond: 1 },
      });
      await page.goto(`${s.backendUrl}/campaigns/${slow.id}`);
      await badge().getByText('Draft').waitFor();
      const navigations = [];
      page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));

      await page.getByRole('button', { name: 'Launch' }).click();
      await page.getByRole('dialog', { name: 'Launch this campaign?' }).getByRole('button', { name: 'Launch' }).click();
      await badge().getByText('Sending').waitFor();
      await untilCounter('total', '30');
      // Let a few go out, then pause.
      const delivered = async () => Number((await counter('delivered').textContent()).replace(/\D/g, ''));
      await waitFor(async () => (await delivered()) >= 3, 'a few deliveries', 60_000, 200);
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('dialog', { name: 'Pause this campaign?' }).getByRole('button', { name: 'Pause' }).click();
      await badge().getByText('Paused').waitFor();
      // What was already handed to n8n may still land; after that, nothing more is sent while paused.
      const atProvider = async () => (await sandboxTwilio()).filter((m) => m.to.startsWith('+1415802')).length;
      await new Promise((r) => setTimeout(r, 3_000));
      const whilePaused = await atProvider();
      await new Promise((r) => setTimeout(r, 4_000));
      assert.equal(await atProvider(), whilePaused, 'nothing is sent while paused');
      assert.ok(whilePaused < 30, `paused before the end (${whilePaused} sent)`);
      await page.screenshot({ path: join(SHOTS, 'e2e-3-detail-paused.png'), fullPage: true });

      await page.getByRole('button', { name: 'Resume' }).click();
      await page.getByRole('dialog', { name: 'Resume this campaign?' }).getByRole('button', { name: 'Resume' }).click();
      await badge().getByText('Sending').waitFor();
      await untilCounter('delivered', '30', 180_000);
      await badge().getByText('Completed').waitFor({ timeout: 60_000 });
      assert.deepEqual(navigations, [], 'the page was not reloaded nor left');

      const received = (await sandboxTwilio()).filter((m) => m.to.startsWith('+1415802'));
      assert.equal(received.length, 30);
      assert.equal(new Set(received.map((m) => m.to)).size, 30, 'each lead received it once');
      assert.equal((await s.sandboxApi('GET', '/duplicates')).total, 0);
      await page.screenshot({ path: join(SHOTS, 'e2e-4-detail-resumed-completed.png'), fullPage: true });
    },
  );
});
