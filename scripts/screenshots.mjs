// The README's screenshots, taken from the running demo (`npm start` in another terminal):
//   npm run screenshots            -> docs/screenshots/{campaigns,wizard,campaign-detail,...}.png
// It signs in through the demo's Google (the provider sandbox) as a new organization, adds a Twilio
// number at the sandbox, leads and an SMS template, walks the create-campaign wizard, launches it and waits
// on the detail page until the sandbox has delivered every message. Nothing here is mocked: the pictures
// show what a user sees. BASE_URL / SANDBOX_URL / CHROMIUM_PATH change where it looks.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'screenshots');
// 127.0.0.1, not localhost: Google sends the browser back to PUBLIC_URL, and the sign-in cookies belong to that host.
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
const SANDBOX_URL = process.env.SANDBOX_URL ?? 'http://127.0.0.1:4010';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const EMAIL = `demo-${Date.now().toString(36)}@cadence.test`;

const health = await fetch(`${BASE_URL}/health`).catch(() => null);
if (!health?.ok) {
  console.error(`screenshots: nothing answers at ${BASE_URL}/health. Start the demo first: npm start`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 960 }, deviceScaleFactor: 1 });
page.setDefaultTimeout(30_000);
const shot = async (name) => {
  // The sticky top bar would be drawn over the content of a full-page capture: capture the viewport.
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`screenshots: docs/screenshots/${name}.png`);
};

/** The app's own way of calling the API: same-origin, session cookie and CSRF token. */
async function api(method, path, body) {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'cadence_csrf')?.value;
  const res = await page.evaluate(
    async ({ method, path, body, csrf }) => {
      const r = await fetch(`/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    { method, path, body, csrf: csrf && decodeURIComponent(csrf) },
  );
  if (res.status >= 400) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

try {
  // Sign in with the demo's Google (the sandbox's consent page).
  await page.goto(`${BASE_URL}/campaigns`);
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/o/oauth2/'));
  await page.getByLabel('Signed in as').fill(EMAIL);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => u.pathname === '/campaigns');

  // What the other pages would set up: a Twilio number at the sandbox, an SMS template, leads.
  const channel = await api('POST', '/channels', {
    type: 'twilio',
    name: 'Demo line',
    config: { accountSid: 'AC00000000000000000000000000000001', from: '+14155550100', baseUrl: SANDBOX_URL },
    secrets: { authToken: 'sandbox-twilio-auth-token' },
  });
  // The number's inbound SMS URL, as Settings tells the user to set it in Twilio: replies reach the inbox.
  const numberSetup = await fetch(`${SANDBOX_URL}/_sandbox/twilio/numbers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ number: '+14155550100', smsUrl: channel.webhookUrls.inbound, accountSid: 'AC00000000000000000000000000000001' }),
  });
  if (!numberSetup.ok) throw new Error(`the sandbox refused the number's SMS URL: ${numberSetup.status}`);
  await api('POST', '/templates', {
    name: 'Spring offer',
    channel: 'sms',
    body: 'Hi {{ lead.first_name | default: "there" }}, our spring offers are here!',
  });
  const names = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John', 'Margaret', 'Ken', 'Radia', 'Tim'];
  await api(
    'POST',
    '/leads',
    // The sandbox's numbers ending 9993 answer (a reply for the inbox), 9991 fail: the other pages have something to show.
    names.map((firstName, i) => ({
      firstName,
      phone: `+1415555${i === 0 ? '9993' : i === 2 ? '9991' : String(1000 + i).padStart(4, '0')}`,
      consent: { sms: i % 6 !== 5 },
    })),
  );

  // The wizard, step by step; the review is the picture.
  await page.goto(`${BASE_URL}/campaigns/new`);
  const next = () => page.getByRole('button', { name: 'Next →' }).click();
  await page.getByLabel('Campaign name').fill('Spring offer');
  await next();
  await page.getByLabel('Step 1 channel').selectOption('sms');
  await page.getByLabel('Step 1 sender').selectOption({ label: 'Demo line (Twilio)' });
  await page.getByLabel('Step 1 template').selectOption({ label: 'Spring offer' });
  await page.getByTestId('template-preview').filter({ hasText: 'our spring offers are here' }).waitFor();
  await shot('wizard-steps');
  await next();
  await page.getByTestId('audience-count').filter({ hasText: '12 leads' }).waitFor();
  await next();
  await page.getByLabel('Rate (messages per second)').fill('2');
  // The wizard proposes US quiet hours for texts; the demo's numbers are the sandbox's, and the pictures are
  // taken at any hour, so the window is turned off here.
  await page.getByLabel('Only send during set hours').uncheck();
  await next();
  await page.getByTestId('review-eligible').filter({ hasText: '10' }).waitFor();
  // The pre-launch check: what will be skipped and why, and when the last message goes out.
  await page.getByRole('button', { name: 'Save and check' }).click();
  await page.getByTestId('check-eta').waitFor();
  await page.getByTestId('pre-launch-check').scrollIntoViewIfNeeded();
  await shot('wizard-review');

  // Launch: the detail page follows the campaign live (server-sent events) until it completes.
  await page.getByRole('button', { name: 'Launch' }).click();
  await page.waitForURL((u) => /^\/campaigns\/[0-9a-f-]{36}$/.test(u.pathname));
  await page.getByTestId('campaign-summary').getByText('Completed', { exact: true }).waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1500); // the chart's last bucket
  await shot('campaign-detail');

  const campaignPath = new URL(page.url()).pathname;

  // Ada's reply (the sandbox answers for …9993) is a conversation; opening it shows the thread and the reply box.
  await page.waitForTimeout(6000); // the sandbox's people answer a few seconds after delivery
  await page.goto(`${BASE_URL}/inbox`);
  await page.getByTestId('conversation-row').first().waitFor({ timeout: 60_000 });
  await page.getByTestId('conversation-row').first().click();
  await page.getByTestId('thread-entry').first().waitFor();
  await shot('inbox');

  // After the replies came in: the analytics count them.
  await page.goto(`${BASE_URL}${campaignPath}/analytics`);
  await page.getByText('Delivered').first().waitFor();
  await page.waitForTimeout(1000); // the chart
  await shot('analytics');

  // A hand-over asked for through the API (a web form would do the same), scored and put in the queue.
  const { items: leads } = await api('GET', '/leads?limit=3');
  for (const [i, lead] of leads.entries()) {
    await api('POST', '/callbacks', {
      leadId: lead.id,
      channel: 'voice',
      reason: ['Asked for a demo', 'Pricing question', 'Wants a call next week'][i],
      source: 'web_form',
    });
  }
  await page.goto(`${BASE_URL}/callbacks`);
  await page.getByTestId('callback-row').first().waitFor();
  await shot('callbacks');

  await page.goto(`${BASE_URL}/campaigns`);
  await page.getByRole('link', { name: 'Spring offer' }).first().waitFor();
  await shot('campaigns');
} catch (error) {
  await page.screenshot({ path: join(OUT, 'failed.png') }).catch(() => undefined);
  console.error(`screenshots: failed on ${page.url()} (docs/screenshots/failed.png): ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
