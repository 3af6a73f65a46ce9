import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe } from '@jest/globals';
import { seedMessages } from '../../backend/src/test/seed-messages';
import { browserHarness } from './harness';

describe('web UI in a real browser: campaign analytics and the organization dashboard', () => {
  const h = browserHarness();
  const { step } = h;
  let campaignId: string;
  const ok = <T>(r: { status: number; body: T }) => {
    assert.ok(r.status < 300, JSON.stringify(r.body));
    return r.body;
  };
  const funnel = (metric: string) => h.page.locator(`[data-testid="funnel"] [data-metric="${metric}"] .funnel-value`);
  const rate = (key: string) => h.page.locator(`[data-testid="rates"] [data-rate="${key}"] dd`);

  step('a sent campaign with seeded messages, opens, clicks, a reply, a machine open and a conversion', async () => {
    await h.signIn('ann@acme.test', '/campaigns');
    const organizationId = ok(await h.apiFromPage<{ organization: { id: string } }>('GET', '/session')).organization.id;
    const channel = ok(
      await h.apiFromPage<{ id: string }>('POST', '/channels', {
        type: 'mailgun',
        name: 'Newsletter',
        config: { domain: 'mg.example.com', from: 'Acme <hi@mg.example.com>' },
        secrets: { apiKey: 'key-1234567890abcdef', webhookSigningKey: 'signing-1234567890' },
      }),
    );
    const intro = ok(
      await h.apiFromPage<{ id: string }>('POST', '/templates', { name: 'Intro', channel: 'email', subject: 'Hi', html: '<p>Hi</p>' }),
    );
    const nudge = ok(
      await h.apiFromPage<{ id: string }>('POST', '/templates', { name: 'Nudge', channel: 'email', subject: 'Re', html: '<p>Re</p>' }),
    );
    const lead = ok(await h.apiFromPage<{ id: string }>('POST', '/leads', { email: 'ada@example.com' }));
    const campaign = ok(
      await h.apiFromPage<{ id: string; steps: Array<{ id: string }> }>('POST', '/campaigns', {
        name: 'Autumn offer',
        type: 'sequence',
        sender: { channelId: channel.id },
        audience: { leadIds: [lead.id] },
        steps: [
          { channel: 'email', templateId: intro.id },
          { channel: 'email', templateId: nudge.id, delaySeconds: 60 },
        ],
      }),
    );
    campaignId = campaign.id;
    const db = h.t.dataSource;
    await db.query(`UPDATE campaigns SET status = 'completed', launched_at = now(), completed_at = now() WHERE id = $1`, [campaignId]);
    // Step 1: 40 messages, 5 per status (20 sent, 5 delivered); step 2: 16 messages (8 sent, 2 delivered).
    await seedMessages(db, { organizationId, campaignId, stepId: campaign.steps[0].id, count: 40, channel: 'email' });
    await seedMessages(db, { organizationId, campaignId, stepId: campaign.steps[1].id, count: 16, position: 1, channel: 'email' });
    const delivered: string[] = (
      await db.query(`SELECT id FROM messages WHERE step_id = $1 AND status = 'delivered' ORDER BY id`, [campaign.steps[0].id])
    ).map((r: { id: string }) => r.id);
    await db.query('UPDATE messages SET lead_id = $1 WHERE id = $2', [lead.id, delivered[0]]);
    const events: Array<[string, string, string, boolean]> = [
      [delivered[0], 'o1', 'opened', false],
      [delivered[0], 'o1b', 'opened', false],
      [delivered[0], 'c1', 'clicked', false],
      [delivered[0], 'r1', 'replied', false],
      [delivered[1], 'o2', 'opened', false],
      [delivered[1], 'a2', 'auto_replied', false],
      [delivered[2], 'o3', 'opened', true],
    ];
    for (const [messageId, eventId, type, machine] of events)
      await db.query(
        `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at, payload) VALUES ($1, $2, 'mailgun', $3, $4, now(), $5)`,
        [organizationId, messageId, eventId, type, JSON.stringify({ machine })],
      );
    const conversion = ok(
      await h.apiFromPage<{ attribution: { messageId: string } | null }>('POST', '/conversions', {
        email: 'ada@example.com',
        name: 'order',
        value: 250,
        currency: 'EUR',
      }),
    );
    assert.equal(conversion.attribution?.messageId, delivered[0]);
  });

  step(
    'the campaign page links to its analytics: funnel, rates over delivered, steps, templates; the CSV has the same numbers',
    async () => {
      await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}`);
      await h.page.getByRole('link', { name: 'Analytics' }).click();
      await h.page.waitForURL((u) => u.pathname === `/campaigns/${campaignId}/analytics`);
      await h.page.getByRole('heading', { name: 'Autumn offer: analytics', level: 1 }).waitFor();
      const shown = async (metric: string) => (await funnel(metric).textContent())?.trim();
      assert.deepEqual(
        [
          await shown('sent'),
          await shown('delivered'),
          await shown('opened'),
          await shown('clicked'),
          await shown('replied'),
          await shown('conversions'),
        ],
        ['28', '7', '2', '1', '1', '1'],
      );
      // 2 of 7 delivered opened; 1 of 7 clicked; the machine open is counted apart.
      assert.equal(await rate('open').textContent(), '28.6%');
      assert.equal(await rate('click').textContent(), '14.3%');
      assert.equal(await h.page.locator('[data-testid="other-counts"] [data-metric="machineOpened"] dd').textContent(), '1');
      await h.page.locator('[data-revenue="EUR"]').getByText('250').waitFor();
      const steps = h.page.getByTestId('analytics-step');
      assert.equal(await steps.count(), 2);
      assert.equal(await steps.nth(0).locator('[data-col="sent"]').textContent(), '20');
      assert.equal(await steps.nth(1).locator('[data-col="sent"]').textContent(), '8');
      assert.equal(await steps.nth(0).locator('[data-col="openRate"]').textContent(), '40.0%');
      const templates = h.page.getByTestId('analytics-template');
      assert.deepEqual(await templates.locator('[data-col="template"]').allTextContents(), ['Intro', 'Nudge']);
      await h.page.locator('.timeline-chart canvas').first().waitFor();
      await h.page.getByRole('tab', { name: 'Per hour' }).click();
      await h.page.getByRole('tab', { name: 'Per hour', selected: true }).waitFor();
      await h.shot('analytics-01-campaign');

      const [download] = await Promise.all([h.page.waitForEvent('download'), h.page.getByRole('button', { name: 'Export CSV' }).click()]);
      const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
      assert.equal(download.suggestedFilename(), 'Autumn-offer-analytics.csv');
      assert.match(csv[0], /^scope,key,sent,delivered,failed,unknown,skipped,opened,clicked,replied,/);
      assert.match(csv[1], /^total,,28,7,/);
      assert.ok(csv.some((line) => line.startsWith('template,Nudge,8,2,')));
    },
  );

  step('the dashboard (in the navigation) sums the last 30 days per campaign and channel; another range shows nothing', async () => {
    await h.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await h.page.waitForURL((u) => u.pathname === '/dashboard');
    await h.page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await funnel('sent').getByText('28').waitFor();
    assert.equal(await funnel('opened').textContent(), '2');
    const row = h.page.getByTestId('dashboard-campaign').filter({ hasText: 'Autumn offer' });
    assert.equal(await row.locator('[data-col="sent"]').textContent(), '28');
    assert.equal(await row.locator('[data-col="conversions"]').textContent(), '1');
    assert.equal(await h.page.getByTestId('dashboard-channel').locator('[data-col="channel"]').textContent(), 'Email');
    await h.shot('analytics-02-dashboard');
    await h.page.getByLabel('From').fill('2020-01-01');
    await h.page.getByLabel('To').fill('2020-01-31');
    await h.page.getByText('Nothing sent in this range', { exact: true }).waitFor();
    assert.equal(await funnel('sent').textContent(), '0');
  });
});
