// Engagement analytics end to end: a Mailgun campaign through a real n8n, the sandbox's simulated opens,
// clicks and a bounce coming back as signed webhooks, a reply and an out-of-office forwarded by the
// Mailgun receiving route, and the analytics endpoint counting them exactly.
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startStack, waitFor } from './stack.mjs';

describe('analytics end to end with a real n8n and the Mailgun sandbox', () => {
  let s;
  let mailgun;
  let email;

  beforeAll(async () => {
    s = await startStack();
    mailgun = await s.mailgunChannel();
    email = (
      await s.api('POST', '/templates', {
        name: 'Mail',
        channel: 'email',
        subject: 'Hello',
        html: '<p>Hi, see <a href="https://cadence.test/pricing">pricing</a>.</p>',
      })
    ).body.id;
    await s.sandboxApi('POST', '/mailgun/webhooks', {
      domain: 'mg.cadence.test',
      event: '*',
      url: `${s.backendUrl}/webhooks/mailgun/${mailgun}`,
    });
    // Replies come back through the receiving route the Settings button creates (Mailgun's Routes API).
    assert.equal((await s.api('POST', `/channels/${mailgun}/inbound-route`)).status, 200);
    // 3 readers open and click, 2 only open, 4 only receive, 1 opens and replies, 1 answers with an
    // out-of-office; the +bounce address bounces (the sandbox's convention).
    await s.sandboxApi('POST', '/behaviour/overrides', { match: 'clicker*@cadence.test', behaviour: { opened: true, clicked: true } });
    await s.sandboxApi('POST', '/behaviour/overrides', { match: 'opener*@cadence.test', behaviour: { opened: true } });
    await s.sandboxApi('POST', '/behaviour/overrides', { match: 'quiet*@cadence.test', behaviour: {} });
    await s.sandboxApi('POST', '/behaviour/overrides', { match: 'replier*@cadence.test', behaviour: { opened: true, replied: true } });
    await s.sandboxApi('POST', '/behaviour/overrides', { match: 'away*@cadence.test', behaviour: { autoReplied: true } });
  });
  afterAll(async () => {
    if (process.exitCode && s) console.error(s.logs.slice(-60).join(''));
    await s?.stop();
  });

  it('opens, clicks, a bounce and a reply simulated by the sandbox show up in the campaign analytics with the right counts and rates', async () => {
    const people = [
      ...[0, 1, 2].map((i) => `clicker${i}@cadence.test`),
      ...[0, 1].map((i) => `opener${i}@cadence.test`),
      ...[0, 1, 2, 3].map((i) => `quiet${i}@cadence.test`),
      'replier0@cadence.test',
      'away0@cadence.test',
      'gone+bounce@cadence.test',
    ];
    const leads = await s.api(
      'POST',
      '/leads',
      people.map((address) => ({ email: address })),
    );
    assert.equal(leads.body.failed, 0, JSON.stringify(leads.body));
    const created = await s.api('POST', '/campaigns', {
      name: 'Analytics e2e',
      type: 'blast',
      sender: { channelId: mailgun },
      audience: { leadIds: leads.body.ids },
      steps: [{ channel: 'email', templateId: email }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await s.api('POST', `/campaigns/${created.body.id}/launch`);
    assert.equal((await s.campaignDone(created.body.id)).status, 'completed');
    let report;
    await waitFor(
      async () => {
        report = (await s.api('GET', `/campaigns/${created.body.id}/analytics`)).body;
        const t = report.totals;
        return t.delivered === 11 && t.opened === 6 && t.clicked === 3 && t.bounced === 1 && t.replied === 1;
      },
      'the sandbox events to be counted',
      60_000,
      500,
    );
    const { totals, rates } = report;
    assert.deepEqual(
      [totals.sent, totals.delivered, totals.failed, totals.opened, totals.clicked, totals.bounced, totals.replied, totals.machineOpened],
      [12, 11, 1, 6, 3, 1, 1, 0],
    );
    assert.deepEqual([rates.open, rates.click, rates.reply], [0.5455, 0.2727, 0.0909]);
    // The out-of-office reached its conversation as an automatic answer and counts as no reply.
    const { rows: answers } = await s.db.query(
      `SELECT type, count(*)::int AS n FROM message_events e JOIN messages m ON m.id = e.message_id
        WHERE m.campaign_id = $1 AND e.type IN ('replied', 'auto_replied') GROUP BY type ORDER BY type`,
      [created.body.id],
    );
    assert.deepEqual(answers, [
      { type: 'auto_replied', n: 1 },
      { type: 'replied', n: 1 },
    ]);
    // The organization's view over the last 30 days agrees.
    const org = (await s.api('GET', '/analytics')).body;
    assert.equal(org.campaigns.find((c) => c.campaignId === created.body.id)?.opened, 6);
  });
});
