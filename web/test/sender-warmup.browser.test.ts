import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { resolve } from 'node:path';
import { browserHarness, SHOTS } from './harness';

const SID = `AC${'1'.repeat(32)}`;
const DAY_MS = 86_400_000;

interface Warmup {
  startPerDay: number;
  growthPercent: number;
  targetPerDay: number;
  startedAt: string;
  day: number;
  capToday: number;
  sentLast24h: number;
  complete: boolean;
  completesAt: string;
}

describe('Settings in a real browser: sender warm-up of a channel and a Gmail mailbox (start, progress, change, refused, stop)', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  const channel = () => h.page.locator('[data-testid="channel"]', { hasText: 'SMS line' });
  const mailbox = () => h.page.locator('[data-testid="mailbox"]', { hasText: 'sales@acme.test' });
  const confirm = async (title: string, button: string) => {
    const dialog = h.page.getByRole('dialog', { name: title });
    await dialog.getByRole('button', { name: button }).click();
    await dialog.waitFor({ state: 'hidden' });
  };
  /** The page's own date words ("Dec 14"), so the expectation follows the browser's locale like the page does. */
  const shortDate = (iso: string) =>
    h.page.evaluate((iso) => {
      const d = new Date(iso);
      const year = d.getFullYear() === new Date().getFullYear() ? undefined : 'numeric';
      return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year }).format(d);
    }, iso);
  /** The text a field's error paragraph shows, found through the input's aria-describedby as a screen reader would. */
  const fieldError = async (form: ReturnType<typeof h.page.getByRole>, label: string) => {
    const input = form.getByLabel(label, { exact: true });
    assert.equal(await input.getAttribute('aria-invalid'), 'true', `${label} is marked invalid`);
    const ids = (await input.getAttribute('aria-describedby'))!.split(' ');
    return h.page.locator(`[id="${ids.at(-1)}"]`).textContent();
  };

  let channelId: string;
  let started: Warmup;

  step('signs in; a Twilio channel with a daily cap of 300 has no warm-up and offers to start one', async () => {
    await h.signIn('ann@acme.test', '/settings');
    const created = await h.apiFromPage<{ id: string }>('POST', '/channels', {
      type: 'twilio',
      name: 'SMS line',
      config: { accountSid: SID, from: '+14155550100', baseUrl: h.google.sandbox.url, dailyCap: 300 },
      secrets: { authToken: 'sandbox-auth-token-123' },
    });
    assert.equal(created.status, 201);
    channelId = created.body.id;
    await h.page.reload();
    await channel().getByRole('button', { name: 'Start a warm-up of SMS line' }).waitFor();
    assert.equal(await channel().getByTestId('warmup-progress').count(), 0);
    assert.equal((await h.apiFromPage('GET', `/channels/${channelId}/warmup`)).status, 404);
  });

  step('starts a warm-up through the form (defaults: 20, 20 %, the channel’s cap) and shows day 0 with today’s cap', async () => {
    await channel().getByRole('button', { name: 'Start a warm-up of SMS line' }).click();
    const form = h.page.getByRole('form', { name: 'Start a warm-up of SMS line' });
    assert.equal(await form.getByLabel('First day (messages)').inputValue(), '20');
    assert.equal(await form.getByLabel('Daily growth (%)').inputValue(), '20');
    assert.equal(await form.getByLabel('Target per day').inputValue(), '300');
    await form.getByText('The daily cap once the ramp is over.').waitFor();
    await form.getByLabel('First day (messages)').fill('30');
    await form.getByLabel('Daily growth (%)').fill('25.5');
    await form.getByLabel('Target per day').fill('400');
    // Above the channel's own cap: allowed, and the form says which limit wins.
    await form.getByText('SMS line’s own daily cap (300) still applies.').waitFor();
    // 30 · 1.255^d floored reaches 400 on day 12: the preview says so before anything is saved.
    await form.getByText(/^Reaches 400\/day on day 12 \(/).waitFor();
    await channel().screenshot({ path: resolve(SHOTS, 'warmup-start-form.png') });
    await form.getByRole('button', { name: 'Start warm-up' }).click();
    await form.waitFor({ state: 'detached' });

    const got = await h.apiFromPage<Warmup>('GET', `/channels/${channelId}/warmup`);
    assert.equal(got.status, 200);
    started = got.body;
    assert.equal(started.startPerDay, 30);
    assert.equal(started.growthPercent, 25.5);
    assert.equal(started.targetPerDay, 400);
    assert.equal(started.day, 0);
    assert.equal(started.capToday, 30);
    assert.equal(started.complete, false);
    assert.ok(Math.abs(Date.parse(started.startedAt) - Date.now()) < 60_000, 'the ramp starts now');
    assert.equal(Date.parse(started.completesAt) - Date.parse(started.startedAt), 12 * DAY_MS);

    const line = channel().getByTestId('warmup-progress');
    assert.equal(
      await line.textContent(),
      `Day 0 of the warm-up: 0 of today’s 30 used (last 24 h) · reaches 400/day on ${await shortDate(started.completesAt)}`,
    );
    const bar = channel().getByRole('progressbar', { name: 'Warm-up of SMS line: today’s cap on the way to the target' });
    assert.equal(await bar.getAttribute('aria-valuenow'), '30');
    assert.equal(await bar.getAttribute('aria-valuemax'), '400');
    await bar.getByText('30/day of 400/day').waitFor();
    await channel().screenshot({ path: resolve(SHOTS, 'warmup-channel-running.png') });
  });

  step('Change opens the form prefilled; saving keeps the ramp’s day and updates the line', async () => {
    await channel().getByRole('button', { name: 'Change the warm-up of SMS line' }).click();
    const form = h.page.getByRole('form', { name: 'Change the warm-up of SMS line' });
    assert.equal(await form.getByLabel('First day (messages)').inputValue(), '30');
    assert.equal(await form.getByLabel('Daily growth (%)').inputValue(), '25.5');
    assert.equal(await form.getByLabel('Target per day').inputValue(), '400');
    await form.getByLabel('First day (messages)').fill('50');
    await form.getByLabel('Daily growth (%)').fill('30');
    await form.getByLabel('Target per day').fill('600');
    await form.getByText(/^Today is day 0\. Reaches 600\/day on day 10 \(/).waitFor();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });

    const got = await h.apiFromPage<Warmup>('GET', `/channels/${channelId}/warmup`);
    assert.deepEqual(
      { start: got.body.startPerDay, growth: got.body.growthPercent, target: got.body.targetPerDay, cap: got.body.capToday },
      { start: 50, growth: 30, target: 600, cap: 50 },
    );
    assert.equal(got.body.startedAt, started.startedAt, 'a change is not a restart');
    assert.equal(
      await channel().getByTestId('warmup-progress').textContent(),
      `Day 0 of the warm-up: 0 of today’s 50 used (last 24 h) · reaches 600/day on ${await shortDate(got.body.completesAt)}`,
    );
  });

  step('a target below the first day is refused at its field and nothing is saved', async () => {
    await channel().getByRole('button', { name: 'Change the warm-up of SMS line' }).click();
    const form = h.page.getByRole('form', { name: 'Change the warm-up of SMS line' });
    await form.getByLabel('Target per day').fill('40');
    let puts = 0;
    const countPuts = (r: { method: () => string; url: () => string }) => {
      if (r.method() === 'PUT' && r.url().includes('/warmup')) puts++;
    };
    h.page.on('request', countPuts);
    await form.getByRole('button', { name: 'Save changes' }).click();
    assert.equal(await fieldError(form, 'Target per day'), 'Must be at least the first day’s 50: the ramp only grows.');
    // Fixed as typed, once the first Save showed the problem.
    await form.getByLabel('First day (messages)').fill('abc');
    assert.equal(await fieldError(form, 'First day (messages)'), 'Enter a whole number of messages from 1 to 1,000,000.');
    await form.getByLabel('Daily growth (%)').fill('12.345');
    assert.equal(await fieldError(form, 'Daily growth (%)'), 'Enter a percentage from 1 to 100, with at most two decimals.');
    await channel().screenshot({ path: resolve(SHOTS, 'warmup-refused.png') });
    h.page.off('request', countPuts);
    assert.equal(puts, 0, 'the form sent nothing');
    const got = await h.apiFromPage<Warmup>('GET', `/channels/${channelId}/warmup`);
    assert.equal(got.body.targetPerDay, 600);
    assert.equal(got.body.startPerDay, 50);
  });

  step('the API’s own field errors land at the fields too (a body the form would not send, rewritten on the way)', async () => {
    const form = h.page.getByRole('form', { name: 'Change the warm-up of SMS line' });
    await form.getByLabel('First day (messages)').fill('50');
    await form.getByLabel('Daily growth (%)').fill('30');
    await form.getByLabel('Target per day').fill('600');
    // The client checks mirror the API's, so only a request changed in flight reaches its refusal.
    await h.page.route('**/api/v1/channels/*/warmup', (route) =>
      route.request().method() === 'PUT'
        ? route.continue({ postData: JSON.stringify({ startPerDay: 50, growthPercent: 30, targetPerDay: 10 }) })
        : route.continue(),
    );
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByRole('alert').filter({ hasText: '(validation_failed)' }).waitFor();
    assert.equal(await fieldError(form, 'Target per day'), 'targetPerDay must be at least startPerDay');
    await h.page.unrouteAll();
    // Editing the field drops the answer about the values sent.
    await form.getByLabel('Target per day').fill('601');
    assert.equal(await form.getByLabel('Target per day').getAttribute('aria-invalid'), null);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });
    assert.equal((await h.apiFromPage<Warmup>('GET', `/channels/${channelId}/warmup`)).body.targetPerDay, 600);
  });

  step('Stop asks first, then removes the warm-up (API 404) and offers to start one again', async () => {
    await channel().getByRole('button', { name: 'Stop the warm-up of SMS line' }).click();
    // "Keep as is" changes nothing.
    await confirm('Stop the warm-up of SMS line?', 'Keep as is');
    assert.equal((await h.apiFromPage('GET', `/channels/${channelId}/warmup`)).status, 200);
    await channel().getByRole('button', { name: 'Stop the warm-up of SMS line' }).click();
    await confirm('Stop the warm-up of SMS line?', 'Stop warm-up');
    await channel().getByRole('button', { name: 'Start a warm-up of SMS line' }).waitFor();
    assert.equal(await channel().getByTestId('warmup-progress').count(), 0);
    const gone = await h.apiFromPage<{ code: string }>('GET', `/channels/${channelId}/warmup`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.code, 'not_found');
  });

  let accountId: string;

  step('a connected Gmail mailbox: starts a warm-up with the defaults (its Workspace cap of 2,000/day as the target)', async () => {
    await h.page.getByRole('link', { name: 'Connect Gmail' }).click();
    await h.consent('sales@acme.test', 'Continue');
    await h.page.waitForURL((u) => u.pathname === '/settings');
    await mailbox().getByText('Connected', { exact: true }).waitFor();
    const accounts = await h.apiFromPage<{ items: Array<{ id: string; email: string; dailyCap: number }> }>('GET', '/email-accounts');
    const account = accounts.body.items.find((a) => a.email === 'sales@acme.test')!;
    accountId = account.id;
    assert.equal(account.dailyCap, 2000);

    await mailbox().getByRole('button', { name: 'Start a warm-up of sales@acme.test' }).click();
    const form = h.page.getByRole('form', { name: 'Start a warm-up of sales@acme.test' });
    assert.equal(await form.getByLabel('Target per day').inputValue(), '2000');
    await mailbox().screenshot({ path: resolve(SHOTS, 'warmup-mailbox-form.png') });
    await form.getByRole('button', { name: 'Start warm-up' }).click();
    await form.waitFor({ state: 'detached' });
    const got = await h.apiFromPage<Warmup>('GET', `/email-accounts/${accountId}/warmup`);
    assert.deepEqual(
      { start: got.body.startPerDay, growth: got.body.growthPercent, target: got.body.targetPerDay, day: got.body.day },
      { start: 20, growth: 20, target: 2000, day: 0 },
    );
    assert.equal(
      await mailbox().getByTestId('warmup-progress').textContent(),
      `Day 0 of the warm-up: 0 of today’s 20 used (last 24 h) · reaches 2,000/day on ${await shortDate(got.body.completesAt)}`,
    );
    await mailbox().screenshot({ path: resolve(SHOTS, 'warmup-mailbox-running.png') });
  });

  step('a ramp begun four days ago reads as day 4; one past its target reads as complete, without a bar', async () => {
    const fourDaysAgo = new Date(Date.now() - 4 * DAY_MS - 60_000).toISOString();
    const day4 = await h.apiFromPage<Warmup>('PUT', `/email-accounts/${accountId}/warmup`, {
      startPerDay: 20,
      growthPercent: 20,
      targetPerDay: 500,
      startedAt: fourDaysAgo,
    });
    assert.equal(day4.status, 200);
    // 20 · 1.2^4 = 41.47: 41 today.
    assert.equal(day4.body.capToday, 41);
    await h.page.reload();
    assert.equal(
      await mailbox().getByTestId('warmup-progress').textContent(),
      `Day 4 of the warm-up: 0 of today’s 41 used (last 24 h) · reaches 500/day on ${await shortDate(day4.body.completesAt)}`,
    );

    const done = await h.apiFromPage<Warmup>('PUT', `/email-accounts/${accountId}/warmup`, {
      startPerDay: 20,
      growthPercent: 100,
      targetPerDay: 80,
      startedAt: fourDaysAgo,
    });
    assert.equal(done.body.complete, true);
    await h.page.reload();
    assert.equal(await mailbox().getByTestId('warmup-progress').textContent(), 'Warm-up complete: 80/day');
    assert.equal(await mailbox().getByRole('progressbar').count(), 0);
    await mailbox().screenshot({ path: resolve(SHOTS, 'warmup-mailbox-complete.png') });
  });

  step('stops the mailbox’s warm-up', async () => {
    await mailbox().getByRole('button', { name: 'Stop the warm-up of sales@acme.test' }).click();
    await confirm('Stop the warm-up of sales@acme.test?', 'Stop warm-up');
    await mailbox().getByRole('button', { name: 'Start a warm-up of sales@acme.test' }).waitFor();
    assert.equal((await h.apiFromPage('GET', `/email-accounts/${accountId}/warmup`)).status, 404);
  });
});
