import assert from 'node:assert/strict';
import { describe, expect, it } from '@jest/globals';
import { curlExampleLines } from '../src/pages/events/curl-example';
import { describeTrigger } from '../src/pages/campaigns/trigger-description';
import { browserHarness } from './harness';

/** The trigger in words: what the campaign page and the wizard's review print, line by line. */
describe('describeTrigger', () => {
  it('says the event, its conditions, re-entry, the exit events and the frequency cap', () => {
    const lines = describeTrigger(
      {
        event: 'signup',
        conditions: [
          { property: 'plan', operator: 'equals', value: 'pro' },
          { property: 'cart.total', operator: 'greater_than', value: 100 },
          { property: 'coupon', operator: 'not_exists' },
          { property: 'beta', operator: 'not_equals', value: true },
        ],
        reentry: 'after_exit',
        reentryAfterSeconds: 93_600,
        exitOn: [{ event: 'purchase', conditions: [{ property: 'tags', operator: 'contains', value: 'vip' }] }, { event: 'unsubscribe' }],
      },
      { limit: 3, periodHours: 168 },
    );
    expect(Object.fromEntries(lines.map((l) => [l.label, l.text]))).toEqual({
      'Enrolls on': 'Each “signup” event enrolls its lead.',
      'Only if': 'plan is "pro" and cart.total is greater than 100 and coupon is not set and beta is not true.',
      'Re-entry':
        'A lead enrolls again once its previous enrollment has ended (completed or exited), at least 1 day 2 hours after its previous entry.',
      'Leaves on': 'A “purchase” event where tags contains "vip", or an “unsubscribe” event: the lead’s remaining steps are skipped.',
      'Frequency cap': 'At most 3 messages per lead and channel in 7 days, counting every campaign; a message over the cap is skipped.',
    });
  });

  it('says what happens without conditions, re-entry, exit events or a cap', () => {
    const lines = describeTrigger({ event: 'order.placed', conditions: [], reentry: 'never', exitOn: [] }, null);
    expect(lines.map((l) => l.text)).toEqual([
      'Each “order.placed” event enrolls its lead.',
      'Always: no condition on the event’s properties.',
      'Never: a lead enrolls once, ever.',
      'No exit event: an enrolled lead goes through every step.',
      'None.',
    ]);
    expect(describeTrigger({ event: 'x', reentry: 'after_exit', reentryAfterSeconds: 3600 }, { limit: 1, periodHours: 1 })[2].text).toBe(
      'A lead enrolls again once its previous enrollment has ended (completed or exited), at least 1 hour after its previous entry.',
    );
    expect(curlExampleLines('https://cadence.example.com')[0]).toBe('curl -X POST https://cadence.example.com/api/v1/events \\');
  });
});

/**
 * A triggered campaign walked as a user: built in the wizard (a condition, re-entry, an exit event, a
 * frequency cap), saved, reopened (the trigger round-trips), launched; events posted through the API
 * (session and API key) enroll leads live on the campaign's page, an exit event turns one into "exited",
 * and the Events page lists them and filters by name.
 */
describe('event-triggered campaigns in a real browser', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { step } = h;
  let campaignId = '';
  let apiKey = '';

  const ok = <T>(r: { status: number; body: T }, path = '') => {
    assert.ok(r.status < 300, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const next = () => h.page.getByRole('button', { name: 'Next →' }).click();
  const heading = (text: string, of = 6) => h.page.getByRole('heading', { name: new RegExp(`Step \\d of ${of}: ${text}`) }).waitFor();
  /** Polls what the page shows (the app's CSP forbids evaluated strings). */
  const until = async (check: () => Promise<boolean>, what: string, ms = 20_000) => {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 150))) if (await check()) return;
    throw new Error(`timed out waiting for ${what}`);
  };
  /** POST /api/v1/events with the API key, as a CRM or the curl of the Events page would. */
  const postEvent = async (body: Record<string, unknown>) => {
    const res = await fetch(`${h.t.baseUrl}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { enrollments: unknown[]; exits: unknown[]; duplicate: boolean };
    assert.ok(res.status === 201 || res.status === 200, `POST /events: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const stat = (status: string) => h.page.locator(`[data-testid="enrollment-summary"] [data-status="${status}"] dd`);
  const enrollmentRow = (who: string) => h.page.getByTestId('enrollment').filter({ hasText: who });

  step('signs in, sets up a Twilio number, an SMS template, three leads and an API key', async () => {
    await h.signIn('ann@acme.test', '/campaigns');
    ok(
      await h.apiFromPage('POST', '/channels', {
        type: 'twilio',
        name: 'Support line',
        config: { accountSid: `AC${'7'.repeat(32)}`, from: '+14155550100', baseUrl: h.google.sandbox.url },
        secrets: { authToken: 'sandbox-auth-token-123' },
      }),
      '/channels',
    );
    ok(await h.apiFromPage('POST', '/templates', { name: 'Welcome SMS', channel: 'sms', body: 'Hi {{ lead.firstName }}, welcome!' }));
    ok(await h.apiFromPage('POST', '/templates', { name: 'Tips SMS', channel: 'sms', body: 'Three tips for {{ lead.firstName }}.' }));
    ok(
      await h.apiFromPage('POST', '/leads', [
        { firstName: 'Ada', email: 'ada@acme.test', phone: '+14155550001', consent: { sms: true } },
        { firstName: 'Bob', email: 'bob@acme.test', phone: '+14155550002', consent: { sms: true } },
        { firstName: 'Cyd', email: 'cyd@acme.test', phone: '+14155550003', consent: { sms: true } },
      ]),
      '/leads',
    );
    apiKey = ok(await h.apiFromPage<{ key: string }>('POST', '/api-keys', { name: 'CRM' })).key;
    assert.match(apiKey, /^cad_/);
  });

  step('the Events page is in the nav and, with no event yet, shows how to send one', async () => {
    await h.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await h.page.waitForURL((u) => u.pathname === '/events');
    await h.page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    await h.page.getByText('No event yet').waitFor();
    const curl = (await h.page.getByTestId('curl-example').textContent()) ?? '';
    assert.ok(curl.includes(`curl -X POST ${h.t.baseUrl}/api/v1/events`), curl);
    assert.ok(curl.includes('Authorization: Bearer cad_YOUR_API_KEY'), curl);
    await h.page.getByTestId('events-empty').getByText('Cadence Event').waitFor();
    await h.shot('events-01-empty');
    // An event before any triggered campaign exists: recorded, nobody enrolled; its name becomes a suggestion.
    const early = await postEvent({ email: 'bob@acme.test', name: 'signup', properties: { plan: 'pro' } });
    assert.deepEqual(early.enrollments, []);
  });

  step('the wizard builds a triggered campaign: trigger with a condition, re-entry, an exit event and a frequency cap', async () => {
    await h.page.goto(`${h.t.baseUrl}/campaigns/new`);
    await h.page.getByLabel('Campaign name').fill('Welcome series');
    await h.page.getByRole('radio', { name: /Triggered by an event/ }).check();
    await next();

    await heading('Trigger');
    // Without an event name the step says why it cannot go on.
    await next();
    await h.page.getByRole('alert').filter({ hasText: 'Name the event' }).waitFor();
    // The name posted a moment ago is suggested.
    const eventName = h.page.getByLabel('Event name', { exact: true });
    const listId = await eventName.getAttribute('list');
    await h.page.locator(`datalist[id="${listId}"] option[value="signup"]`).waitFor({ state: 'attached' });
    await eventName.fill('signup');
    await h.page.getByRole('button', { name: '+ Add a condition' }).click();
    await h.page.getByLabel('Condition 1 property').fill('plan');
    assert.equal(await h.page.getByLabel('Condition 1 operator').inputValue(), 'equals');
    await h.page.getByLabel('Condition 1 value').fill('pro');
    // A second condition, then removed: the rows come and go.
    await h.page.getByRole('button', { name: '+ Add a condition' }).click();
    await h.page.getByLabel('Condition 2 operator').selectOption('exists');
    assert.equal(await h.page.getByLabel('Condition 2 value').count(), 0, 'exists takes no value');
    await h.page.getByRole('button', { name: 'Remove Condition 2' }).click();
    assert.equal(await h.page.getByTestId('trigger-condition').count(), 1);

    await h.page.getByRole('radio', { name: /Again, once the lead’s previous enrollment has ended/ }).check();
    await h.page.getByLabel('Minimum time between entries').fill('2');
    await h.page.getByLabel('Unit').selectOption('hours');
    await h.page.getByRole('button', { name: '+ Add an exit event' }).click();
    await h.page.getByLabel('Exit event 1 name').fill('purchase');
    // Half a frequency cap is refused.
    await h.page.getByLabel('Messages per lead and channel').fill('3');
    await next();
    await h.page.getByRole('alert').filter({ hasText: 'Give both the number of messages and the period, or neither' }).waitFor();
    await h.page.getByLabel('Period (hours)').fill('24');
    await h.shot('triggers-01-wizard-trigger');
    await next();

    await heading('Steps');
    await h.page.getByText('Sent first, after the event').waitFor();
    await h.page.getByText('After the event that enrolled the lead').waitFor();
    await h.page.getByLabel('Step 1 channel').selectOption('sms');
    await h.page.getByLabel('Step 1 sender').selectOption({ label: 'Support line (Twilio)' });
    await h.page.getByLabel('Step 1 template').selectOption({ label: 'Welcome SMS' });
    await h.page.getByRole('button', { name: '+ Add a step' }).click();
    await h.page.getByLabel('Step 2 template').selectOption({ label: 'Tips SMS' });
    await h.page.getByLabel('Step 2 delay (days)').fill('2');
    await next();

    await heading('Audience');
    await h.page.getByTestId('audience-triggered').getByText('restricts who may enroll').waitFor();
    assert.ok(await h.page.getByRole('radio', { name: 'All leads' }).isChecked());
    await h.page
      .getByTestId('audience-count')
      .filter({ hasText: /^3 leads may enroll$/ })
      .waitFor();
    await next();

    await heading('Settings');
    assert.equal(await h.page.getByLabel('Start at').count(), 0, 'a triggered campaign starts listening at launch');
    await next();

    await heading('Review');
    await h.page.getByTestId('review-launch-note').getByText('Launching enrolls nobody at once').waitFor();
    await h.page.getByTestId('review-total').filter({ hasText: '3' }).waitFor();
    const description = h.page.getByTestId('trigger-description');
    assert.equal(await description.locator('[data-line="conditions"] dd').textContent(), 'plan is "pro".');
    await description.getByText('at least 2 hours after its previous entry').waitFor();
    await description.getByText('A “purchase” event: the lead’s remaining steps are skipped.').waitFor();
    await description.getByText('At most 3 messages per lead and channel in 24 hours').waitFor();
    await h.page.getByText('SMS, 2 days after step 1, only if the lead has not replied').waitFor();
    await h.shot('triggers-02-wizard-review');
  });

  step('saved as a draft, the trigger and the frequency cap round-trip through the API and a reload', async () => {
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.waitForURL((u) => /^\/campaigns\/[0-9a-f-]{36}\/edit$/.test(u.pathname));
    campaignId = new URL(h.page.url()).pathname.split('/')[2]!;
    const draft = ok(await h.apiFromPage<Record<string, any>>('GET', `/campaigns/${campaignId}`));
    assert.equal(draft.type, 'triggered');
    assert.equal(draft.status, 'draft');
    assert.equal(draft.trigger.event, 'signup');
    assert.deepEqual(draft.trigger.conditions, [{ property: 'plan', operator: 'equals', value: 'pro' }]);
    assert.equal(draft.trigger.reentry, 'after_exit');
    assert.equal(draft.trigger.reentryAfterSeconds, 7200);
    assert.deepEqual(
      draft.trigger.exitOn.map((e: { event: string; conditions?: unknown[] }) => [e.event, e.conditions ?? []]),
      [['purchase', []]],
    );
    assert.deepEqual(draft.settings.frequencyCap, { limit: 3, periodHours: 24 });
    assert.deepEqual(draft.audience, { all: true });
    assert.deepEqual(
      draft.steps.map((s: { delaySeconds: number }) => s.delaySeconds),
      [0, 2 * 86_400],
    );

    await h.page.reload();
    await h.page.getByRole('heading', { name: 'Edit draft: Welcome series', level: 1 }).waitFor();
    assert.ok(await h.page.getByRole('radio', { name: /Triggered by an event/ }).isChecked());
    await h.page.getByRole('button', { name: 'Trigger', exact: true }).click();
    await heading('Trigger');
    assert.equal(await h.page.getByLabel('Event name', { exact: true }).inputValue(), 'signup');
    assert.equal(await h.page.getByLabel('Condition 1 property').inputValue(), 'plan');
    assert.equal(await h.page.getByLabel('Condition 1 operator').inputValue(), 'equals');
    assert.equal(await h.page.getByLabel('Condition 1 value').inputValue(), 'pro');
    assert.ok(await h.page.getByRole('radio', { name: /Again, once the lead’s previous enrollment has ended/ }).isChecked());
    assert.equal(await h.page.getByLabel('Minimum time between entries').inputValue(), '2');
    assert.equal(await h.page.getByLabel('Unit').inputValue(), 'hours');
    assert.equal(await h.page.getByLabel('Exit event 1 name').inputValue(), 'purchase');
    assert.equal(await h.page.getByLabel('Messages per lead and channel').inputValue(), '3');
    assert.equal(await h.page.getByLabel('Period (hours)').inputValue(), '24');
  });

  step('launched from the review: the campaign page describes the trigger and nobody is enrolled yet', async () => {
    await h.page.getByRole('button', { name: 'Review' }).click();
    await heading('Review');
    await h.page.getByTestId('review-total').filter({ hasText: '3' }).waitFor();
    const landed = h.page.waitForURL((u) => u.pathname === `/campaigns/${campaignId}`);
    await h.page.getByRole('button', { name: 'Launch' }).click();
    await landed;
    await h.page.getByRole('heading', { name: 'Welcome series', level: 1 }).waitFor();
    await h.page.getByTestId('campaign-summary').getByText('Triggered by “signup” · 2 steps').waitFor();
    const trigger = h.page.getByRole('region', { name: 'Trigger' });
    await trigger.getByText('Each “signup” event enrolls its lead.').waitFor();
    await trigger.getByText('plan is "pro".').waitFor();
    await trigger.getByText('A “purchase” event: the lead’s remaining steps are skipped.').waitFor();
    await until(async () => (await stat('total').textContent()) === '0', 'an empty enrollment summary');
    await h.page.getByText('Nobody enrolled yet').waitFor();
    // No progress bar that would never fill.
    assert.equal(await h.page.getByRole('progressbar', { name: 'Messages with an outcome' }).count(), 0);
    const launched = ok(await h.apiFromPage<Record<string, any>>('GET', `/campaigns/${campaignId}`));
    assert.equal(launched.status, 'active');
  });

  step('events posted through the API enroll leads live in the log; an exit event turns one into "exited"', async () => {
    const navigations: string[] = [];
    const onNavigate = (f: unknown) => f === h.page.mainFrame() && navigations.push(h.page.url());
    h.page.on('framenavigated', onNavigate);

    const ada = await postEvent({ email: 'ada@acme.test', name: 'signup', properties: { plan: 'pro' } });
    assert.equal(ada.enrollments.length, 1);
    // The condition does not hold: recorded, not enrolled.
    const bob = await postEvent({ email: 'bob@acme.test', name: 'signup', properties: { plan: 'free' } });
    assert.deepEqual(bob.enrollments, []);
    const cyd = ok(
      await h.apiFromPage<{ enrollments: unknown[] }>('POST', '/events', {
        email: 'cyd@acme.test',
        name: 'signup',
        properties: { plan: 'pro', cart: { total: 120, items: ['starter', 'addon'] }, source: 'website-signup-form' },
      }),
    );
    assert.equal(cyd.enrollments.length, 1);

    await enrollmentRow('Ada').getByText('Active').waitFor();
    await enrollmentRow('Cyd').getByText('Active').waitFor();
    await until(async () => (await stat('total').textContent()) === '2' && (await stat('active').textContent()) === '2', 'two active');
    assert.equal(await enrollmentRow('Bob').count(), 0);
    // Newest first.
    assert.match((await h.page.getByTestId('enrollment').first().textContent()) ?? '', /Cyd/);
    await h.page.getByTestId('campaign-event').filter({ hasText: 'Cyd' }).getByText('entry').waitFor();
    await h.shot('triggers-03-campaign-live');

    const exit = await postEvent({ email: 'ada@acme.test', name: 'purchase', properties: { total: 49 } });
    assert.equal(exit.exits.length, 1);
    await enrollmentRow('Ada').getByText('Exited').waitFor();
    await enrollmentRow('Ada').getByText('signup → purchase').waitFor();
    await until(async () => (await stat('exited').textContent()) === '1' && (await stat('active').textContent()) === '1', 'one exited');
    await h.page.getByTestId('campaign-event').filter({ hasText: 'purchase' }).getByText('exit').waitFor();
    // The log holds the events that touched the campaign, not Bob's.
    await until(async () => (await h.page.getByTestId('campaign-event').count()) === 3, 'three events in the log');
    assert.equal(await h.page.getByTestId('campaign-event').filter({ hasText: 'Bob' }).count(), 0);
    // The recipients follow the enrollments: Ada's messages were skipped when she left, Cyd's wait for n8n.
    const recipients = h.page.getByRole('region', { name: 'Recipients' }).getByTestId('recipient');
    await until(async () => (await recipients.count()) === 4, 'four recipients');
    await until(
      async () => (await recipients.filter({ hasText: '+14155550001' }).filter({ hasText: 'Skipped: exited' }).count()) === 2,
      'Ada’s messages skipped as exited',
    );
    // The enrollment filter.
    await h.page.getByLabel('Enrollment status').selectOption('exited');
    await until(async () => (await h.page.getByTestId('enrollment').count()) === 1, 'one exited enrollment');
    await enrollmentRow('Ada').waitFor();
    await h.page.getByLabel('Enrollment status').selectOption('');
    await h.shot('triggers-04-campaign-exited');
    h.page.off('framenavigated', onNavigate);
    assert.deepEqual(navigations, [], 'no reload');
  });

  step('the campaigns list says Triggered and Enrolling with the count, not a progress bar', async () => {
    await h.page.getByRole('link', { name: '← Campaigns' }).click();
    const row = h.page.getByTestId('campaign').filter({ hasText: 'Welcome series' });
    await row.getByText('Triggered by “signup” · 2 steps', { exact: false }).waitFor();
    await row.getByTestId('enrolling').filter({ hasText: 'Enrolling · 2 enrolled' }).waitFor();
    assert.equal(await row.getByRole('progressbar').count(), 0);
  });

  step('the Events page lists every event live, newest first, opens long properties and filters by name', async () => {
    await h.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    const rows = h.page.getByTestId('event');
    await until(async () => (await rows.count()) === 5, 'five events');
    assert.match((await rows.first().textContent()) ?? '', /purchase/);
    await rows.filter({ hasText: 'Bob' }).first().getByText('{"plan":"free"}').waitFor();
    // Cyd's properties are long: compact on one line, pretty-printed when opened.
    const cyd = rows.filter({ hasText: 'Cyd' });
    await cyd.locator('summary').click();
    await cyd.locator('pre').filter({ hasText: '"total": 120' }).waitFor();
    // A new event shows up without a reload.
    await postEvent({ email: 'bob@acme.test', name: 'purchase' });
    await until(async () => (await rows.count()) === 6, 'the new event');
    await h.shot('events-02-list');

    await h.page.getByLabel('Event name').selectOption('purchase');
    await h.page.waitForURL((u) => u.searchParams.get('name') === 'purchase');
    await until(
      async () =>
        (await rows.count()) === 2 && (await rows.locator('[data-col="name"]').allTextContents()).every((t) => t.startsWith('purchase')),
      'the two purchase events',
    );
    await h.page.getByLabel('Event name').selectOption('');
    await until(async () => (await rows.count()) === 6, 'every event again');
  });
});
