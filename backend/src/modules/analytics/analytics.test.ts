import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { MessageEventType } from '@cadence/contracts';
import { seedMessages } from '../../test/seed-messages';
import { startTestApp, TestApp } from '../../test/test-app';
import { AnalyticsCompactor } from './analytics-compactor';
import { TrackingTokens } from '../tracking/tracking-tokens';
import { MessageEventRecorder } from '../webhooks/message-event.recorder';

const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15';

// The triggers (transition tables, data-modifying CTEs) and the readers run on both databases.
describe.each([
  ['PostgreSQL', false],
  ['PGlite', true],
])('analytics and conversions on %s', (_name, embedded) => {
  let t: TestApp;
  let key: string;
  let otherKey: string;
  let orgId: string;
  let campaignId: string;
  let stepIds: string[];
  let templateIds: string[];
  const ids: Record<string, string[]> = {};
  let recorder: MessageEventRecorder;
  const api = (method: string, path: string, body?: unknown, k = key, headers?: Record<string, string>) =>
    t.request(method, `/api/v1${path}`, { key: k, body, headers });

  const event = (messageId: string, eventId: string, type: MessageEventType, payload: Record<string, unknown> = {}) =>
    recorder.record({ organizationId: orgId, messageId, source: 'mailgun', eventId, type, occurredAt: new Date(), payload });

  /** Every event of the scenario: human and machine opens and clicks, out of order, replies and auto-replies, a bounce. */
  async function recordScenario() {
    const [d1, d2, d3] = ids.delivered;
    await event(d1, 'o1', 'opened');
    await event(d1, 'o2', 'opened');
    await event(d1, 'c1', 'clicked', { linkIndex: 0 });
    await event(d1, 'c2', 'clicked', { linkIndex: 1 });
    await event(d1, 'r1', 'replied');
    await event(d1, 'a1', 'auto_replied');
    await event(d2, 'o3', 'opened', { machine: true, machineReason: 'apple_mpp' });
    await event(d2, 'c3', 'clicked', { machine: true, machineReason: 'scanner' });
    await event(d3, 'c4', 'clicked');
    await event(d3, 'o4', 'opened');
    await event(d3, 'u1', 'unsubscribed');
    await event(d3, 'x1', 'complained');
    await event(ids.failed[0], 'b1', 'failed');
    await event(ids.sent[0], 'dl1', 'delivered');
  }

  beforeAll(async () => {
    t = await startTestApp({ embedded, env: { SCHEDULER_INTERVAL_MS: '0' } });
    ({ apiKey: key, organizationId: orgId } = await t.createOrg());
    ({ apiKey: otherKey } = await t.createOrg('Other'));
    recorder = t.app.get(MessageEventRecorder);
    const post = async (path: string, body: unknown) => {
      const res = await api('POST', path, body);
      assert.ok(res.status < 300, JSON.stringify(res.body));
      return res.body;
    };
    const channel = await post('/channels', {
      type: 'mailgun',
      name: 'MG',
      config: { domain: 'mg.example.com', from: 'Team <team@mg.example.com>' },
      secrets: { apiKey: 'key-1234567890abcdef', webhookSigningKey: 'signing-1234567890' },
    });
    const first = await post('/templates', { name: 'Intro', channel: 'email', subject: 'Hi', html: '<p>Hi</p>' });
    const second = await post('/templates', { name: 'Nudge', channel: 'email', subject: 'Again', html: '<p>Again</p>' });
    templateIds = [first.id, second.id];
    const campaign = await post('/campaigns', {
      name: 'Launch week',
      type: 'sequence',
      sender: { channelId: channel.id },
      audience: { all: true },
      steps: [
        { channel: 'email', templateId: first.id },
        { channel: 'email', templateId: second.id, delaySeconds: 60 },
      ],
    });
    campaignId = campaign.id;
    stepIds = campaign.steps.map((s: { id: string }) => s.id);
    // 40 messages, 5 per status: sent_at on sent, delivered, failed and unknown ones (20); 5 skipped (missing_address).
    await seedMessages(t.dataSource, { organizationId: orgId, campaignId, stepId: stepIds[0], count: 40, channel: 'email' });
    // 16 more on step 2: 8 sent.
    await seedMessages(t.dataSource, { organizationId: orgId, campaignId, stepId: stepIds[1], count: 16, position: 1, channel: 'email' });
    for (const status of ['delivered', 'sent', 'failed']) {
      const rows: Array<{ id: string }> = await t.dataSource.query(
        'SELECT id FROM messages WHERE campaign_id = $1 AND step_id = $2 AND status = $3 ORDER BY id',
        [campaignId, stepIds[0], status],
      );
      ids[status] = rows.map((r) => r.id);
    }
    await recordScenario();
  });
  afterAll(() => t?.close());

  it('count each message once per kind: opens, clicks and replies by people, machines apart, bounces, and status moves', async () => {
    const res = await api('GET', `/campaigns/${campaignId}/analytics`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { totals, rates } = res.body;
    // 20 + 8 sent; 5 + 2 delivered, and 1 settled by the provider's event; the auto-reply is not a reply.
    assert.deepEqual(
      { ...totals },
      {
        sent: 28,
        delivered: 8,
        failed: 7,
        unknown: 7,
        skipped: 7,
        opened: 2,
        clicked: 2,
        replied: 1,
        unsubscribed: 1,
        bounced: 1,
        complained: 1,
        read: 0,
        answered: 0,
        machineOpened: 1,
        machineClicked: 1,
        conversions: 0,
      },
    );
    assert.deepEqual(res.body.skippedByReason, { missing_address: 7 });
    assert.deepEqual([rates.open, rates.click, rates.reply, rates.bounce], [0.25, 0.25, 0.125, 0.125]);
    const [step1, step2] = res.body.steps;
    assert.deepEqual([step1.stepId, step1.sent, step1.delivered, step1.opened], [stepIds[0], 20, 6, 2]);
    assert.deepEqual([step2.stepId, step2.sent, step2.delivered, step2.opened, step2.rates.open], [stepIds[1], 8, 2, 0, 0]);
    assert.deepEqual(
      res.body.templates.map((x: { templateId: string; templateName: string; sent: number }) => [x.templateId, x.templateName, x.sent]),
      [
        [templateIds[0], 'Intro', 20],
        [templateIds[1], 'Nudge', 8],
      ],
    );
    assert.deepEqual(
      res.body.channels.map((c: { channel: string; sent: number; clicked: number }) => [c.channel, c.sent, c.clicked]),
      [['email', 28, 2]],
    );
    // The series adds up to the totals.
    const sum = (k: string) => res.body.series.reduce((n: number, p: Record<string, number>) => n + p[k], 0);
    assert.deepEqual([sum('sent'), sum('delivered'), sum('opened'), sum('clicked')], [28, 8, 2, 2]);
    const hourly = await api('GET', `/campaigns/${campaignId}/analytics?bucket=hour`);
    assert.ok(hourly.body.series.length >= res.body.series.length);
    assert.ok(hourly.body.series.every((p: { at: string }) => p.at.endsWith(':00:00.000Z')));
  });

  it('change nothing when every event is delivered again (replays)', async () => {
    const before = (await api('GET', `/campaigns/${campaignId}/analytics`)).body;
    await recordScenario();
    const after = (await api('GET', `/campaigns/${campaignId}/analytics`)).body;
    assert.deepEqual(after.totals, before.totals);
    assert.deepEqual(after.series, before.series);
  });

  it('compaction folds the delta rows and changes no count', async () => {
    const before = (await api('GET', `/campaigns/${campaignId}/analytics?bucket=hour`)).body;
    const rows = async () =>
      Number((await t.dataSource.query('SELECT count(*) AS n FROM campaign_analytics_deltas WHERE campaign_id = $1', [campaignId]))[0].n);
    const uncompacted = await rows();
    await t.app.get(AnalyticsCompactor).compact(campaignId);
    assert.ok((await rows()) < uncompacted, `${await rows()} rows after compaction, ${uncompacted} before`);
    const after = (await api('GET', `/campaigns/${campaignId}/analytics?bucket=hour`)).body;
    assert.deepEqual([after.totals, after.steps, after.series], [before.totals, before.steps, before.series]);
  });

  it('tracked opens: the Apple proxy and HEAD requests are recorded as machine opens, a person opening afterwards still counts', async () => {
    const tokens = t.app.get(TrackingTokens);
    const [, , , d4, d5] = ids.delivered;
    const open = (id: string, ua: string, method = 'GET') =>
      fetch(`${t.baseUrl}/t/o/${tokens.sign(id, 'open')}.gif`, { method, headers: { 'user-agent': ua } });
    assert.equal((await open(d4, SAFARI)).status, 200);
    assert.equal((await open(d5, 'Mozilla/5.0')).status, 200);
    assert.equal((await open(d5, SAFARI, 'HEAD')).status, 200);
    assert.equal((await open(d5, SAFARI)).status, 200);
    const events: Array<{ message_id: string; event_id: string; payload: Record<string, unknown> }> = await t.dataSource.query(
      `SELECT message_id, event_id, payload FROM message_events WHERE source = 'tracking' AND message_id = ANY($1::uuid[]) ORDER BY created_at`,
      [[d4, d5]],
    );
    assert.deepEqual(
      events.map((e) => [e.message_id, e.payload.machine, e.payload.machineReason ?? null, e.payload.userAgent]),
      [
        [d4, false, null, SAFARI],
        [d5, true, 'apple_mpp', 'Mozilla/5.0'],
        [d5, false, null, SAFARI],
      ],
    );
    assert.ok(Number(events[0].payload.secondsSinceSent) >= 60, 'seconds since the message was sent are recorded');
    const { totals } = (await api('GET', `/campaigns/${campaignId}/analytics`)).body;
    assert.deepEqual([totals.opened, totals.machineOpened], [4, 2]);
  });

  it('conversions: attributed to the last engaged message, else the last delivered one, else none; idempotent by key', async () => {
    const [d1] = ids.delivered;
    const lead = async (email: string) => (await api('POST', '/leads', { email })).body.id as string;
    const engaged = await lead('ada@example.com');
    const delivered = await lead('grace@example.com');
    await lead('edsger@example.com');
    await t.dataSource.query('UPDATE messages SET lead_id = $1 WHERE id = $2', [engaged, d1]);
    await t.dataSource.query('UPDATE messages SET lead_id = $1 WHERE id = $2', [delivered, ids.sent[0]]);

    const order = { email: 'ADA@example.com', name: 'order', value: 120.5, currency: 'usd', idempotencyKey: 'order-1' };
    const first = await api('POST', '/conversions', order);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual(first.body.attribution, { campaignId, messageId: d1, stepId: stepIds[0], channel: 'email', by: 'engaged' });
    assert.deepEqual([first.body.value, first.body.currency, first.body.leadId], ['120.5', 'USD', engaged]);
    const again = await api('POST', '/conversions', order);
    assert.deepEqual([again.status, again.body.id], [201, first.body.id]);
    assert.equal((await api('POST', '/conversions', { ...order, value: 99 })).body.code, 'idempotency_key_reused');

    const byHeader = { leadId: delivered, name: 'signup', value: 10, currency: 'EUR' };
    const second = await api('POST', '/conversions', byHeader, key, { 'idempotency-key': 'signup-1' });
    assert.deepEqual(second.body.attribution, {
      campaignId,
      messageId: ids.sent[0],
      stepId: stepIds[0],
      channel: 'email',
      by: 'delivered',
    });
    assert.equal((await api('POST', '/conversions', byHeader, key, { 'idempotency-key': 'signup-1' })).body.id, second.body.id);

    const none = await api('POST', '/conversions', { email: 'edsger@example.com', name: 'order', value: 5, currency: 'JPY' });
    assert.deepEqual([none.status, none.body.attribution], [201, null]);
    // Engagement older than the 30-day window does not attribute.
    const late = await api('POST', '/conversions', {
      email: 'ada@example.com',
      name: 'order',
      value: 1,
      currency: 'USD',
      occurredAt: new Date(Date.now() + 86_000_000).toISOString(),
    });
    assert.equal(late.body.attribution?.by, 'engaged');
    const old = await api('POST', '/conversions', {
      leadId: engaged,
      name: 'order',
      value: 1,
      currency: 'USD',
      occurredAt: new Date(Date.now() - 31 * 86_400_000).toISOString(),
    });
    assert.equal(old.body.attribution, null);

    for (const bad of [
      { email: 'nobody@example.com', name: 'x', value: 1, currency: 'USD' },
      { email: 'ada@example.com', phone: '+14155550123', name: 'x', value: 1, currency: 'USD' },
      { email: 'ada@example.com', name: 'x', value: 1, currency: 'XYZ' },
      { email: 'ada@example.com', name: 'x', value: -1, currency: 'USD' },
      { email: 'ada@example.com', name: 'x', value: 1.23456, currency: 'USD' },
    ]) {
      const res = await api('POST', '/conversions', bad);
      assert.ok([400, 404].includes(res.status), `${JSON.stringify(bad)}: ${res.status}`);
      assert.ok(['validation_failed', 'lead_not_found'].includes(res.body.code));
    }

    const report = (await api('GET', `/campaigns/${campaignId}/analytics`)).body;
    assert.equal(report.totals.conversions, 3);
    assert.deepEqual(report.revenue, [
      { currency: 'EUR', amount: '10' },
      { currency: 'USD', amount: '121.5' },
    ]);
    assert.equal(report.steps[0].conversions, 3);
    const list = await api('GET', `/conversions?campaignId=${campaignId}&limit=2`);
    assert.equal(list.body.items.length, 2);
    const rest = await api('GET', `/conversions?campaignId=${campaignId}&cursor=${list.body.nextCursor}`);
    assert.deepEqual([rest.body.items.length, rest.body.nextCursor], [1, null]);
    assert.equal((await api('GET', '/conversions')).body.items.length, 5);
  });

  it('organization: the range adds up per campaign and channel; a bad range is 400 invalid_range; campaigns are the organization’s', async () => {
    const campaign = (await api('GET', `/campaigns/${campaignId}/analytics`)).body;
    const org = await api('GET', '/analytics');
    assert.equal(org.status, 200, JSON.stringify(org.body));
    assert.deepEqual(org.body.totals, campaign.totals);
    assert.deepEqual(
      org.body.campaigns.map((c: { campaignId: string; name: string; sent: number }) => [c.campaignId, c.name, c.sent]),
      [[campaignId, 'Launch week', 28]],
    );
    assert.equal(org.body.channels[0].opened, 4);
    const earlier = await api('GET', `/analytics?from=2020-01-01&to=2020-02-01`);
    assert.deepEqual([earlier.body.totals.sent, earlier.body.campaigns], [0, []]);
    for (const query of [
      'from=2026-02-01&to=2026-01-01',
      'from=2020-01-01&to=2026-01-01',
      'bucket=hour&from=2026-01-01&to=2026-03-01',
      'from=yesterday',
    ]) {
      const res = await api('GET', `/analytics?${query}`);
      assert.deepEqual([res.status, res.body.code], [400, 'invalid_range'], query);
    }
    assert.equal((await api('GET', '/analytics?bucket=week')).body.code, 'validation_failed');
    const foreign = await api('GET', `/campaigns/${campaignId}/analytics`, undefined, otherKey);
    assert.deepEqual([foreign.status, foreign.body.code], [404, 'campaign_not_found']);
    assert.equal((await api('GET', '/analytics', undefined, otherKey)).body.totals.sent, 0);
    assert.equal((await api('GET', '/conversions', undefined, otherKey)).body.items.length, 0);
  });
});
