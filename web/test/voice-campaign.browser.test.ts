import assert from 'node:assert/strict';
import { describe } from '@jest/globals';
import { browserHarness } from './harness';
import { wizardSteps } from './wizard-steps';

/**
 * A voice campaign in the browser: the wizard's "Voice calls" settings (shown only when a step places
 * calls, checked against the API's limits, saved with the draft) and the campaign page's call statistics.
 */
describe('voice campaign settings and call statistics in a real browser', () => {
  const h = browserHarness({ viewport: { width: 1280, height: 900 } });
  const { created, next, heading } = wizardSteps(h);
  const { step } = h;
  let campaignId = '';

  step('a draft with a voice step shows the Voice calls settings; out-of-range values are refused; saved with the draft', async () => {
    await h.signIn('vic@acme.test', '/campaigns');
    const channelId = await created('/channels', {
      type: 'twilio',
      name: 'Call line',
      config: { accountSid: `AC${'6'.repeat(32)}`, from: '+14155550100', baseUrl: h.google.sandbox.url },
      secrets: { authToken: 'sandbox-auth-token-123' },
    });
    const templateId = await created('/templates', {
      name: 'Call script',
      channel: 'voice',
      voice: { script: 'Hello {{ lead.first_name }}' },
    });
    const leads = await h.apiFromPage<{ ids: string[] }>('POST', '/leads', [
      { phone: '+14158030001', firstName: 'Ana', consent: { voice: true } },
      { phone: '+14158030002', firstName: 'Ben', consent: { voice: true } },
    ]);
    campaignId = await created('/campaigns', {
      name: 'Renewal calls',
      type: 'blast',
      sender: { channelId },
      audience: { leadIds: leads.body.ids },
      steps: [{ channel: 'voice', templateId }],
    });

    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}/edit`);
    await h.page.getByRole('heading', { name: 'Edit draft: Renewal calls', level: 1 }).waitFor();
    await next();
    await heading('Steps');
    await next();
    await heading('Audience');
    await next();
    await heading('Settings');
    const voice = h.page.getByRole('group', { name: 'Voice calls' });
    await voice.waitFor();
    await voice.getByLabel('Calls at once').fill('5000');
    await next();
    await h.page.getByRole('alert').filter({ hasText: 'Calls at once must be a whole number from 1 to 1,000' }).waitFor();
    await voice.getByLabel('Calls at once').fill('5');
    await voice.getByLabel('Seconds between call starts').fill('2');
    await voice.getByLabel('Call again (times)').fill('2');
    await voice.getByLabel('Wait before calling again (seconds)').fill('600');
    await h.shot('voice-1-settings');
    await next();
    await heading('Review');
    await h.page.getByRole('button', { name: 'Save as draft' }).click();
    await h.page.waitForURL((u) => u.pathname === `/campaigns/${campaignId}/edit`);
    let saved: Record<string, unknown> = {};
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      saved = (await h.apiFromPage<{ settings: Record<string, unknown> }>('GET', `/campaigns/${campaignId}`)).body.settings;
      if (saved.maxConcurrentCalls !== undefined) break;
    }
    assert.deepEqual(saved, { maxConcurrentCalls: 5, callDelaySeconds: 2, retryCount: 2, retryDelaySeconds: 600 });
  });

  step('the campaign page shows the calls: placed, answered, busy, no answer, success rate and talk time', async () => {
    // Two leads' calls as the webhooks leave them: one answered for 42 s; the other busy, then (a retry) no answer.
    const ds = h.t.dataSource;
    const [{ id: stepId, organization_id: org }] = await ds.query('SELECT id, organization_id FROM campaign_steps WHERE campaign_id = $1', [
      campaignId,
    ]);
    const [lead1, lead2] = (await ds.query('SELECT id FROM leads WHERE organization_id = $1 ORDER BY phone', [org])).map(
      (r: { id: string }) => r.id,
    );
    await ds.query(`UPDATE campaigns SET status = 'completed', materialized_at = now(), completed_at = now() WHERE id = $1`, [campaignId]);
    const message = async (leadId: string, status: string, attempts: number, sid: string) =>
      (
        await ds.query(
          `INSERT INTO messages (organization_id, campaign_id, step_id, lead_id, position, channel, status, attempts, provider_message_id, to_address)
           VALUES ($1, $2, $3, $4, 0, 'voice', $5, $6, $7, '+14158030001') RETURNING id`,
          [org, campaignId, stepId, leadId, status, attempts, sid],
        )
      )[0].id as string;
    const event = (messageId: string, sid: string, status: string, duration = '0') =>
      ds.query(
        `INSERT INTO message_events (organization_id, message_id, source, event_id, type, occurred_at, payload)
         VALUES ($1, $2, 'twilio', $3, $4, now(), $5)`,
        [org, messageId, `${sid}:${status}`, status === 'completed' ? 'delivered' : 'failed', { status, duration }],
      );
    const sid = (n: number) => `CA${String(n).padStart(32, '0')}`;
    const answered = await message(lead1, 'delivered', 1, sid(1));
    await event(answered, sid(1), 'completed', '42');
    const retried = await message(lead2, 'failed', 2, sid(3));
    await event(retried, sid(2), 'busy');
    await event(retried, sid(3), 'no-answer');
    await ds.query(
      `INSERT INTO message_attempts (organization_id, message_id, attempt, provider_message_id, error_code, failed_at) VALUES ($1, $2, 1, $3, 'busy', now())`,
      [org, retried, sid(2)],
    );

    await h.page.goto(`${h.t.baseUrl}/campaigns/${campaignId}`);
    await h.page.getByRole('heading', { name: 'Calls', level: 2 }).waitFor();
    const stat = (key: string) => h.page.locator(`[data-testid="voice-stats"] [data-stat="${key}"] dd`);
    await stat('placed').filter({ hasText: '3' }).waitFor();
    assert.equal(await stat('answered').textContent(), '1');
    assert.equal(await stat('busy').textContent(), '1');
    assert.equal(await stat('no-answer').textContent(), '1');
    assert.equal(await stat('success').textContent(), '33.3%');
    assert.equal(await stat('talk-total').textContent(), '42 s');
    assert.equal(await stat('attempts').textContent(), '1.5');
    await h.page.getByText('Calls in progress').waitFor();
    await h.shot('voice-2-stats');
  });
});
