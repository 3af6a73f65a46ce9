import assert from 'node:assert/strict';
import { beforeAll, describe } from '@jest/globals';
import { browserHarness } from './harness';
import { wizardSteps } from './wizard-steps';

/**
 * A campaign's send window walked in the wizard: an SMS campaign starts with the TCPA hours proposed (every day
 * 08:00–21:00, the browser's zone for leads without one), changed to weekdays 09:00–17:00 New York time, checked on
 * the step (until before from, a zone that is none), refused by the server and shown at the field, reviewed and
 * saved; the draft reopens with it, the campaign page says it in words, and turned off it leaves the payload. An
 * email campaign starts without one, until a step texts.
 */
describe('send window in a real browser', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { created, next, heading, oneStepCampaign } = wizardSteps(h);
  const { step } = h;
  let campaignId = '';

  // A browser in Berlin: the zone a new window proposes for leads without one is the browser's, seen here.
  beforeAll(async () => {
    await h.page.close();
    h.page = await h.browser.newPage({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin' });
    h.page.setDefaultTimeout(20_000);
  });

  const sendWindow = () => h.page.getByRole('group', { name: 'Send window' });
  const toggle = () => sendWindow().getByRole('checkbox', { name: 'Only send during set hours' });
  const days = () => sendWindow().getByRole('group', { name: 'Days' });
  const day = (short: string) => days().getByRole('checkbox', { name: short, exact: true });
  const from = () => sendWindow().getByLabel('From', { exact: true });
  const until = () => sendWindow().getByLabel('Until', { exact: true });
  const zone = () => sendWindow().getByLabel('Time zone for leads without one');
  const law = () => sendWindow().getByTestId('send-window-law');
  const timing = (line: string) => h.page.locator(`[data-testid="timing"] [data-line="${line}"] dd`);
  const settingsOf = async (id: string) =>
    (await h.apiFromPage<{ settings: Record<string, unknown> }>('GET', `/campaigns/${id}`)).body.settings;
  const checkedDays = async () => {
    const out: string[] = [];
    for (const d of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) if (await day(d).isChecked()) out.push(d);
    return out.join(' ');
  };
  const smsStep = async (n = 1) => {
    await h.page.getByLabel(`Step ${n} channel`).selectOption('sms');
    await h.page.getByLabel(`Step ${n} sender`).selectOption({ label: 'Text line (Twilio)' });
    await h.page.getByLabel(`Step ${n} template`).selectOption({ label: 'Reminder SMS' });
  };

  step('an SMS campaign starts with the TCPA hours proposed: every day 08:00–21:00, the browser’s zone, and why', async () => {
    await h.signIn('win@acme.test', '/campaigns');
    await created('/channels', {
      type: 'twilio',
      name: 'Text line',
      config: { accountSid: `AC${'8'.repeat(32)}`, from: '+14155550100', baseUrl: h.google.sandbox.url },
      secrets: { authToken: 'sandbox-auth-token-123' },
    });
    await created('/channels', {
      type: 'mailgun',
      name: 'Newsletter',
      config: { domain: 'mg.acme.test', from: 'news@acme.test', baseUrl: h.google.sandbox.url },
      secrets: { apiKey: 'key-sandbox', webhookSigningKey: 'sign-sandbox' },
    });
    await created('/templates', { name: 'Reminder SMS', channel: 'sms', body: 'Hi {{ lead.firstName }}, your visit is tomorrow.' });
    await created('/templates', { name: 'Reminder email', channel: 'email', subject: 'Tomorrow', text: 'Your visit is tomorrow.' });
    await created('/leads', { firstName: 'Ana', email: 'ana@acme.test', phone: '+14158050001', consent: { sms: true } });

    await h.page.goto(`${h.t.baseUrl}/campaigns/new`);
    await heading('Name & type');
    await h.page.getByLabel('Campaign name').fill('Visit reminders');
    await next();
    await heading('Steps');
    await smsStep();
    await next();
    await heading('Audience');
    await next();
    await heading('Settings');

    assert.ok(await toggle().isChecked(), 'proposed for a campaign that texts');
    assert.equal(await checkedDays(), 'Mon Tue Wed Thu Fri Sat Sun');
    assert.equal(await from().inputValue(), '08:00');
    assert.equal(await until().inputValue(), '21:00');
    assert.equal(await zone().inputValue(), 'Europe/Berlin');
    assert.equal(
      await law().textContent(),
      'US law (TCPA) allows texts and calls 08:00–21:00 in the recipient’s time, so this window is proposed for a campaign that texts or calls.',
    );
    await sendWindow().getByText('Messages due outside them wait and go when the window opens').waitFor();
    await h.shot('send-window-1-proposed');
  });

  step('checked on the step: until before from, a zone that is none; hours past 21:00 warn about the law', async () => {
    await until().fill('07:00');
    await next();
    await h.page.getByRole('alert').filter({ hasText: 'Until must be after From' }).waitFor();
    assert.equal(await until().getAttribute('aria-invalid'), 'true');
    await sendWindow()
      .getByText(/^Until must be after From: the window closes on the day it opens/)
      .waitFor();
    await heading('Settings');

    // Later than the law allows: still saved if the user wants it, but said.
    await until().fill('22:00');
    await law().filter({ hasText: 'this window would text or call US numbers outside those hours.' }).waitFor();
    assert.equal(await until().getAttribute('aria-invalid'), null);

    await zone().fill('America/Nowhere');
    await next();
    await h.page.getByRole('alert').filter({ hasText: 'Not a time zone' }).waitFor();
    assert.equal(await zone().getAttribute('aria-invalid'), 'true');
    await h.shot('send-window-2-refused-on-step');
  });

  step('changed to Mon–Fri 09:00–17:00, New York for leads without a zone: reviewed in words, saved as such', async () => {
    await days().getByRole('button', { name: 'Mon–Fri' }).click();
    assert.equal(await checkedDays(), 'Mon Tue Wed Thu Fri');
    // "9" reads as 09:00 once the field is left.
    await from().fill('9');
    await until().click();
    assert.equal(await from().inputValue(), '09:00');
    await until().fill('17:00');
    await zone().fill('America/New_York');
    assert.equal(
      await law().textContent(),
      'US law (TCPA) allows texts and calls 08:00–21:00 in the recipient’s time, so this window is proposed for a campaign that texts or calls.',
    );
    await h.shot('send-window-3-weekdays');
    await next();

    await heading('Review');
    await h.page.getByRole('heading', { name: 'Timing', level: 2 }).waitFor();
    assert.equal(await timing('sendWindow').textContent(), 'Mon–Fri, 09:00–17:00 in each lead’s time (else America/New_York)');
    assert.equal(await timing('law').count(), 0, 'inside the TCPA hours: nothing to warn about');
    await h.page.getByText('Messages due outside the send window wait for it to open').waitFor();
    await h.shot('send-window-4-review');
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.waitForURL((u) => /^\/campaigns\/[0-9a-f-]{36}\/edit$/.test(u.pathname));
    campaignId = new URL(h.page.url()).pathname.split('/')[2]!;
    assert.deepEqual(await settingsOf(campaignId), {
      sendWindow: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timezone: 'America/New_York' },
    });
  });

  step('the draft reopens with the window; a window the server refuses is shown at its field', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}/edit`);
    await h.page.getByRole('heading', { name: 'Edit draft: Visit reminders', level: 1 }).waitFor();
    await h.page.getByRole('button', { name: 'Settings' }).click();
    await heading('Settings');
    assert.ok(await toggle().isChecked());
    assert.equal(await checkedDays(), 'Mon Tue Wed Thu Fri');
    assert.equal(await from().inputValue(), '09:00');
    assert.equal(await until().inputValue(), '17:00');
    assert.equal(await zone().inputValue(), 'America/New_York');
    assert.equal(await law().textContent(), 'US law (TCPA) allows texts and calls 08:00–21:00 in the recipient’s time.');
    await h.shot('send-window-5-reopened');

    // The step lets no such window through, so the save is changed on its way to the real server to see its answer
    // (validation_failed, field settings.sendWindow.end) land under the field.
    const patch = `${h.t.baseUrl}/api/v1/campaigns/${campaignId}`;
    await h.page.route(patch, async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      const body = JSON.parse(route.request().postData() ?? '{}') as { settings: { sendWindow: { end: string } } };
      body.settings.sendWindow.end = '08:00';
      await route.continue({ postData: JSON.stringify(body) });
    });
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.getByRole('alert').filter({ hasText: 'sendWindow.end must be after sendWindow.start' }).waitFor();
    await h.page.unroute(patch);
    await sendWindow()
      .getByText(/^sendWindow\.end must be after sendWindow\.start$/)
      .waitFor();
    assert.equal(await until().getAttribute('aria-invalid'), 'true');
    await h.shot('send-window-6-server-refused');
    assert.deepEqual(await settingsOf(campaignId), {
      sendWindow: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timezone: 'America/New_York' },
    });
    // Once the window changes, the server's verdict on the old one is gone.
    await until().fill('18:00');
    await sendWindow()
      .getByText(/^sendWindow\.end must be after/)
      .waitFor({ state: 'detached' });
    assert.equal(await until().getAttribute('aria-invalid'), null);
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.getByText('Draft “Visit reminders” saved').waitFor();
    assert.deepEqual(await settingsOf(campaignId), {
      sendWindow: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', timezone: 'America/New_York' },
    });
  });

  step('the campaign page says the window in words', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}`);
    await h.page.getByRole('heading', { name: 'Timing', level: 2 }).waitFor();
    assert.equal(await timing('sendWindow').textContent(), 'Mon–Fri, 09:00–18:00 in each lead’s time (else America/New_York)');
    assert.equal(await timing('startAt').textContent(), 'At launch');
    assert.equal(await timing('law').count(), 0);
    await h.shot('send-window-7-campaign-page');
  });

  step('turned off: the window leaves the payload; the review and the campaign page say texts may go at any hour', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}/edit`);
    await h.page.getByRole('heading', { name: 'Edit draft: Visit reminders', level: 1 }).waitFor();
    await h.page.getByRole('button', { name: 'Settings' }).click();
    await heading('Settings');
    await toggle().uncheck();
    assert.equal(await days().count(), 0);
    assert.equal(await from().count(), 0);
    await law().filter({ hasText: 'without a window, US numbers may be texted or called at any hour.' }).waitFor();
    await h.shot('send-window-8-off');
    await next();
    await heading('Review');
    assert.equal(await timing('sendWindow').textContent(), 'Any time: no send window');
    assert.match((await timing('law').textContent()) ?? '', /without a window, US numbers may be texted or called at any hour$/);
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.getByText('Draft “Visit reminders” saved').waitFor();
    assert.deepEqual(await settingsOf(campaignId), {});

    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}`);
    await h.page.getByRole('heading', { name: 'Timing', level: 2 }).waitFor();
    assert.equal(await timing('sendWindow').textContent(), 'Any time: no send window');
    await timing('law').waitFor();
  });

  step('an email campaign starts without a window; a text step brings the proposal until the user chooses', async () => {
    await oneStepCampaign({ name: 'Visit reminder emails', channel: 'email', sender: 'Newsletter (Mailgun)', template: 'Reminder email' });
    await next();
    await heading('Settings');
    assert.equal(await toggle().isChecked(), false);
    assert.equal(await days().count(), 0);
    assert.equal(await law().count(), 0, 'no law note for email');
    await h.shot('send-window-9-email-off');

    // Still the wizard's proposal: the step turned into a text brings the TCPA hours.
    await h.page.getByRole('button', { name: 'Steps' }).click();
    await heading('Steps');
    await smsStep();
    await h.page.getByRole('button', { name: 'Settings' }).click();
    await heading('Settings');
    assert.ok(await toggle().isChecked());
    assert.equal(await from().inputValue(), '08:00');
    // The user's choice holds from then on, whatever the steps.
    await toggle().uncheck();
    await h.page.getByRole('button', { name: 'Steps' }).click();
    await heading('Steps');
    await h.page.getByRole('button', { name: 'Settings' }).click();
    await heading('Settings');
    assert.equal(await toggle().isChecked(), false);
    await next();
    await heading('Review');
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.waitForURL((u) => /^\/campaigns\/[0-9a-f-]{36}\/edit$/.test(u.pathname));
    const id = new URL(h.page.url()).pathname.split('/')[2];
    assert.deepEqual(await settingsOf(id), {});
  });
});
