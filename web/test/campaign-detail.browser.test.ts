import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe } from '@jest/globals';
import { seedMessages } from '../../backend/src/test/seed-messages';
import { browserHarness } from './harness';

describe('web UI in a real browser: campaigns list and detail (live counters, actions, recipients, export)', () => {
  const h = browserHarness();
  const { step } = h;
  let campaignId: string;
  let organizationId: string;
  const counter = (status: string) => h.page.locator(`[data-testid="counters"] [data-status="${status}"] dd`);
  /** Polls what the page shows (the app's CSP forbids evaluated strings, and this file has no DOM types for page functions). */
  const until = async (check: () => Promise<boolean>, what: string) => {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100)))
      if (await check()) return;
    throw new Error(`timed out waiting for ${what}`);
  };
  const untilCounter = (status: string, value: string) =>
    until(async () => (await counter(status).textContent()) === value, `the ${status} counter to show ${value}`);
  const badge = () => h.page.getByTestId('campaign-summary').locator('.badge');
  const ok = <T>(r: { status: number; body: T }) => {
    assert.ok(r.status < 300, JSON.stringify(r.body));
    return r.body;
  };

  step('signs in and lands on an empty campaigns list that points to "New campaign"', async () => {
    await h.signIn('ann@acme.test', '/campaigns');
    await h.page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    await h.page.getByText('No campaign yet').waitFor();
    const links = h.page.getByRole('link', { name: 'New campaign' });
    assert.equal(await links.first().getAttribute('href'), '/campaigns/new');
    assert.equal(await h.page.getByRole('navigation', { name: 'Main' }).getByRole('link').first().textContent(), 'Campaigns');
  });

  step('a campaign created through the API is listed with its status, channel and sender', async () => {
    organizationId = ok(await h.apiFromPage<{ organization: { id: string } }>('GET', '/session')).organization.id;
    const channel = ok(
      await h.apiFromPage<{ id: string }>('POST', '/channels', {
        type: 'twilio',
        name: 'Support line',
        config: { accountSid: `AC${'5'.repeat(32)}`, from: '+14155550100', baseUrl: h.google.sandbox.url },
        secrets: { authToken: 'sandbox-auth-token-123' },
      }),
    );
    const template = ok(
      await h.apiFromPage<{ id: string }>('POST', '/templates', { name: 'Hello', channel: 'sms', body: 'Hello {{lead.first_name}}' }),
    );
    const leads = ok(
      await h.apiFromPage<{ ids: string[] }>('POST', '/leads', [
        { phone: '+14158020001', consent: { sms: true } },
        { phone: '+14158020002', consent: { sms: true } },
        { phone: '+14158020003', consent: { sms: true } },
      ]),
    );
    campaignId = ok(
      await h.apiFromPage<{ id: string }>('POST', '/campaigns', {
        name: 'Spring launch',
        type: 'blast',
        sender: { channelId: channel.id },
        audience: { leadIds: leads.ids },
        steps: [{ channel: 'sms', templateId: template.id }],
      }),
    ).id;
    await h.page.reload();
    const row = h.page.getByTestId('campaign').filter({ hasText: 'Spring launch' });
    await row.getByText('Draft', { exact: true }).waitFor();
    await row.getByText('SMS · Support line').waitFor();
    await h.shot('campaigns-01-list-draft');
  });

  step('the detail page of a draft offers Edit and Launch; Launch (confirmed) starts it and the counters fill in live', async () => {
    await h.page.getByRole('link', { name: 'Spring launch' }).click();
    await h.page.waitForURL((u) => u.pathname === `/campaigns/${campaignId}`);
    await h.page.getByRole('heading', { name: 'Spring launch', level: 1 }).waitFor();
    assert.equal(await h.page.getByRole('link', { name: 'Edit' }).getAttribute('href'), `/campaigns/${campaignId}/edit`);
    await badge().getByText('Draft').waitFor();
    await h.page.getByRole('button', { name: 'Launch' }).click();
    const dialog = h.page.getByRole('dialog', { name: 'Launch this campaign?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Launch' }).click();
    await badge().getByText('Sending').waitFor();
    // Enrollment creates the 3 messages; nothing sends them (no n8n here), so they wait in the queue.
    await untilCounter('total', '3');
    assert.equal(await counter('queued').textContent(), '3');
  });

  step('counters, progress and recipients follow the database without a reload (server-sent events)', async () => {
    const navigations: string[] = [];
    h.page.on('framenavigated', (f) => f === h.page.mainFrame() && navigations.push(f.url()));
    // 800 more messages, i % 8 per status: 100 delivered, 100 failed, ...
    await seedMessages(h.t.dataSource, {
      organizationId,
      campaignId,
      stepId: (await h.t.dataSource.query('SELECT id FROM campaign_steps WHERE campaign_id = $1', [campaignId]))[0].id,
      count: 800,
    });
    await untilCounter('total', '803');
    assert.equal(await counter('delivered').textContent(), '100');
    assert.equal(await counter('failed').textContent(), '100');
    // The three enrolled messages are delivered: the counters move again.
    await h.t.dataSource.query(
      `UPDATE messages SET status = 'delivered', sent_at = now(), delivered_at = now() WHERE campaign_id = $1 AND lead_id IS NOT NULL`,
      [campaignId],
    );
    await untilCounter('delivered', '103');
    assert.equal(await counter('queued').textContent(), '100');
    const bar = h.page.getByRole('progressbar', { name: 'Messages with an outcome' });
    // sent + delivered + failed + unknown + skipped = 100 + 103 + 100 + 100 + 100.
    assert.equal(await bar.getAttribute('aria-valuenow'), '503');
    assert.deepEqual(navigations, [], 'no reload');
    await h.page.getByTestId('timeline-totals').waitFor();
    assert.ok((await h.page.locator('.timeline-chart canvas').count()) >= 1, 'the chart is drawn');
    await h.shot('campaigns-02-detail-live');
  });

  step('pause and resume ask first and change the status on the page', async () => {
    await h.page.getByRole('button', { name: 'Pause' }).click();
    const pause = h.page.getByRole('dialog', { name: 'Pause this campaign?' });
    // "Keep as is" changes nothing.
    await pause.getByRole('button', { name: 'Keep as is' }).click();
    await badge().getByText('Sending').waitFor();
    await h.page.getByRole('button', { name: 'Pause' }).click();
    await pause.getByRole('button', { name: 'Pause' }).click();
    await badge().getByText('Paused').waitFor();
    await h.page.getByRole('button', { name: 'Resume' }).click();
    await h.page.getByRole('dialog', { name: 'Resume this campaign?' }).getByRole('button', { name: 'Resume' }).click();
    await badge().getByText('Sending').waitFor();
  });

  step('recipients filter by status, show a message’s events and error, and export as CSV', async () => {
    const recipients = h.page.getByRole('region', { name: 'Recipients' });
    await recipients.getByLabel('Status').selectOption('failed');
    const rows = recipients.getByTestId('recipient');
    await until(
      async () => (await rows.count()) === 50 && (await rows.locator('[data-col="status"]').allTextContents()).every((t) => t === 'Failed'),
      '50 failed recipients',
    );
    assert.equal(await recipients.getByTestId('recipient').count(), 50);
    await recipients.getByRole('button', { name: 'Load more' }).click();
    await until(async () => (await rows.count()) === 100, 'the second page');
    assert.equal(await recipients.getByRole('button', { name: 'Load more' }).count(), 0);
    await recipients
      .getByTestId('recipient')
      .first()
      .getByText('The number is not reachable, "carrier" said (provider_rejected)')
      .waitFor();
    await recipients
      .getByTestId('recipient')
      .first()
      .getByRole('button', { name: /^Events of the message to/ })
      .click();
    const events = h.page.getByTestId('message-events');
    await events.getByText('No provider or tracking event yet.').waitFor();
    await events.getByText('provider_rejected', { exact: false }).first().waitFor();

    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      recipients.getByRole('link', { name: 'Export failed (CSV)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'spring-launch-recipients-failed.csv');
    const lines = readFileSync(await download.path(), 'utf8').split('\r\n');
    assert.match(lines[0], /^message_id,lead_id,step,channel,to,status,/);
    assert.equal(lines.length - 2, 100);
    assert.ok(lines.slice(1, -1).every((l) => l.includes(',failed,')));
    assert.ok(lines[1].includes(`"'+1415`), 'phone numbers cannot run as formulas');

    await recipients.getByLabel('Status').selectOption('');
    const [all] = await Promise.all([h.page.waitForEvent('download'), recipients.getByRole('link', { name: 'Export all (CSV)' }).click()]);
    assert.equal(all.suggestedFilename(), 'spring-launch-recipients.csv');
    assert.equal(readFileSync(await all.path(), 'utf8').split('\r\n').length - 2, 803);
  });

  step('cancel asks first, ends the campaign on the page, and the list shows it cancelled', async () => {
    await h.page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await h.page.getByRole('dialog', { name: 'Cancel this campaign?' }).getByRole('button', { name: 'Cancel campaign' }).click();
    await badge().getByText('Cancelled').waitFor();
    // Cancelling skips what was still queued: 100 + 100 seeded skipped.
    await untilCounter('skipped', '200');
    assert.equal(await h.page.getByRole('button', { name: 'Pause' }).count(), 0);
    await h.shot('campaigns-03-detail-cancelled');
    await h.page.getByRole('link', { name: '← Campaigns' }).click();
    await h.page.getByTestId('campaign').filter({ hasText: 'Spring launch' }).getByText('Cancelled').waitFor();
    await h.page.getByLabel('Status').selectOption('active');
    await h.page.getByText('No sending campaign').waitFor();
    await h.page.getByLabel('Status').selectOption('cancelled');
    await h.page.getByTestId('campaign').filter({ hasText: 'Spring launch' }).waitFor();
    await h.shot('campaigns-04-list');
  });
});
